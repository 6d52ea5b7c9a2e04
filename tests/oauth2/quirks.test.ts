/**
 * Providers as they really are: GitHub's form-encoded token response, Slack's comma-separated scopes and
 * nested user token, `expires_in` as a string, a token endpoint that accepts client_secret_post only, `iss`
 * on the redirect, templated endpoints, and client-credentials clients that each connection brings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addConnection, authorize, outcome, providerConnector, setOAuthApp } from './flow.ts'
import { createHarness, type Harness, leaksOf } from './harness.ts'
import { type Provider, startProvider } from './provider.ts'

let h: Harness
const providers: Provider[] = []

async function provider(options: Omit<Parameters<typeof startProvider>[0], 'now'>): Promise<Provider> {
  const p = await startProvider({ now: () => h.now.ms, ...options })
  providers.push(p)
  return p
}

const connection = (id: string) => h.call('GET', `/api/apps/default/connections/${id}`)
const run = (id: string, action = 'list') => h.call('POST', `/api/apps/default/connections/${id}/actions/${action}`, { body: {} })

beforeAll(async () => {
  h = await createHarness()
})

afterAll(async () => {
  // Sealed at rest: no token, code, verifier or client secret in the store file.
  expect(
    leaksOf(
      { log: [await h.storeText()], emitted: [] },
      providers.flatMap((p) => p.secrets()),
    ),
  ).toEqual([])
  expect(
    leaksOf(
      h,
      providers.flatMap((p) => p.secrets()),
    ),
  ).toEqual([])
  for (const p of providers) await p.close()
  await h.close()
})

describe('GitHub: a form-encoded token response with comma-separated scopes', () => {
  it('connects and records the scopes the provider granted', async () => {
    const p = await provider({ tokenFormat: 'form', scopeSeparator: ',', refresh: false })
    await h.addConnector(providerConnector('gh-like', p.origin, { scopeSeparator: ',' }))
    await setOAuthApp(h, 'gh-like', p)
    const id = await addConnection(h, 'gh-like')
    const { providerUrl, final } = await authorize(h, id, { query: '?scopes=write' })
    expect(providerUrl.searchParams.get('scope')).toBe('read,write')
    expect(outcome(final).oauth).toBe('success')
    expect((await connection(id)).body).toMatchObject({
      status: 'connected',
      grantedScopes: ['read', 'write'],
      accountLabel: 'octo-person',
    })
    expect(p.tokenRequests[0]!.headers.accept).toBe('application/json')
    expect((await run(id)).body.status).toBe(200)
  })
})

describe('Slack: a nested user token under authed_user, user_scope, comma-separated scopes', () => {
  it('uses the user token at /authed_user/access_token, not the bot token', async () => {
    const p = await provider({ slack: true, scopeSeparator: ',' })
    await h.addConnector(
      providerConnector('slack-like', p.origin, {
        scopeSeparator: ',',
        scopeParam: 'user_scope',
        tokenResponse: {
          accessToken: '/authed_user/access_token',
          refreshToken: '/authed_user/refresh_token',
          expiresIn: '/authed_user/expires_in',
          scope: '/authed_user/scope',
        },
      }),
    )
    await setOAuthApp(h, 'slack-like', p)
    const id = await addConnection(h, 'slack-like')
    const { providerUrl, final } = await authorize(h, id, { query: '?scopes=write,admin' })
    expect(providerUrl.searchParams.get('user_scope')).toBe('read,write,admin')
    expect(providerUrl.searchParams.has('scope')).toBe(false)
    expect(outcome(final).oauth).toBe('success')
    expect((await connection(id)).body.grantedScopes).toEqual(['read', 'write', 'admin'])
    expect((await run(id)).body.status).toBe(200)
    expect(p.apiRequests.at(-1)!.authorization).toMatch(/^Bearer xoxp-/)
  })

  it('reads Slack\'s refusal, which comes as 200 {"ok": false}', async () => {
    const p = providers.at(-1)!
    const id = await addConnection(h, 'slack-like')
    const start = await h.get(`${h.origin}/api/apps/default/connections/${id}/oauth/authorize`, { authorization: `Bearer ${h.token}` })
    const back = new URL((await h.get(start.location!)).location!)
    back.searchParams.set('code', 'code-not-issued-by-slack')
    const result = outcome((await h.get(back.href)).location!)
    expect(result).toMatchObject({ oauth: 'error', code: 'invalid_grant' })
    expect(p.tokenRequests.length).toBeGreaterThan(0)
    expect((await connection(id)).body.status).toBe('not_connected')
  })
})

describe('a token response without scope', () => {
  it('records the requested scopes as granted (RFC 6749 §5.1)', async () => {
    const p = await provider({ omitScope: true })
    await h.addConnector(providerConnector('no-scope', p.origin))
    await setOAuthApp(h, 'no-scope', p)
    const id = await addConnection(h, 'no-scope')
    expect(outcome((await authorize(h, id, { query: '?scopes=admin' })).final).oauth).toBe('success')
    expect((await connection(id)).body.grantedScopes).toEqual(['read', 'admin'])
  })
})

describe('expires_in as a string', () => {
  it('is understood: the token is refreshed shortly before it expires', async () => {
    const p = await provider({ accessTtl: 600, expiresInAsString: true })
    await h.addConnector(providerConnector('string-ttl', p.origin))
    await setOAuthApp(h, 'string-ttl', p)
    const id = await addConnection(h, 'string-ttl')
    await authorize(h, id)
    expect((await run(id)).body.status).toBe(200)
    expect(p.refreshes()).toBe(0)
    h.now.ms += 550_000
    expect((await run(id)).body.status).toBe(200)
    expect(p.refreshes()).toBe(1)
  })
})

describe('client authentication', () => {
  it('sends the secret in the body for client_secret_post, and the provider that rejects Basic is satisfied', async () => {
    const p = await provider({ clientAuth: 'post' })
    await h.addConnector(providerConnector('post-only', p.origin, { clientAuth: 'client_secret_post' }))
    await setOAuthApp(h, 'post-only', p)
    const id = await addConnection(h, 'post-only')
    expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
    const exchange = p.tokenRequests.at(-1)!
    expect(exchange.headers.authorization).toBeUndefined()
    expect(exchange.params.get('client_id')).toBe(p.options.clientId)
    expect(exchange.params.get('client_secret')).toBe(p.options.clientSecret)
  })

  it('reports invalid_client in plain words when the connector sends Basic to that provider', async () => {
    const p = providers.at(-1)!
    await h.addConnector(providerConnector('post-only-misconfigured', p.origin))
    await setOAuthApp(h, 'post-only-misconfigured', p)
    const id = await addConnection(h, 'post-only-misconfigured')
    const result = outcome((await authorize(h, id)).final)
    expect(result).toMatchObject({ oauth: 'error', code: 'invalid_client' })
    expect(result.message).toContain('client id or secret')
    expect(result.message).toContain('client_secret_basic is not supported')
  })
})

describe('iss on the redirect (RFC 9207)', () => {
  it("is accepted when it equals the connector's issuer", async () => {
    const p = await provider({ iss: 'https://issuer.example.test' })
    await h.addConnector(providerConnector('with-iss', p.origin, { issuer: 'https://issuer.example.test' }))
    await setOAuthApp(h, 'with-iss', p)
    const id = await addConnection(h, 'with-iss')
    const { callbackUrl, final } = await authorize(h, id)
    expect(callbackUrl.searchParams.get('iss')).toBe('https://issuer.example.test')
    expect(outcome(final).oauth).toBe('success')
  })
})

describe('templated endpoints and extra parameters', () => {
  it("renders the authorize and token URLs and the extra parameters from the connection's fields", async () => {
    const p = await provider({})
    await h.addConnector(
      providerConnector(
        'tenanted',
        p.origin,
        {
          authorizeUrl: `${p.origin}/t/{{tenant}}/authorize`,
          tokenUrl: `${p.origin}/t/{{tenant}}/token`,
          authorizeParams: { audience: 'api.{{tenant}}', response_type: 'token' },
          tokenParams: { audience: 'api.{{tenant}}' },
        },
        { fields: [{ key: 'tenant', label: 'Tenant', type: 'text', required: true }] },
      ),
    )
    await setOAuthApp(h, 'tenanted', p)
    const id = await addConnection(h, 'tenanted', { values: { tenant: 'acme' } })
    const { providerUrl, final } = await authorize(h, id)
    expect(providerUrl.pathname).toBe('/t/acme/authorize')
    expect(providerUrl.searchParams.get('audience')).toBe('api.acme')
    // An extra parameter cannot replace the protocol's own.
    expect(providerUrl.searchParams.get('response_type')).toBe('code')
    expect(outcome(final).oauth).toBe('success')
    expect(p.tokenRequests.at(-1)!.path).toBe('/t/acme/token')
    expect(p.tokenRequests.at(-1)!.params.get('audience')).toBe('api.acme')
  })

  it('leaves PKCE out when the connector turns it off', async () => {
    const p = await provider({})
    await h.addConnector(providerConnector('no-pkce', p.origin, { pkce: false }))
    await setOAuthApp(h, 'no-pkce', p)
    const id = await addConnection(h, 'no-pkce')
    const { providerUrl, final } = await authorize(h, id)
    expect(providerUrl.searchParams.has('code_challenge')).toBe(false)
    expect(p.tokenRequests.at(-1)!.params.has('code_verifier')).toBe(false)
    expect(outcome(final).oauth).toBe('success')
  })
})

describe("client credentials with the connection's own client", () => {
  it('uses the clientId and clientSecret fields when the method declares them, and reports a wrong secret', async () => {
    const p = await provider({ accessTtl: 300 })
    await h.addConnector(
      providerConnector('machine', p.origin, {
        grant: 'client_credentials',
        authorizeUrl: undefined,
        fields: [
          { key: 'clientId', label: 'Client id', type: 'text', required: true },
          { key: 'clientSecret', label: 'Client secret', type: 'secret', required: true },
        ],
      }),
    )
    const id = await addConnection(h, 'machine', { values: { clientId: p.options.clientId } })
    const wrong = await h.call('PUT', `/api/apps/default/connections/${id}/credentials`, {
      body: { values: { clientSecret: 'not-the-secret-0000' } },
    })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.code).toBe('token_invalid_client')
    expect((await connection(id)).body.status).toBe('not_connected')

    const res = await h.call('PUT', `/api/apps/default/connections/${id}/credentials`, {
      body: { values: { clientSecret: p.options.clientSecret } },
    })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({
      status: 'connected',
      grantedScopes: ['read'],
      secrets: { clientSecret: { hasValue: true } },
      accountLabel: 'octo-person',
    })
    expect(p.tokenRequests.at(-1)!.params.get('scope')).toBe('read')
    h.now.ms += 300_000
    expect((await run(id)).body.status).toBe(200)
    expect(p.tokenRequests.filter((r) => r.params.get('grant_type') === 'client_credentials').length).toBe(3)
  })
})
