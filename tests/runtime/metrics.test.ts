/**
 * `GET /metrics`: served only with its own bearer token, in the Prometheus text format (read here by a strict
 * parser that fails on any malformed line), and the series move with traffic: requests by route pattern and
 * status, upstream latency by connector, token renewals and their failures, store latency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Family, parsePrometheusText, sampleValue } from '../support/prometheus-text.ts'
import { createHarness, type Harness, marker, startUpstream, type Upstream } from './harness.ts'

const TOKEN = `metrics-${marker()}`
const connections = '/api/apps/default/connections'

let h: Harness
let upstream: Upstream
/** Whether the token endpoint answers. */
let tokenEndpointUp = true

async function scrape(): Promise<Map<string, Family>> {
  const res = await h.call('GET', '/metrics', { token: TOKEN })
  expect(res.status, res.text).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return parsePrometheusText(res.text)
}

beforeAll(async () => {
  h = await createHarness({ metricsToken: TOKEN })
  upstream = await startUpstream((request) => {
    if (request.path !== '/oauth/token') return { body: { ok: true, login: 'octocat' } }
    // A token that is due at once, so every use renews it.
    return tokenEndpointUp ? { body: { access_token: marker('AT'), token_type: 'bearer', expires_in: 30 } } : { status: 503, body: {} }
  })
})

afterAll(async () => {
  await h?.close()
  await upstream?.close()
})

describe('GET /metrics', () => {
  it('asks for its token: none or a wrong one is 401, and an API token is not it', async () => {
    for (const token of [null, 'wrong-token-of-some-length', h.token]) {
      const res = await h.call('GET', '/metrics', { token })
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('unauthenticated')
      expect(res.text).not.toContain('switchboard_')
    }
  })

  it('answers 404 metrics_disabled when no token is set', async () => {
    const off = await createHarness()
    try {
      const res = await off.call('GET', '/metrics', { token: TOKEN })
      expect(res.status).toBe(404)
      expect(res.body.error).toMatchObject({ code: 'metrics_disabled', message: expect.stringContaining('SWITCHBOARD_METRICS_TOKEN') })
    } finally {
      await off.close()
    }
  })

  it('parses, and holds every family, the ones features count into included', async () => {
    const families = await scrape()
    const types = Object.fromEntries([...families.values()].map((f) => [f.name, f.type]))
    expect(types).toMatchObject({
      switchboard_http_requests_total: 'counter',
      switchboard_http_request_duration_seconds: 'histogram',
      switchboard_upstream_request_duration_seconds: 'histogram',
      switchboard_store_operation_duration_seconds: 'histogram',
      switchboard_token_renewals_total: 'counter',
      switchboard_health_checks_total: 'counter',
      switchboard_webhook_deliveries_total: 'counter',
      switchboard_rate_limit_wait_seconds: 'histogram',
      switchboard_rate_limited_total: 'counter',
    })
  })

  it('the series move with traffic', async () => {
    const before = await scrape()
    const sent = upstream.requests.length
    for (let i = 0; i < 3; i++) expect((await h.call('GET', '/api/me')).status).toBe(200)
    expect((await h.call('GET', `${connections}/c_missing`)).status).toBe(404)
    const github = await h.call('POST', connections, {
      body: { connectorId: 'github', name: 'GitHub', values: { token: `ghp_${marker()}` }, baseUrl: upstream.origin },
    })
    expect(github.status, github.text).toBe(201)
    expect((await h.call('GET', `${connections}/${github.body.id}/proxy/user?page=2`)).status).toBe(200)
    h.metrics.healthChecks.inc({ kind: 'test', result: 'failed' })
    h.metrics.webhookDeliveries.inc({ event: 'connection.failed', result: 'delivered' })
    const after = await scrape()

    const moved = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels)
    expect(moved('switchboard_http_requests_total', { method: 'GET', route: '/api/me', status: '200' })).toBe(3)
    expect(moved('switchboard_http_requests_total', { method: 'GET', route: '/api/apps/:appId/connections/:id', status: '404' })).toBe(1)
    expect(moved('switchboard_http_requests_total', { method: 'POST', route: '/api/apps/:appId/connections', status: '201' })).toBe(1)
    const proxyRoute = { method: 'GET', route: '/api/apps/:appId/connections/:id/proxy/*' }
    expect(moved('switchboard_http_requests_total', { ...proxyRoute, status: '200' })).toBe(1)
    expect(moved('switchboard_http_request_duration_seconds_count', proxyRoute)).toBe(1)
    // Every request the upstream saw (the proxied call, and a test on creation if there was one).
    expect(upstream.requests.length - sent).toBeGreaterThan(0)
    expect(moved('switchboard_upstream_request_duration_seconds_count', { connector: 'github' })).toBe(upstream.requests.length - sent)
    expect(moved('switchboard_store_operation_duration_seconds_count', { operation: 'get', engine: h.store.engine })).toBeGreaterThan(5)
    expect(moved('switchboard_health_checks_total', { kind: 'test', result: 'failed' })).toBe(1)
    expect(moved('switchboard_webhook_deliveries_total', { event: 'connection.failed', result: 'delivered' })).toBe(1)
    // Route patterns, never paths: no connection id or query in a label.
    const labels = [...after.values()].flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels)))
    expect(labels.filter((value) => value.includes(github.body.id) || value.includes('?'))).toEqual([])
  })

  it('counts token renewals by connector and result', async () => {
    const connector = {
      id: 'metrics-machines',
      name: 'Machines (loopback)',
      baseUrl: upstream.origin,
      auth: [
        {
          type: 'oauth2',
          id: 'client',
          grant: 'client_credentials',
          tokenUrl: `${upstream.origin}/oauth/token`,
          fields: [
            { key: 'clientId', label: 'Client ID', type: 'text', required: true },
            { key: 'clientSecret', label: 'Client secret', type: 'secret', required: true },
          ],
        },
      ],
      test: { path: '/me' },
    }
    expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
    const created = await h.call('POST', connections, {
      body: { connectorId: connector.id, name: 'Machines', values: { clientId: 'm-1' } },
    })
    expect(created.status, created.text).toBe(201)
    const values = { clientId: 'm-1', clientSecret: marker() }
    const connected = await h.call('PUT', `${connections}/${created.body.id}/credentials`, { body: { values } })
    expect(connected.status, connected.text).toBe(200)
    const renewals = async (result: string) =>
      sampleValue(await scrape(), 'switchboard_token_renewals_total', { connector: connector.id, result })
    const ok = await renewals('ok')
    expect((await h.call('GET', `${connections}/${created.body.id}/proxy/machines`)).status).toBe(200)
    expect(await renewals('ok')).toBeGreaterThan(ok)
    tokenEndpointUp = false
    const failed = await renewals('failed')
    await h.call('GET', `${connections}/${created.body.id}/proxy/machines`)
    expect(await renewals('failed')).toBe(failed + 1)
  })
})

describe('the text parser', () => {
  const good = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 3\n'
  it('reads what it should', () => {
    expect(sampleValue(parsePrometheusText(good), 'a_total', { x: '1' })).toBe(3)
  })

  it.each([
    ['no final newline', good.slice(0, -1)],
    ['a label name with a dash', '# TYPE a counter\na{x-y="1"} 1\n'],
    ['a comment-looking HELP without a name', '# HELP \n'],
    ['a sample without a value', '# TYPE a counter\na{x="1"}\n'],
    ['an unquoted label', '# TYPE a counter\na{x=1} 1\n'],
    ['a sample before its TYPE', 'a 1\n# TYPE a counter\n'],
    ['a second TYPE', '# TYPE a counter\n# TYPE a counter\n'],
    ['an unknown type', '# TYPE a meter\n'],
    ['the same series twice', '# TYPE a counter\na{x="1"} 1\na{x="1"} 2\n'],
    ['a value that is no number', '# TYPE a gauge\na one\n'],
    ['buckets that are not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['+Inf unlike _count', '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n'],
  ])('fails on %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow()
  })
})
