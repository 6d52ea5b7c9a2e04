/**
 * Canary sweep: unique marker secrets go through every route that takes or uses credentials, against an
 * upstream that echoes what it received (Authorization header, query string) in its bodies, error pages
 * and account labels. Afterwards no marker may appear, in any form a secret can be re-encoded into, in an
 * API response (body or header), a log line, a test result, or any file of the data directory.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiResponse, createHarness, type Harness, type Reply, type SeenRequest, startUpstream, type Upstream } from './harness.ts'

const connections = '/api/apps/default/connections'

let h: Harness
let upstream: Upstream
/** Where the upstream redirects to: another origin, which must get no credentials. */
let elsewhere: Upstream
const canaries: string[] = []

/** A fresh marker with characters that URL, form and JSON encodings all change. */
function canary(style: 'plain' | 'token' | 'hex' = 'plain'): string {
  const id = randomBytes(12).toString('hex')
  const value = style === 'hex' ? randomBytes(16).toString('hex') : style === 'token' ? `CANARY${id}` : `CANARY-${id} +/&=?%"`
  canaries.push(value)
  return value
}

/** Base64 of the secret at every byte alignment, minus the edges that depend on the neighbours. */
function base64Forms(secret: string): string[] {
  const out: string[] = []
  for (const pad of [0, 1, 2]) {
    const bytes = Buffer.concat([Buffer.alloc(pad, 0x41), Buffer.from(secret, 'utf8')])
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = bytes.toString(encoding).replace(/=+$/, '')
      out.push(text.slice(pad === 0 ? 0 : 4, -4))
    }
  }
  return out
}

/** Every spelling a secret could leak in. */
function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ x: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    ...base64Forms(secret),
  ].filter((form) => form.length >= 8)
}

function leaks(text: string): string[] {
  const found: string[] = []
  for (const secret of canaries)
    for (const form of forms(secret)) if (text.includes(form)) found.push(`${JSON.stringify(secret)} as ${JSON.stringify(form)}`)
  return found
}

function responseText(res: ApiResponse): string {
  return `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${res.text}`
}

function expectNoLeak(what: string, text: string): void {
  expect(leaks(text), what).toEqual([])
}

/** What the echoing upstream does next. */
let mode: 'ok' | 'unauthorized' | 'html' | 'slack' | 'redirect' = 'ok'

function echo(request: SeenRequest): Reply {
  const said = { authorization: request.headers.authorization ?? null, url: request.url, headers: request.headers }
  switch (mode) {
    case 'ok':
      return {
        body: {
          login: `you sent ${said.authorization}`,
          user: { id: 1, name: said.url, email: said.authorization },
          contact: { name: said.url, email: '' },
          valid: true,
          ...said,
        },
      }
    case 'unauthorized':
      return { status: 401, body: { message: `Bad credentials: ${said.authorization} for ${said.url}`, ...said } }
    case 'html':
      return {
        status: 500,
        body: `<html><body><h1>Internal error</h1><pre>${JSON.stringify(said)}</pre></body></html>`,
        headers: { 'content-type': 'text/html' },
      }
    case 'slack':
      return { body: { ok: false, error: `invalid_auth ${said.authorization} ${said.url}` } }
    case 'redirect':
      return {
        status: 302,
        headers: { location: `${elsewhere.origin}/landing${request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''}` },
      }
  }
}

beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream(echo)
  elsewhere = await startUpstream((request) => ({
    body: { landed: true, authorization: request.headers.authorization ?? null, url: request.url, headers: request.headers },
  }))
})

afterAll(async () => {
  await h.close()
  await upstream.close()
  await elsewhere.close()
})

/** Runs the connection's test in every echo mode and returns the results. */
async function testInEveryMode(id: string): Promise<ApiResponse[]> {
  const results: ApiResponse[] = []
  for (const next of ['ok', 'unauthorized', 'html', 'slack', 'redirect'] as const) {
    mode = next
    const res = await h.call('POST', `${connections}/${id}/test`)
    expect(res.status).toBe(200)
    results.push(res)
  }
  mode = 'ok'
  return results
}

describe('canary secrets through every route', () => {
  const ids: Record<string, string> = {}
  let zendeskToken: string
  let trello: { apiKey: string; token: string }

  it('create with values (header, Basic and query credentials)', async () => {
    zendeskToken = canary()
    trello = { apiKey: canary('hex'), token: canary() }
    const bodies = {
      zendesk: {
        connectorId: 'zendesk',
        name: 'Zendesk',
        values: { subdomain: 'acme', email: 'ops@acme.test', apiToken: zendeskToken },
        baseUrl: upstream.origin,
      },
      trello: { connectorId: 'trello', name: 'Trello', values: trello, baseUrl: upstream.origin },
      github: { connectorId: 'github', name: 'GitHub', values: { token: `ghp_${canary('token')}` }, baseUrl: upstream.origin },
      datadog: {
        connectorId: 'datadog',
        name: 'Datadog',
        values: { apiKey: canary('hex'), applicationKey: randomBytes(20).toString('hex') },
        baseUrl: upstream.origin,
      },
      genericBasic: {
        connectorId: 'generic-basic',
        name: 'Basic',
        values: { baseUrl: upstream.origin, testUrl: `${upstream.origin}/me`, username: 'ops', password: canary() },
      },
      genericQuery: {
        connectorId: 'generic-api-key',
        authMethod: 'query',
        name: 'Query key',
        values: { baseUrl: upstream.origin, testUrl: `${upstream.origin}/me?x=1`, queryApiKey: canary() },
      },
      slack: {
        connectorId: 'slack',
        authMethod: 'botToken',
        name: 'Slack',
        values: { token: `xoxb-${canary('token')}` },
        baseUrl: upstream.origin,
      },
    }
    canaries.push(bodies.github.values.token, bodies.slack.values.token, bodies.datadog.values.applicationKey)
    for (const [key, body] of Object.entries(bodies)) {
      const res = await h.call('POST', connections, { body })
      expect(res.status, res.text).toBe(201)
      expect(res.body.status).toBe('untested')
      ids[key] = res.body.id
    }
  })

  it('test, with an upstream that echoes the credentials in bodies, error pages, labels and redirects', async () => {
    for (const id of Object.values(ids)) {
      const results = await testInEveryMode(id)
      for (const res of results) expectNoLeak(`test result of ${id}`, responseText(res))
    }
    // The echo worked: the upstream really got (and sent back) the secrets, so the sweep means something.
    const seenAuth = upstream.requests.map((r) => `${r.headers.authorization ?? ''} ${r.url}`).join('\n')
    expect(seenAuth).toContain(trello.apiKey)
    expect(seenAuth).toContain(Buffer.from(`ops@acme.test/token:${zendeskToken}`).toString('base64'))
    // A redirect to another origin is not followed: nothing of a credentialed request goes there.
    expect(elsewhere.requests.length).toBe(0)
    for (const seen of elsewhere.requests) {
      expect(seen.headers.authorization).toBeUndefined()
      expect(seen.headers['dd-api-key']).toBeUndefined()
      expect(seen.query.has('token')).toBe(false)
      expect(seen.query.has('key')).toBe(false)
      expect(seen.query.has('api_key')).toBe(false)
      expectNoLeak('what the other origin received', JSON.stringify(seen))
    }
    // Labels built from echoed credentials are masked before they are kept.
    mode = 'ok'
    await h.call('POST', `${connections}/${ids.github}/test`)
    const labelled = (await h.call('GET', `${connections}/${ids.github}`)).body
    expect(labelled.accountLabel).toBe('you sent Bearer ••••')
  })

  it('reconnect with new values, and with wrong ones', async () => {
    const next = canary()
    const put = await h.call('PUT', `${connections}/${ids.zendesk}/credentials`, { body: { values: { apiToken: next } } })
    expect(put.status).toBe(200)
    await testInEveryMode(ids.zendesk!)
    const wrongTrello = { apiKey: canary('hex'), token: canary() }
    expect((await h.call('PUT', `${connections}/${ids.trello}/credentials`, { body: { values: wrongTrello } })).status).toBe(200)
    await testInEveryMode(ids.trello!)
    const patternless = canary()
    const refused = await h.call('PUT', `${connections}/${ids.github}/credentials`, { body: { values: { token: patternless } } })
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('invalid_values')
  })

  it('draft tests: valid, failing and invalid drafts', async () => {
    const draft = {
      id: 'canary-draft',
      name: 'Canary draft',
      baseUrl: upstream.origin,
      auth: [
        {
          type: 'apiKey',
          id: 'key',
          fields: [
            { key: 'apiKey', label: 'Key', type: 'secret', required: true },
            { key: 'region', label: 'Region', type: 'secret', required: false },
          ],
          placements: [
            { in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' },
            { in: 'query', name: 'key', value: '{{apiKey}}' },
            { in: 'header', name: 'X-Region', value: 'r={{region}}' },
          ],
        },
      ],
      test: { method: 'GET', path: '/me', label: '{{body.login}}' },
    }
    for (const next of ['ok', 'unauthorized', 'html', 'redirect'] as const) {
      mode = next
      const res = await h.call('POST', '/api/connectors/test', {
        body: { connector: draft, values: { apiKey: canary(), region: canary() } },
      })
      expect(res.status).toBe(200)
    }
    mode = 'ok'
    const invalid = await h.call('POST', '/api/connectors/test', {
      body: { connector: { ...draft, baseUrl: 'nope' }, values: { apiKey: canary() } },
    })
    expect(invalid.status).toBe(400)
    const missing = await h.call('POST', '/api/connectors/test', { body: { connector: draft, values: { region: canary() } } })
    expect(missing.status).toBe(400)
    const crlf = await h.call('POST', '/api/connectors/test', {
      body: { connector: draft, values: { apiKey: `${canary()}\r\nX-Injected: 1` } },
    })
    expect(crlf.status).toBe(400)
  })

  it('clone, list, get and update', async () => {
    const clone = await h.call('POST', `${connections}/${ids.zendesk}/clone`, { body: { name: 'Zendesk copy' } })
    expect(clone.status).toBe(201)
    expect((await h.call('GET', connections)).status).toBe(200)
    for (const id of Object.values(ids)) expect((await h.call('GET', `${connections}/${id}`)).status).toBe(200)
    expect(
      (await h.call('PATCH', `${connections}/${ids.zendesk}`, { body: { name: 'Zendesk (renamed)', values: { email: 'lead@acme.test' } } }))
        .status,
    ).toBe(200)
    const secretByPatch = await h.call('PATCH', `${connections}/${ids.zendesk}`, { body: { values: { apiToken: canary() } } })
    expect(secretByPatch.status).toBe(400)
    const moved = await h.call('PATCH', `${connections}/${ids.genericBasic}`, { body: { sharing: 'personal' } })
    expect(moved.status).toBe(200)
  })

  it('error paths with wrong values never echo them', async () => {
    const cases: Array<[string, string, Parameters<Harness['call']>[2], number]> = [
      [
        'POST',
        connections,
        { body: { connectorId: 'zendesk', name: 'x1', values: { subdomain: 'acme', email: 'a@b.c', apiToken: `${canary()}\r\nX: y` } } },
        400,
      ],
      [
        'POST',
        connections,
        { body: { connectorId: 'zendesk', name: 'x2', values: { subdomain: 'acme', email: 'a@b.c', unknownField: canary() } } },
        400,
      ],
      ['POST', connections, { body: { connectorId: 'github', name: 'x3', values: { token: canary() } } }, 400],
      [
        'POST',
        connections,
        { body: { connectorId: 'zendesk', name: 'x4', values: { subdomain: canary(), email: 'a@b.c', apiToken: canary() } } },
        400,
      ],
      [
        'POST',
        connections,
        {
          body: {
            connectorId: 'zendesk',
            name: 'x5',
            values: { subdomain: 'acme', email: 'a@b.c', apiToken: `${canary()}${'x'.repeat(9000)}` },
          },
        },
        400,
      ],
      ['POST', connections, { body: { connectorId: 'no-such-connector', name: 'x6', values: { token: canary() } } }, 404],
      ['POST', connections, { body: { connectorId: 'zendesk', name: 'x7', authMethod: 'nope', values: { apiToken: canary() } } }, 400],
      ['POST', connections, { body: { connectorId: 'zendesk', name: 'x8', extra: canary(), values: {} } }, 400],
      [
        'POST',
        connections,
        {
          body: {
            connectorId: 'zendesk',
            name: 'x9',
            values: { subdomain: 'acme', email: 'a@b.c', apiToken: canary() },
            baseUrl: `http://user:${canary()}@127.0.0.1:1`,
          },
        },
        400,
      ],
      [
        'POST',
        connections,
        { raw: `{"connectorId":"zendesk","values":{"apiToken":"${canary()}"`, headers: { 'content-type': 'application/json' } },
        400,
      ],
      ['POST', connections, { raw: JSON.stringify({ values: { apiToken: canary() } }), headers: { 'content-type': 'text/plain' } }, 415],
      [
        'POST',
        connections,
        {
          raw: JSON.stringify({ values: { apiToken: canary(), pad: 'p'.repeat(1_100_000) } }),
          headers: { 'content-type': 'application/json' },
        },
        413,
      ],
      ['PUT', `${connections}/${ids.zendesk}/credentials`, { body: { values: { apiToken: canary(), email: `bad\n${canary()}` } } }, 400],
      ['PUT', `${connections}/${ids.zendesk}/credentials`, { body: { authMethod: 'oauth', values: { apiToken: canary() } } }, 400],
      ['PUT', `${connections}/c_missing/credentials`, { body: { values: { apiToken: canary() } } }, 404],
      ['PATCH', `${connections}/${ids.zendesk}`, { body: { baseUrl: `https://${canary('token')}@evil.test` } }, 400],
      [
        'PUT',
        `${connections}/${ids.zendesk}/credentials`,
        { body: { values: { apiToken: canary() } }, token: `sb_${canary('token')}` },
        401,
      ],
    ]
    for (const [method, path, options, status] of cases) {
      const res = await h.call(method, path, options)
      expect(res.status, `${method} ${path} ${res.text.slice(0, 300)}`).toBe(status)
    }
  })

  it('unauthorize and delete', async () => {
    expect((await h.call('DELETE', `${connections}/${ids.trello}/credentials`)).status).toBe(200)
    expect((await h.call('DELETE', `${connections}/${ids.datadog}`)).status).toBe(204)
  })

  it('leaves no canary in any response, log line, test result or file of the data directory', async () => {
    expect(canaries.length).toBeGreaterThan(30)
    expect(h.responses.length).toBeGreaterThan(60)
    for (const res of h.responses) expectNoLeak(`a ${res.status} response`, responseText(res))
    expect(h.log.length).toBeGreaterThan(60)
    expectNoLeak('the log', h.log.join('\n'))
    expect(h.log.join('\n')).not.toContain(h.token)

    // Embedded: close the store so the backup is brought up to date, then read every file. PostgreSQL: every
    // table, read before closing, beside the files of the data directory (the key file).
    const embedded = h.store.engine === 'embedded'
    if (embedded) await h.store.close()
    const files = await h.files()
    if (!embedded) await h.store.close()
    if (embedded) expect([...files.keys()]).toEqual(expect.arrayContaining(['store.json', 'store.json.bak']))
    const store = JSON.parse(files.get(embedded ? 'store.json' : 'database')!.toString('utf8'))
    const sealed = Object.values(store.collections.credentials ?? {}) as Array<{ sealed: { ct: string } }>
    expect(sealed.length).toBeGreaterThan(3)
    for (const [name, content] of files) {
      expectNoLeak(`data file ${name}`, content.toString('utf8'))
      expectNoLeak(`data file ${name} (latin1)`, content.toString('latin1'))
    }
  })
})
