/**
 * The `none` auth type: a public API. A connection is usable as soon as it is created, and its requests (test,
 * action, proxy) carry the connector's static headers and nothing that looks like a credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness, startUpstream, type Upstream } from '../runtime/harness.ts'

let h: Harness
let upstream: Upstream
let id: string

beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream((req) => ({ body: { path: req.path, name: 'Public Weather' } }))
  const connector = {
    id: 'public-weather',
    name: 'Public Weather',
    baseUrl: upstream.origin,
    headers: { Accept: 'application/json' },
    auth: [{ type: 'none', id: 'public' }],
    test: { path: '/status', label: '{{body.name}}' },
    actions: [
      {
        key: 'forecast',
        name: 'Forecast',
        method: 'GET',
        path: '/forecast',
        query: { city: '{{input.city}}' },
        input: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
      },
    ],
  }
  expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
  const created = await h.call('POST', '/api/apps/default/connections', { body: { connectorId: 'public-weather', name: 'Weather' } })
  expect(created.status).toBe(201)
  id = created.body.id
})

afterAll(async () => {
  await upstream.close()
  await h.close()
})

describe('an auth method of type none', () => {
  it('is connected as soon as it is created, with no secrets to enter', async () => {
    const view = (await h.call('GET', `/api/apps/default/connections/${id}`)).body
    expect(view).toMatchObject({ status: 'connected', authMethod: 'public', secrets: {} })
  })

  it('tests, runs actions and proxies with the static headers and no credential', async () => {
    const test = await h.call('POST', `/api/apps/default/connections/${id}/test`)
    expect(test.body).toMatchObject({ ok: true, label: 'Public Weather' })
    const action = await h.call('POST', `/api/apps/default/connections/${id}/actions/forecast`, { body: { inputs: { city: 'Oslo' } } })
    expect(action.body).toMatchObject({ ok: true, status: 200, body: { path: '/forecast' } })
    expect(upstream.last().query.get('city')).toBe('Oslo')
    const proxied = await h.call('GET', `/api/apps/default/connections/${id}/proxy/today`)
    expect(proxied.status).toBe(200)
    for (const seen of upstream.requests) {
      expect(seen.headers.authorization).toBeUndefined()
      expect(seen.headers.accept).toBe('application/json')
    }
    expect(upstream.requests.map((r) => r.path)).toEqual(['/status', '/forecast', '/today'])
  })
})
