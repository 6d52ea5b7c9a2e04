/**
 * Requests the runtime must refuse, each with its status and stable code, and none of which may change
 * anything stored: the store file is byte-identical before and after every one of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueToken } from '../../runtime/inbound/callers/index.ts'
import type { TokenRecord } from '../../runtime/types.ts'
import { type ApiResponse, type CallOptions, createHarness, type Harness } from './harness.ts'

const connections = '/api/apps/default/connections'

let h: Harness
let id: string
let revoked: string

beforeAll(async () => {
  h = await createHarness()
  const created = await h.call('POST', connections, {
    body: { connectorId: 'zendesk', name: 'Zendesk', values: { subdomain: 'acme', email: 'ops@acme.test', apiToken: 'zd-token' } },
  })
  id = created.body.id
  const issued = await issueToken(h.store, 'owner', 'Revoked later', { now: new Date().toISOString() })
  await h.store.update<TokenRecord>('tokens', issued.record.id, (t) => t && { ...t, revokedAt: new Date().toISOString() })
  revoked = issued.token
  await h.settle()
})

afterAll(async () => {
  await h.close()
})

/** Calls the API and checks the answer's status and code, and that the store file did not change. */
async function refused(method: string, path: string, options: CallOptions, status: number, code: string | RegExp): Promise<ApiResponse> {
  const before = await h.storeText()
  const res = await h.call(method, path, options)
  expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  expect(res.body.error.code).toMatch(code instanceof RegExp ? code : new RegExp(`^${code}$`))
  expect(typeof res.body.error.message).toBe('string')
  await h.settle()
  expect(await h.storeText(), 'the store file is unchanged').toBe(before)
  return res
}

const json = { 'content-type': 'application/json' }
const writes: Array<[string, string]> = [
  ['POST', connections],
  ['PATCH', `${connections}/CONNECTION`],
  ['PUT', `${connections}/CONNECTION/credentials`],
  ['POST', `${connections}/CONNECTION/clone`],
  ['POST', '/api/connectors'],
  ['POST', '/api/connectors/validate'],
  ['POST', '/api/connectors/test'],
  ['POST', '/api/apps'],
]
const at = (path: string) => path.replace('CONNECTION', id)

describe('malformed bodies', () => {
  it.each(writes)('%s %s: malformed JSON → 400 invalid_json', async (method, path) => {
    for (const raw of ['{"name": "x",', "{'name': 'x'}", '', 'undefined', '{"a":1}{"b":2}']) {
      await refused(method, at(path), { raw, headers: json }, 400, 'invalid_json')
    }
  })

  it.each(writes)('%s %s: a content type other than JSON → 415', async (method, path) => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
      await refused(method, at(path), { raw: '{"name":"x"}', headers: { 'content-type': type } }, 415, 'unsupported_media_type')
    }
    await refused(method, at(path), { raw: '{"name":"x"}' }, 415, 'unsupported_media_type')
  })

  it('accepts JSON with a charset and the +json suffix', async () => {
    const res = await h.call('POST', '/api/connectors/validate', {
      raw: '{}',
      headers: { 'content-type': 'application/vnd.api+json; charset=utf-8' },
    })
    expect(res.status).toBe(200)
  })

  it.each(writes)('%s %s: a body over 1 MB → 413 body_too_large', async (method, path) => {
    const raw = JSON.stringify({ name: 'x', pad: 'p'.repeat(1024 * 1024 + 10) })
    await refused(method, at(path), { raw, headers: json }, 413, 'body_too_large')
  })

  it('a body over 1 MB without a declared length (streamed) → 413 body_too_large', async () => {
    const before = await h.storeText()
    const chunk = new TextEncoder().encode('p'.repeat(64 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 0) controller.enqueue(new TextEncoder().encode('{"name":"'))
        else if (sent < 20) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await h.app.request(connections, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, ...json },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('body_too_large')
    expect(await h.storeText()).toBe(before)
  })
})

describe('bodies that do not fit the schema → 400 invalid_body with JSON pointers', () => {
  const cases: Array<[string, string, unknown, string]> = [
    ['an unknown property', connections, { connectorId: 'zendesk', name: 'x', colour: 'red' }, '/colour'],
    ['an unknown property, nested in a rename', `${connections}/CONNECTION`, { name: 'x', extra: { deep: true } }, '/extra'],
    ['a missing name', connections, { connectorId: 'zendesk' }, '/name'],
    ['a number for a name', connections, { connectorId: 'zendesk', name: 5 }, '/name'],
    ['an empty name', connections, { connectorId: 'zendesk', name: '' }, '/name'],
    ['an object as a value', connections, { connectorId: 'zendesk', name: 'x', values: { subdomain: { a: 1 } } }, '/values/subdomain'],
    ['an array for values', connections, { connectorId: 'zendesk', name: 'x', values: ['a'] }, '/values'],
    ['a sharing that does not exist', connections, { connectorId: 'zendesk', name: 'x', sharing: 'public' }, '/sharing'],
    ['a base URL that is not http(s)', connections, { connectorId: 'zendesk', name: 'x', baseUrl: 'ftp://acme.test' }, '/baseUrl'],
    ['a line break in the name', connections, { connectorId: 'zendesk', name: 'Zendesk\r\nX-Injected: 1' }, '/name'],
    ['a line break in a rename', `${connections}/CONNECTION`, { name: 'Renamed\nAgain' }, '/name'],
    ['a blank name (bug: was stored as "")', connections, { connectorId: 'github', name: '   ' }, '/name'],
    ['a blank rename', `${connections}/CONNECTION`, { name: ' \u00a0 ' }, '/name'],
    ['a blank clone name', `${connections}/CONNECTION/clone`, { name: '  ' }, '/name'],
    ['a blank app name', '/api/apps', { name: '   ' }, '/name'],
    ['an empty change', `${connections}/CONNECTION`, {}, ''],
    ['credentials without values', `${connections}/CONNECTION/credentials`, { authMethod: 'apiToken' }, '/values'],
    ['a clone without a name', `${connections}/CONNECTION/clone`, { title: 'x' }, '/name'],
    ['a draft without a connector', '/api/connectors/test', { values: {} }, '/connector'],
    ['an app with a bad id', '/api/apps', { id: '../etc', name: 'x' }, '/id'],
    ['null', connections, null, ''],
    ['an array', connections, [], ''],
    ['a string', connections, 'connection', ''],
  ]
  it.each(cases)('%s', async (_, path, body, pointer) => {
    const method = path.endsWith('CONNECTION') ? 'PATCH' : path.endsWith('/credentials') ? 'PUT' : 'POST'
    const res = await refused(method, at(path), { body }, 400, 'invalid_body')
    const errors = res.body.error.details.errors as Array<{ path: string; keyword: string; message: string }>
    expect(errors.length).toBeGreaterThan(0)
    for (const e of errors) expect(e).toEqual({ path: expect.any(String), keyword: expect.any(String), message: expect.any(String) })
    expect(errors.map((e) => e.path)).toContain(pointer)
  })
})

describe('values the connector does not accept → 400 invalid_values, naming the field', () => {
  const cases: Array<[string, string, string, unknown, string]> = [
    [
      'a line break in a field value',
      'POST',
      connections,
      { connectorId: 'zendesk', name: 'x', values: { subdomain: 'acme', email: 'a@acme.test\r\nX-Injected: 1' } },
      '/values/email',
    ],
    [
      'a line break in a secret',
      'PUT',
      `${connections}/CONNECTION/credentials`,
      { values: { apiToken: 'token\nX-Injected: 1' } },
      '/values/apiToken',
    ],
    ['a NUL in a secret', 'PUT', `${connections}/CONNECTION/credentials`, { values: { apiToken: 'token\u0000' } }, '/values/apiToken'],
    ['a line break in a field change', 'PATCH', `${connections}/CONNECTION`, { values: { email: 'a@acme.test\nBcc: x' } }, '/values/email'],
    [
      'a field the connector does not have',
      'POST',
      connections,
      { connectorId: 'zendesk', name: 'x', values: { subdomain: 'acme', email: 'a@b.c', colour: 'red' } },
      '/values/colour',
    ],
    [
      'a value that misses the pattern',
      'POST',
      connections,
      { connectorId: 'zendesk', name: 'x', values: { subdomain: 'acme.evil.test/', email: 'a@b.c' } },
      '/values/subdomain',
    ],
    [
      'a select option not offered',
      'POST',
      connections,
      { connectorId: 'datadog', name: 'x', values: { site: 'evil.test' } },
      '/values/site',
    ],
    [
      'a number for a text field',
      'POST',
      connections,
      { connectorId: 'zendesk', name: 'x', values: { subdomain: 42, email: 'a@b.c' } },
      '/values/subdomain',
    ],
    [
      'a URL field that is not a URL',
      'POST',
      connections,
      { connectorId: 'generic-bearer', name: 'x', values: { baseUrl: 'javascript:alert(1)', testUrl: 'https://a.test/me' } },
      '/values/baseUrl',
    ],
    [
      'a missing required field',
      'POST',
      connections,
      { connectorId: 'zendesk', name: 'x', values: { subdomain: 'acme' } },
      '/values/email',
    ],
    // Bug: a change could blank a required field, leaving a "connected" connection that cannot send a request.
    ['blanking a required field', 'PATCH', `${connections}/CONNECTION`, { values: { email: '' } }, '/values/email'],
    [
      'blanking a required field on reconnect',
      'PUT',
      `${connections}/CONNECTION/credentials`,
      { values: { apiToken: 'zd-token-2', subdomain: '' } },
      '/values/subdomain',
    ],
    [
      'an empty required secret on reconnect',
      'PUT',
      `${connections}/CONNECTION/credentials`,
      { values: { apiToken: '' } },
      '/values/apiToken',
    ],
  ]
  it.each(cases)('%s', async (_, method, path, body, pointer) => {
    const res = await refused(method, at(path), { body }, 400, 'invalid_values')
    expect(res.body.error.details.errors.map((e: { path: string }) => e.path)).toContain(pointer)
  })
})

describe('base URLs that requests cannot be built on → 400 invalid_base_url', () => {
  // Bug: a base URL with a query was stored, and then every request through it failed.
  it.each([
    ['POST', connections, { connectorId: 'github', name: 'q', baseUrl: 'https://api.example.com/v1?x=1' }],
    ['PATCH', `${connections}/CONNECTION`, { baseUrl: 'https://acme.zendesk.com/?locale=en' }],
    [
      'POST',
      connections,
      {
        connectorId: 'generic-bearer',
        name: 'q',
        values: { baseUrl: 'https://api.example.com/?a=1', testUrl: 'https://api.example.com/me' },
      },
    ],
    ['POST', connections, { connectorId: 'github', name: 'u', baseUrl: 'https://user:pass@api.example.com' }],
  ])('%s %s %j', async (method, path, body) => {
    await refused(method, at(path), { body }, 400, 'invalid_base_url')
  })
})

describe('unknown ids → 404 with stable codes', () => {
  const cases: Array<[string, string, string]> = [
    ['GET', '/api/apps/nope', 'app_not_found'],
    ['GET', '/api/apps/nope/connections', 'app_not_found'],
    ['GET', `${connections}/c_nope`, 'connection_not_found'],
    ['PATCH', `${connections}/c_nope`, 'connection_not_found'],
    ['DELETE', `${connections}/c_nope`, 'connection_not_found'],
    ['PUT', `${connections}/c_nope/credentials`, 'connection_not_found'],
    ['DELETE', `${connections}/c_nope/credentials`, 'connection_not_found'],
    ['POST', `${connections}/c_nope/clone`, 'connection_not_found'],
    ['POST', `${connections}/c_nope/test`, 'connection_not_found'],
    ['GET', '/api/connectors/nope', 'connector_not_found'],
    ['PUT', '/api/connectors/nope', 'connector_not_found'],
    ['DELETE', '/api/connectors/nope', 'connector_not_found'],
    ['GET', '/api/nothing-here', 'route_not_found'],
  ]
  it.each(cases)('%s %s → %s', async (method, path, code) => {
    const body =
      method === 'PATCH'
        ? { name: 'x' }
        : method === 'PUT' && path.includes('connectors')
          ? {
              id: 'nope',
              name: 'Nope',
              baseUrl: 'https://nope.test',
              auth: [
                { type: 'bearer', id: 't', fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }], token: '{{token}}' },
              ],
            }
          : method === 'PUT'
            ? { values: { apiToken: 'x' } }
            : method === 'POST' && path.endsWith('clone')
              ? { name: 'x' }
              : undefined
    await refused(method, path, body === undefined ? {} : { body }, 404, code)
  })

  it('a connection of another app is not found through this one', async () => {
    const other = await h.call('POST', '/api/apps', { body: { id: 'other', name: 'Other' } })
    expect(other.status).toBe(201)
    await h.settle()
    await refused('GET', `/api/apps/other/connections/${id}`, {}, 404, 'connection_not_found')
    await refused('DELETE', `/api/apps/other/connections/${id}`, {}, 404, 'connection_not_found')
    await refused(
      'PUT',
      `/api/apps/other/connections/${id}/credentials`,
      { body: { values: { apiToken: 'x' } } },
      404,
      'connection_not_found',
    )
  })

  it('a connection for a connector that does not exist → 404 connector_not_found', async () => {
    await refused('POST', connections, { body: { connectorId: 'nope', name: 'x' } }, 404, 'connector_not_found')
    await refused('POST', connections, { body: { connectorId: '../connectors/github', name: 'x' } }, 404, 'connector_not_found')
    await refused('POST', connections, { body: { connectorId: '__proto__', name: 'x' } }, 404, 'connector_not_found')
    await refused('POST', connections, { body: { connectorId: 'zendesk', authMethod: 'nope', name: 'x' } }, 400, 'unknown_auth_method')
  })

  const tricks = [
    `${connections}/..%2f..%2fconnectors`,
    `${connections}/..%2F`,
    `${connections}/%2e%2e`,
    `${connections}/%2e%2e%2fc_x`,
    `${connections}/CONNECTION%2f..%2f`,
    `${connections}/c%00x`,
    '/api/apps/..%2fdefault/connections',
    '/api/apps/default%2fconnections',
    '/api/apps/%2e%2e/connections',
    '/api/connectors/..%2Fgithub',
    '/api/connectors/github%2F..%2Fslack',
    '/api/connectors/%2e%2e%2fgithub',
    '/api/connectors/%252e%252e%252fgithub',
    '/api/connectors/.github',
  ]
  it.each(tricks)('path trick %s → 404', async (path) => {
    const res = await refused('GET', at(path), {}, 404, /_not_found$/)
    expect(res.text).not.toContain('"builtIn"')
    const del = await refused('DELETE', at(path), {}, 404, /_not_found$/)
    expect(del.status).toBe(404)
  })
})

describe('authentication → 401', () => {
  const routes: Array<[string, string]> = [
    ['GET', '/api/me'],
    ['GET', connections],
    ['POST', connections],
    ['DELETE', `${connections}/CONNECTION`],
    ['GET', '/api/connectors'],
  ]
  it.each(routes)('%s %s without a token, with a bad or revoked one', async (method, path) => {
    const body = method === 'POST' ? { body: { connectorId: 'zendesk', name: 'anonymous' } } : {}
    await refused(method, at(path), { ...body, token: null }, 401, 'unauthenticated')
    await refused(method, at(path), { ...body, token: 'sb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 401, 'unauthenticated')
    await refused(method, at(path), { ...body, token: 'not-a-token' }, 401, 'unauthenticated')
    await refused(method, at(path), { ...body, token: revoked }, 401, 'unauthenticated')
    await refused(
      method,
      at(path),
      { ...body, token: null, headers: { authorization: `Basic ${Buffer.from('owner:x').toString('base64')}` } },
      401,
      'unauthenticated',
    )
    await refused(method, at(path), { ...body, token: null, headers: { authorization: 'Bearer' } }, 401, 'unauthenticated')
    await refused(method, at(path), { ...body, token: null, headers: { cookie: `sb_session=${revoked}` } }, 401, 'unauthenticated')
  })

  it('the health route needs no token', async () => {
    const res = await h.call('GET', '/api/health', { token: null })
    expect(res.status).toBe(200)
    expect(res.body.ok).toBe(true)
  })

  it('the connection is still there, unchanged', async () => {
    const res = await h.call('GET', `${connections}/${id}`)
    expect(res.body).toMatchObject({ name: 'Zendesk', status: 'untested', fields: { subdomain: 'acme', email: 'ops@acme.test' } })
  })
})
