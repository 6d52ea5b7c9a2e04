/**
 * Pagination of actions, against a loopback API that pages in each of the four shapes (Link header, cursor in the
 * query or the body, offset, page number): every page is sent through the connection (its API key in a header and
 * the query each time), items are gathered from the declared pointer, `maxPages` and `maxItems` stop the reading,
 * and a next link to another origin (another port, another host name) is not followed — that upstream never sees
 * a request, and the result says why reading stopped. The key never appears in any answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Answer, type Arrival, type LoggingUpstream, startLoggingUpstream } from '../support/logging-upstream.ts'
import { createLab, type Lab } from './harness.ts'

const CANARY = 'pg-canary-5e0b1f27d94c'
/** 25 items in all, numbered from 1. */
const ALL = Array.from({ length: 25 }, (_, i) => ({ n: i + 1 }))

let lab: Lab
let api: LoggingUpstream
let elsewhere: LoggingUpstream
let id: string

/** Where a cross-origin next link points: another port (`elsewhere`) or another host name for the same server. */
let crossTarget = ''

function answer(arrival: Arrival, origin: string): Answer {
  const q = arrival.url.searchParams
  switch (arrival.url.pathname) {
    case '/link': {
      // 10 per page; the next link is absolute, and it echoes the key the request carried in its query.
      const page = Number(q.get('page') ?? 1)
      const items = ALL.slice((page - 1) * 10, page * 10)
      const next = page * 10 < ALL.length ? `<${origin}/link?page=${page + 1}&key=${q.get('key')}>; rel="next", ` : ''
      return { headers: { link: `${next}<${origin}/link?page=3>; rel="last"` }, body: items }
    }
    case '/link-relative': {
      const page = Number(q.get('page') ?? 1)
      const next = page < 3 ? `</link-relative?page=${page + 1}>; rel="next"` : ''
      return { headers: next ? { link: next } : {}, body: { items: ALL.slice((page - 1) * 10, page * 10) } }
    }
    case '/cross':
      return { headers: { link: `<${crossTarget}/link?page=2&key=${q.get('key')}>; rel="next"` }, body: ALL.slice(0, 10) }
    case '/cursor': {
      const from = Number(q.get('cursor') ?? 0)
      const next = from + 10 < ALL.length ? String(from + 10) : null
      return { body: { data: ALL.slice(from, from + 10), meta: { next } } }
    }
    case '/search': {
      const body = JSON.parse(arrival.body) as { query: string; page?: { start?: number } }
      const from = body.page?.start ?? 0
      return { body: { results: ALL.slice(from, from + 10), next_cursor: from + 10 < ALL.length ? from + 10 : null } }
    }
    case '/offset': {
      const offset = Number(q.get('offset'))
      const limit = Number(q.get('limit'))
      return { body: { items: ALL.slice(offset, offset + limit) } }
    }
    case '/pages': {
      const page = Number(q.get('page'))
      const size = Number(q.get('per_page'))
      // Each item echoes the key: the answer must mask it.
      return { body: { users: ALL.slice((page - 1) * size, page * size).map((item) => ({ ...item, echo: q.get('key') })) } }
    }
    case '/stuck':
      return { body: { data: [{ n: 1 }], next: 'same' } }
    case '/failing': {
      const page = Number(q.get('page'))
      return page < 2 ? { body: { items: [{ n: page }] } } : { status: 500, body: { error: 'broken' } }
    }
    default:
      return { status: 404, body: {} }
  }
}

const action = (key: string, path: string, pagination: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  key,
  name: key,
  method: 'GET',
  path,
  pagination,
  ...extra,
})

beforeAll(async () => {
  lab = await createLab()
  api = await startLoggingUpstream(answer)
  elsewhere = await startLoggingUpstream(() => ({ body: [{ stolen: true }] }))
  const connector = {
    id: 'pages-lab',
    name: 'Pages lab',
    baseUrl: '{{baseUrl}}',
    fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
    auth: [
      {
        type: 'apiKey',
        id: 'key',
        fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
        placements: [
          { in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' },
          { in: 'query', name: 'key', value: '{{apiKey}}' },
        ],
      },
    ],
    test: { path: '/link' },
    actions: [
      action('link', '/link', { type: 'link', items: '' }),
      action('linkRelative', '/link-relative', { type: 'link', items: '/items' }),
      action('linkCapped', '/link', { type: 'link', items: '', maxPages: 2 }),
      action('cross', '/cross', { type: 'link', items: '' }),
      action('cursor', '/cursor', { type: 'cursor', items: '/data', cursor: '/meta/next', param: 'cursor' }),
      action('cursorCapped', '/cursor', { type: 'cursor', items: '/data', cursor: '/meta/next', param: 'cursor', maxItems: 15 }),
      action(
        'search',
        '/search',
        { type: 'cursor', items: '/results', cursor: '/next_cursor', field: '/page/start' },
        { method: 'POST', body: { query: '{{input.q}}' }, input: { type: 'object', properties: { q: { type: 'string' } } } },
      ),
      action('offset', '/offset', { type: 'offset', items: '/items', limitParam: 'limit', limit: 7 }),
      action('pages', '/pages', { type: 'page', items: '/users', sizeParam: 'per_page', size: 10 }),
      action('pagesCapped', '/pages', { type: 'page', items: '/users', sizeParam: 'per_page', size: 4, maxPages: 3 }),
      action('stuck', '/stuck', { type: 'cursor', items: '/data', cursor: '/next', param: 'c' }),
      action('failing', '/failing', { type: 'page', items: '/items' }),
    ],
  }
  const created = await lab.api('POST', '/api/connectors', { body: connector })
  expect(created.status, created.text).toBe(201)
  id = await lab.connect({ connectorId: 'pages-lab', values: { baseUrl: api.origin, apiKey: CANARY } })
})

afterAll(async () => {
  await lab?.close()
  await api?.close()
  await elsewhere?.close()
})

async function run(key: string, inputs: Record<string, unknown> = {}) {
  const before = api.arrivals.length
  const res = await lab.api('POST', `/api/apps/default/connections/${id}/actions/${key}`, { body: { inputs } })
  expect(res.status, res.text).toBe(200)
  return { result: res.body, sent: api.arrivals.slice(before) }
}

const numbers = (items: Array<{ n: number }>) => items.map((item) => item.n)
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('pagination', () => {
  it('follows Link rel="next" on the same origin, every page with the credentials', async () => {
    const { result, sent } = await run('link')
    expect(numbers(result.body)).toEqual(range(1, 25))
    expect(result.pagination).toEqual({ pages: 3, items: 25, stopped: 'end' })
    expect(result.attempts).toBe(3)
    expect(sent.map((a) => a.url.searchParams.get('page'))).toEqual([null, '2', '3'])
    // The key once per request, in the header and in the query (the API's echo of it replaced, not repeated).
    for (const arrival of sent) {
      expect(arrival.headers['x-api-key']).toBe(CANARY)
      expect(arrival.url.searchParams.getAll('key')).toEqual([CANARY])
    }
  })

  it('resolves a relative next link against the request, and gathers items from a pointer', async () => {
    const { result } = await run('linkRelative')
    expect(numbers(result.body)).toEqual(range(1, 25))
    expect(result.pagination.pages).toBe(3)
  })

  it('stops at maxPages', async () => {
    const { result, sent } = await run('linkCapped')
    expect(numbers(result.body)).toEqual(range(1, 20))
    expect(result.pagination).toEqual({ pages: 2, items: 20, stopped: 'max_pages' })
    expect(sent).toHaveLength(2)
  })

  it('does not follow a next link to another port, and says so', async () => {
    crossTarget = elsewhere.origin
    const { result, sent } = await run('cross')
    expect(sent).toHaveLength(1)
    expect(elsewhere.arrivals).toHaveLength(0)
    expect(numbers(result.body)).toEqual(range(1, 10))
    expect(result.pagination.stopped).toBe('other_origin')
    expect(result.pagination.next).toContain(elsewhere.origin)
  })

  it('does not follow a next link to another host name or scheme on the same port', async () => {
    for (const target of [api.origin.replace('127.0.0.1', 'localhost'), api.origin.replace('http:', 'https:')]) {
      crossTarget = target
      const { result, sent } = await run('cross')
      expect(sent).toHaveLength(1)
      expect(result.pagination.stopped).toBe('other_origin')
    }
  })

  it('sends a cursor from the body in a query parameter', async () => {
    const { result, sent } = await run('cursor')
    expect(numbers(result.body)).toEqual(range(1, 25))
    expect(sent.map((a) => a.url.searchParams.get('cursor'))).toEqual([null, '10', '20'])
    expect(result.pagination).toEqual({ pages: 3, items: 25, stopped: 'end' })
  })

  it('stops at maxItems, dropping the rest of the last page', async () => {
    const { result, sent } = await run('cursorCapped')
    expect(numbers(result.body)).toEqual(range(1, 15))
    expect(result.pagination).toEqual({ pages: 2, items: 15, stopped: 'max_items' })
    expect(sent).toHaveLength(2)
  })

  it('puts a cursor at its place in the JSON body, keeping its type and the rest of the body', async () => {
    const { result, sent } = await run('search', { q: 'widgets' })
    expect(numbers(result.body)).toEqual(range(1, 25))
    expect(sent.map((a) => JSON.parse(a.body))).toEqual([
      { query: 'widgets' },
      { query: 'widgets', page: { start: 10 } },
      { query: 'widgets', page: { start: 20 } },
    ])
  })

  it('pages by offset and limit until a short page', async () => {
    const { result, sent } = await run('offset')
    expect(numbers(result.body)).toEqual(range(1, 25))
    expect(sent.map((a) => [a.url.searchParams.get('offset'), a.url.searchParams.get('limit')])).toEqual([
      ['0', '7'],
      ['7', '7'],
      ['14', '7'],
      ['21', '7'],
    ])
    expect(result.pagination.stopped).toBe('end')
  })

  it('pages by number, and masks the key the items echo', async () => {
    const { result, sent } = await run('pages')
    expect(numbers(result.body)).toEqual(range(1, 25))
    expect(sent.map((a) => a.url.searchParams.get('page'))).toEqual(['1', '2', '3'])
    expect(JSON.stringify(result)).not.toContain(CANARY)
    const capped = await run('pagesCapped')
    expect(numbers(capped.result.body)).toEqual(range(1, 12))
    expect(capped.result.pagination).toEqual({ pages: 3, items: 12, stopped: 'max_pages' })
  })

  it('stops when the API hands out the same cursor again', async () => {
    const { result, sent } = await run('stuck')
    expect(sent).toHaveLength(2)
    expect(result.pagination.stopped).toBe('repeated')
  })

  it('answers with the failing page when one fails', async () => {
    const { result, sent } = await run('failing')
    expect(sent.length).toBeGreaterThanOrEqual(2)
    expect(result.ok).toBe(false)
    expect(result.status).toBe(500)
    expect(result.body).toEqual({ error: 'broken' })
    expect(result.pagination.stopped).toBe('failed')
  })

  it('never shows the key: not in bodies, not in the next link it did not follow, not in the request shown', () => {
    for (const response of lab.responses) expect(response.text).not.toContain(CANARY)
    expect(lab.log.join('\n')).not.toContain(CANARY)
  })
})
