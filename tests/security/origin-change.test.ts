/**
 * A connection's origin is the scheme, host and port of its base URL. Moving it drops the stored
 * credentials unless the connector's `allowedHosts` admits that exact origin, and a move from https to
 * http never keeps them — whether the base URL is overridden or rendered from a field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keepsCredentials, originAllowed } from '../../runtime/core/connections/origin.ts'
import { createHarness, type Harness } from '../runtime/harness.ts'

const connections = '/api/apps/default/connections'
const TOKEN = 'origin-lab-token-5d1c'

/** Base URL from a field, so a field change moves it as much as an override does. */
const lab = {
  id: 'origin-lab',
  name: 'Origin lab',
  baseUrl: '{{baseUrl}}',
  allowedHosts: ['*.origin-lab.test', 'https://eu.origin-lab.test:8443', 'http://legacy.origin-lab.test'],
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true, default: 'https://api.origin-lab.test' }],
  auth: [{ type: 'bearer', id: 'token', fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }], token: '{{token}}' }],
  test: { method: 'GET', path: '/me' },
}

let h: Harness
let counter = 0

beforeAll(async () => {
  h = await createHarness()
  const created = await h.call('POST', '/api/connectors', { body: lab })
  expect(created.status, created.text).toBe(201)
})

afterAll(async () => {
  await h.close()
})

/** A connected connection on `baseUrl` (the field), with a last test and an account label recorded. */
async function connected(baseUrl: string): Promise<string> {
  const res = await h.call('POST', connections, {
    body: { connectorId: lab.id, name: `lab ${++counter}`, values: { baseUrl, token: TOKEN } },
  })
  expect(res.status, res.text).toBe(201)
  expect(res.body).toMatchObject({ status: 'untested', secrets: { token: { hasValue: true } } })
  const lastTest = { at: '2025-03-01T09:00:00.000Z', ok: true, diagnosis: 'Connected as octocat.' }
  await h.store.update('connections', res.body.id, (c) => c && { ...c, status: 'connected', accountLabel: 'octocat', lastTest })
  return res.body.id
}

async function credentialsOf(id: string) {
  return h.store.find('credentials', 'byConnection', { equals: [id] })
}

/** Moves the connection by an override or by its field; answers whether the credentials stayed. */
async function move(id: string, to: string, by: 'override' | 'field'): Promise<boolean> {
  const res = await h.call('PATCH', `${connections}/${id}`, { body: by === 'override' ? { baseUrl: to } : { values: { baseUrl: to } } })
  expect(res.status, res.text).toBe(200)
  expect(res.body.baseUrl).toBe(to)
  const kept = res.body.secrets.token.hasValue as boolean
  expect((await credentialsOf(id)).length).toBe(kept ? 1 : 0)
  if (kept) {
    expect(res.body.status).toBe('connected')
  } else {
    // What was learnt with the dropped credentials goes with them.
    expect(res.body.status).toBe('not_connected')
    expect(res.body.accountLabel).toBeUndefined()
    expect(res.body.lastTest).toBeUndefined()
  }
  return kept
}

describe.each(['override', 'field'] as const)('moving the base URL by %s', (by) => {
  it('https → http on the same host drops the credentials', async () => {
    expect(await move(await connected('https://api.origin-lab.test'), 'http://api.origin-lab.test', by)).toBe(false)
  })

  it('another port on the same host drops the credentials', async () => {
    expect(await move(await connected('https://api.origin-lab.test'), 'https://api.origin-lab.test:8443', by)).toBe(false)
  })

  it('a host the connector allows, in the exact shape it allows (https, default port), keeps them', async () => {
    expect(await move(await connected('https://api.origin-lab.test'), 'https://eu.origin-lab.test', by)).toBe(true)
  })

  it('an entry with a port allows that port', async () => {
    expect(await move(await connected('https://api.origin-lab.test'), 'https://eu.origin-lab.test:8443', by)).toBe(true)
  })

  it('an allowed host over http drops them: a host entry means https', async () => {
    expect(await move(await connected('https://api.origin-lab.test'), 'http://eu.origin-lab.test', by)).toBe(false)
  })

  it('https → http drops them even where an entry allows that http origin', async () => {
    expect(await move(await connected('https://api.origin-lab.test'), 'http://legacy.origin-lab.test', by)).toBe(false)
  })

  it('an http connection may move to an http origin the connector declares', async () => {
    expect(await move(await connected('http://old.origin-lab.test'), 'http://legacy.origin-lab.test', by)).toBe(true)
  })

  it('a path change on the same origin keeps them', async () => {
    expect(await move(await connected('https://api.origin-lab.test'), 'https://api.origin-lab.test/v2', by)).toBe(true)
  })

  it('a host outside the declared ones drops them', async () => {
    expect(await move(await connected('https://api.origin-lab.test'), 'https://origin-lab.test', by)).toBe(false)
  })
})

describe('allowedHosts entries', () => {
  const url = (text: string) => new URL(text)

  it.each([
    ['https://acme.atlassian.net/rest', ['*.atlassian.net'], true],
    ['https://acme.atlassian.net:443', ['*.atlassian.net'], true],
    ['https://atlassian.net', ['*.atlassian.net'], false],
    ['https://evilatlassian.net', ['*.atlassian.net'], false],
    ['http://acme.atlassian.net', ['*.atlassian.net'], false],
    ['https://acme.atlassian.net:8443', ['*.atlassian.net'], false],
    ['https://api.example.com:8443', ['https://api.example.com:8443'], true],
    ['https://api.example.com', ['https://api.example.com:8443'], false],
    ['http://legacy.example.com', ['http://legacy.example.com'], true],
    ['http://legacy.example.com:8080', ['http://legacy.example.com'], false],
    ['https://legacy.example.com', ['http://legacy.example.com'], false],
    ['https://API.Example.com', ['api.example.com'], true],
  ] as const)('%s against %j → %s', (target, entries, expected) => {
    expect(originAllowed(url(target), entries)).toBe(expected)
  })

  it('https → http is never kept, whatever the entries say', () => {
    expect(keepsCredentials(url('https://a.example.com'), url('http://a.example.com'), ['http://a.example.com'])).toBe(false)
    expect(keepsCredentials(url('https://a.example.com'), url('https://a.example.com/v2'), [])).toBe(true)
    expect(keepsCredentials(undefined, url('https://a.example.com'), ['a.example.com'])).toBe(false)
  })

  it('the schema accepts origin-shaped entries and refuses paths and other schemes', async () => {
    const validate = async (allowedHosts: string[]) =>
      (await h.call('POST', '/api/connectors/validate', { body: { ...lab, allowedHosts } })).body
    expect((await validate(['https://*.example.com:8443', 'http://legacy.example.com', '*.atlassian.net'])).valid).toBe(true)
    for (const bad of ['https://acme.example/api', 'ftp://files.example.com', 'api.example.com:0', 'api.*.example.com']) {
      const result = await validate([bad])
      expect(result.valid, bad).toBe(false)
      expect(result.errors[0].path).toBe('/allowedHosts/0')
    }
  })
})
