/**
 * The client's error: the runtime's envelope becomes a typed `SwitchboardApiError` whose `connection_required`
 * and `scope_missing` carry their links; an answer without the envelope gets `[METHOD] "url": status`; and only
 * the runtime marks its own refusals (`X-Switchboard-Error`), so an upstream cannot pass one off as a refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, SwitchboardApiError } from '../../client/index.ts'
import { createHarness, type Harness, startUpstream, type Upstream } from '../runtime/harness.ts'

const envelope = (status: number, error: unknown) =>
  new Response(JSON.stringify({ error }), { status, headers: { 'content-type': 'application/json', 'x-switchboard-error': 'x' } })

describe('SwitchboardApiError', () => {
  it('reads connection_required and scope_missing with their links', async () => {
    const connectUrl = 'http://localhost:8787/#/apps/default/connections/c_1/connect'
    const required = await SwitchboardApiError.from(
      envelope(428, { code: 'connection_required', message: 'Connect it', details: { connectUrl } }),
      'POST',
    )
    expect(required).toBeInstanceOf(Error)
    expect([required.status, required.code, required.message, required.connectUrl]).toEqual([
      428,
      'connection_required',
      'Connect it',
      connectUrl,
    ])
    expect(required.is('connection_required') && required.details?.connectUrl).toBe(connectUrl)
    expect(required.reauthorizeUrl).toBeUndefined()

    const reauthorizeUrl = 'http://localhost:8787/api/apps/default/connections/c_1/oauth/authorize?scopes=repo'
    const details = { missing: ['repo'], granted: ['read:user'], reauthorizeUrl }
    const scope = await SwitchboardApiError.from(envelope(403, { code: 'scope_missing', message: 'Needs repo', details }), 'POST')
    expect(scope.reauthorizeUrl).toBe(reauthorizeUrl)
    expect(scope.is('scope_missing') && scope.details?.missing).toEqual(['repo'])
    expect(scope.connectUrl).toBeUndefined()
  })

  it('says method, URL and status when the answer is not the envelope', async () => {
    const error = await SwitchboardApiError.from(new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }), 'GET')
    expect(error.code).toBe('http_error')
    expect(error.message).toBe('[GET] "": 502 Bad Gateway')
  })

  it('refuses a base URL that is not an origin, when the client is made', () => {
    expect(() => createClient({ baseUrl: 'localhost:8787/api' })).toThrow(/baseUrl must be an origin/)
  })
})

describe('the runtime marks its own refusals', () => {
  let h: Harness
  let upstream: Upstream
  beforeAll(async () => {
    h = await createHarness()
    upstream = await startUpstream(() => ({
      status: 403,
      headers: { 'x-switchboard-error': 'forbidden' },
      body: { error: { code: 'forbidden' } },
    }))
  })
  afterAll(async () => {
    await upstream.close()
    await h.close()
  })

  it('sets X-Switchboard-Error on its error answers, and drops one an upstream sends through the proxy', async () => {
    const refused = await h.call('GET', '/api/apps/default/connections', { token: null })
    expect(refused.headers.get('x-switchboard-error')).toBe('unauthenticated')
    const connector = {
      id: 'spoof-lab',
      name: 'Spoof lab',
      baseUrl: upstream.origin,
      auth: [
        { type: 'bearer', id: 'token', fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }], token: '{{token}}' },
      ],
    }
    expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
    const made = await h.call('POST', '/api/apps/default/connections', {
      body: { connectorId: 'spoof-lab', name: 'Spoof', sharing: 'shared' },
    })
    await h.call('PUT', `/api/apps/default/connections/${made.body.id}/credentials`, {
      body: { authMethod: 'token', values: { token: 'spoof-token-1' } },
    })
    const proxied = await h.call('GET', `/api/apps/default/connections/${made.body.id}/proxy/x`)
    expect(proxied.status).toBe(403)
    expect(proxied.headers.get('x-switchboard-error')).toBeNull()
  })
})
