import { createHarness, type Harness } from '../tests/oauth2/harness.ts'
import { type Provider, startProvider } from '../tests/oauth2/provider.ts'
import { isMain, percentile, printTable, type Row } from './table.ts'

/**
 * What a refresh adds to a proxied request: the same OAuth2 connection's proxied call when its token is
 * fresh (baseline) and when it has expired, so the runtime refreshes it (token request, durable store of
 * the new tokens) before calling — same loopback provider, same run.
 *
 * @example
 * printTable('refresh', await benchOAuthRefresh())
 */
export async function benchOAuthRefresh(iterations = 200): Promise<Row[]> {
  const h: Harness = await createHarness()
  const provider: Provider = await startProvider({ now: () => h.now.ms, accessTtl: 3600 })
  try {
    await h.addConnector({
      id: 'bench-oauth',
      name: 'Bench OAuth',
      baseUrl: provider.origin,
      auth: [
        {
          type: 'oauth2',
          id: 'oauth',
          grant: 'authorization_code',
          authorizeUrl: `${provider.origin}/authorize`,
          tokenUrl: `${provider.origin}/token`,
          scopes: [{ value: 'read' }],
          defaultScopes: ['read'],
        },
      ],
      test: { method: 'GET', path: '/api/me' },
    })
    const app = await h.call('PUT', '/api/connectors/bench-oauth/oauth-app', {
      body: { clientId: provider.options.clientId, clientSecret: provider.options.clientSecret },
    })
    if (app.status !== 200) throw new Error(`oauth app: ${app.text}`)
    const created = await h.call('POST', '/api/apps/default/connections', { body: { connectorId: 'bench-oauth', name: 'bench' } })
    const id = created.body.id as string
    const start = await h.get(`${h.origin}/api/apps/default/connections/${id}/oauth/authorize`, { authorization: `Bearer ${h.token}` })
    const atProvider = await h.get(start.location!)
    const back = await h.get(atProvider.location!)
    if (!back.location?.includes('oauth=success')) throw new Error(`authorization failed: ${back.location}`)

    const proxied = async () => {
      const res = await h.call('GET', `/api/apps/default/connections/${id}/proxy/api/me`)
      if (res.status !== 200) throw new Error(`proxied call: ${res.status} ${res.text}`)
    }
    const time = async (before: () => void) => {
      const samples: number[] = []
      for (let i = 0; i < iterations + 10; i++) {
        before()
        const t = performance.now()
        await proxied()
        if (i >= 10) samples.push(performance.now() - t)
      }
      return samples.sort((a, b) => a - b)
    }
    const fresh = await time(() => {})
    const refreshesBefore = provider.refreshes()
    // An hour on: every call finds its token expired and refreshes it first.
    const refreshing = await time(() => void (h.now.ms += 3_601_000))
    const refreshes = provider.refreshes() - refreshesBefore
    return [
      {
        name: 'proxied call, fresh token p50 (baseline)',
        value: percentile(fresh, 50),
        unit: 'ms',
        note: `${iterations} sequential calls, in-process`,
      },
      { name: 'proxied call, fresh token p99', value: percentile(fresh, 99), unit: 'ms' },
      {
        name: 'proxied call that refreshes first p50',
        value: percentile(refreshing, 50),
        unit: 'ms',
        note: `${refreshes} refresh requests seen by the provider`,
      },
      { name: 'proxied call that refreshes first p99', value: percentile(refreshing, 99), unit: 'ms' },
      { name: 'added by the refresh (p50)', value: percentile(refreshing, 50) - percentile(fresh, 50), unit: 'ms' },
      { name: 'refreshing / fresh (p50)', value: percentile(refreshing, 50) / percentile(fresh, 50), unit: 'ratio' },
    ]
  } finally {
    await provider.close()
    await h.close()
  }
}

if (isMain(import.meta.url)) printTable('Proxied request: fresh token vs refresh first', await benchOAuthRefresh())
