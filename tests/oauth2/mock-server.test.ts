/**
 * OAuth2 end to end against oauth2-mock-server on loopback: the authorization-code flow with PKCE through
 * real redirects, the client-credentials grant, and a proactive refresh.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { OAuth2Server } from 'oauth2-mock-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readAll } from '../../runtime/platform/store/index.ts'
import { addConnection, authorize, authorizePath, outcome } from './flow.ts'
import { createHarness, type Harness, leaksOf } from './harness.ts'

let h: Harness
let mock: OAuth2Server
let issuer: string
const CLIENT_ID = 'mock-client'
const CLIENT_SECRET = 'mock-secret-d41d8cd98f00'
/** Token requests as the mock saw them. */
const tokenRequests: Array<{ body: Record<string, string>; authorization: string | undefined }> = []
const userinfo: string[] = []
const issued: string[] = []
let lastScope = ''

beforeAll(async () => {
  h = await createHarness()
  mock = new OAuth2Server()
  await mock.issuer.keys.generate('RS256')
  await mock.start(0, '127.0.0.1')
  // The mock names itself "localhost"; the runtime's client allows 127.0.0.1 only.
  issuer = `http://127.0.0.1:${mock.address().port}`
  mock.issuer.url = issuer
  mock.service.on('beforeAuthorizeRedirect', (_uri: unknown, req: IncomingMessage & { query: Record<string, string> }) => {
    lastScope = req.query.scope ?? ''
  })
  mock.service.on(
    'beforeResponse',
    (response: { body: Record<string, unknown> }, req: IncomingMessage & { body: Record<string, string> }) => {
      tokenRequests.push({ body: { ...req.body }, authorization: req.headers.authorization })
      // The mock echoes the token request's scope; a real server answers with what was authorized.
      if (req.body.grant_type === 'authorization_code') response.body.scope = lastScope
      // …and leaves it out on refresh, which means "unchanged" (RFC 6749 §5.1).
      if (req.body.grant_type === 'refresh_token') delete response.body.scope
      for (const key of ['access_token', 'refresh_token', 'id_token'])
        if (typeof response.body[key] === 'string') issued.push(response.body[key] as string)
      if (req.body.code) issued.push(req.body.code, req.body.code_verifier ?? '')
    },
  )
  // Tokens signed in the same second would otherwise be identical.
  mock.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => void (token.payload.jti = randomUUID()))
  mock.service.on('beforeUserinfo', (_response: unknown, req: IncomingMessage) => void userinfo.push(req.headers.authorization ?? ''))

  const base = { baseUrl: issuer, test: { method: 'GET', path: '/userinfo', label: '{{body.sub}}' } }
  await h.addConnector({
    ...base,
    id: 'mock-code',
    name: 'Mock (code)',
    auth: [
      {
        type: 'oauth2',
        id: 'oauth',
        grant: 'authorization_code',
        authorizeUrl: `${issuer}/authorize`,
        tokenUrl: `${issuer}/token`,
        scopes: [{ value: 'openid' }, { value: 'profile' }, { value: 'email' }],
        defaultScopes: ['openid', 'profile'],
        authorizeParams: { prompt: 'consent' },
      },
    ],
    actions: [{ key: 'whoami', name: 'Who am I', method: 'GET', path: '/userinfo', scopes: ['openid'] }],
  })
  await h.addConnector({
    ...base,
    id: 'mock-machine',
    name: 'Mock (machine)',
    auth: [
      {
        type: 'oauth2',
        id: 'machine',
        grant: 'client_credentials',
        tokenUrl: `${issuer}/token`,
        scopes: [{ value: 'jobs:run' }],
        defaultScopes: ['jobs:run'],
      },
    ],
    actions: [{ key: 'whoami', name: 'Who am I', method: 'GET', path: '/userinfo' }],
  })
  for (const id of ['mock-code', 'mock-machine']) {
    const res = await h.call('PUT', `/api/connectors/${id}/oauth-app`, { body: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } })
    expect(res.status).toBe(200)
  }
})

afterAll(async () => {
  // Sealed at rest: no token, code, verifier or client secret in the store file.
  expect(leaksOf({ log: [await h.storeText()], emitted: [] }, [...issued, CLIENT_SECRET])).toEqual([])
  expect(leaksOf(h, [...issued, CLIENT_SECRET])).toEqual([])
  await mock.stop()
  await h.close()
})

describe('the workspace OAuth app', () => {
  it('shows the client id, whether a secret is set and the redirect URI, never the secret', async () => {
    const res = await h.call('GET', '/api/connectors/mock-code/oauth-app')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      connectorId: 'mock-code',
      configured: true,
      clientId: CLIENT_ID,
      hasClientSecret: true,
      redirectUri: `${h.origin}/oauth/callback`,
      updatedAt: expect.any(String),
    })
    expect(res.text).not.toContain(CLIENT_SECRET)
    expect(JSON.stringify(await readAll(h.store, 'oauthApps'))).not.toContain(CLIENT_SECRET)
    expect(JSON.stringify(await readAll(h.store, 'credentials'))).not.toContain(CLIENT_SECRET)
  })

  it('keeps the secret when a PUT leaves it out, and only the owner may change it', async () => {
    const member = await h.addUser('member1')
    expect((await h.call('PUT', '/api/connectors/mock-code/oauth-app', { token: member, body: { clientId: 'x' } })).status).toBe(403)
    const res = await h.call('PUT', '/api/connectors/mock-code/oauth-app', { body: { clientId: CLIENT_ID } })
    expect(res.body.hasClientSecret).toBe(true)
    expect((await h.call('GET', '/api/connectors/mock-code/oauth-app', { token: member })).body.configured).toBe(true)
  })

  it('is refused for a connector without OAuth2, and for a body with an unknown property', async () => {
    expect((await h.call('GET', '/api/connectors/stripe/oauth-app')).body.error.code).toBe('not_oauth2')
    expect((await h.call('PUT', '/api/connectors/mock-code/oauth-app', { body: { clientId: 'x', extra: 1 } })).status).toBe(400)
  })
})

describe('the authorization-code flow with PKCE, through real redirects', () => {
  let id: string

  it('connects: state, S256 challenge, scopes and the same redirect URI on both legs', async () => {
    id = await addConnection(h, 'mock-code')
    const before = tokenRequests.length
    const { providerUrl, final } = await authorize(h, id, { query: '?scopes=email' })
    const q = providerUrl.searchParams
    expect(`${providerUrl.origin}${providerUrl.pathname}`).toBe(`${issuer}/authorize`)
    expect(q.get('response_type')).toBe('code')
    expect(q.get('client_id')).toBe(CLIENT_ID)
    expect(q.get('redirect_uri')).toBe(`${h.origin}/oauth/callback`)
    expect(q.get('scope')).toBe('openid profile email')
    expect(q.get('prompt')).toBe('consent')
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(outcome(final)).toEqual({ path: `/apps/default/connections/${id}`, oauth: 'success', code: null, message: null })

    expect(tokenRequests.length).toBe(before + 1)
    const exchange = tokenRequests.at(-1)!
    expect(exchange.body.grant_type).toBe('authorization_code')
    expect(exchange.body.redirect_uri).toBe(q.get('redirect_uri'))
    expect(exchange.body.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(exchange.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`)
  })

  it('records the grant: connected, granted scopes, the account label from the connection test', async () => {
    const res = await h.call('GET', `/api/apps/default/connections/${id}`)
    expect(res.body).toMatchObject({ status: 'connected', grantedScopes: ['openid', 'profile', 'email'], accountLabel: 'johndoe' })
    expect(res.body.connectUrl).toBeUndefined()
  })

  it('runs an action with the access token as a bearer token', async () => {
    const res = await h.call('POST', `/api/apps/default/connections/${id}/actions/whoami`, { body: {} })
    expect(res.status, res.text).toBe(200)
    expect(res.body.body).toEqual({ sub: 'johndoe' })
    expect(userinfo.at(-1)).toMatch(/^Bearer eyJ/)
    expect(res.body.request.headers.Authorization).toBe('Bearer ••••')
  })

  it('refreshes proactively once the token is about to expire, and uses the new token', async () => {
    const used = userinfo.at(-1)
    h.now.ms += 3600_000 - 30_000
    const before = tokenRequests.length
    const res = await h.call('POST', `/api/apps/default/connections/${id}/actions/whoami`, { body: {} })
    expect(res.status).toBe(200)
    expect(tokenRequests.slice(before).map((r) => r.body.grant_type)).toEqual(['refresh_token'])
    expect(userinfo.at(-1)).not.toBe(used)
  })

  it('gives the designer the link as JSON with format=json', async () => {
    const res = await h.call('GET', authorizePath(id, '?format=json'))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      url: expect.stringContaining(`${issuer}/authorize?`),
      scopes: ['openid', 'profile', 'email'],
      expiresAt: expect.any(String),
    })
  })

  it("shows the provider's error instead of swallowing it", async () => {
    const other = await addConnection(h, 'mock-code')
    mock.service.once('beforeAuthorizeRedirect', (uri: { url: URL }) => {
      uri.url.searchParams.delete('code')
      uri.url.searchParams.set('error', 'access_denied')
      uri.url.searchParams.set('error_description', 'The resource owner denied the request')
    })
    const before = tokenRequests.length
    const { final } = await authorize(h, other)
    const result = outcome(final)
    expect(result).toMatchObject({ path: `/apps/default/connections/${other}`, oauth: 'error', code: 'access_denied' })
    expect(result.message).toContain('The resource owner denied the request')
    expect(tokenRequests.length).toBe(before)
    expect((await h.call('GET', `/api/apps/default/connections/${other}`)).body.status).toBe('not_connected')
  })
})

describe('the client-credentials grant', () => {
  it('fetches a token on connect with the workspace OAuth app, and again when it expired', async () => {
    const id = await addConnection(h, 'mock-machine')
    const before = tokenRequests.length
    const res = await h.call('PUT', `/api/apps/default/connections/${id}/credentials`, { body: { values: {} } })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ status: 'connected', grantedScopes: ['jobs:run'], accountLabel: 'johndoe' })
    expect(tokenRequests.slice(before).map((r) => [r.body.grant_type, r.body.scope])).toEqual([['client_credentials', 'jobs:run']])
    expect(tokenRequests.at(-1)!.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`)

    expect((await h.call('POST', `/api/apps/default/connections/${id}/actions/whoami`, { body: {} })).status).toBe(200)
    expect(tokenRequests.length).toBe(before + 1)
    h.now.ms += 3600_000
    expect((await h.call('POST', `/api/apps/default/connections/${id}/actions/whoami`, { body: {} })).status).toBe(200)
    expect(tokenRequests.slice(before).map((r) => r.body.grant_type)).toEqual(['client_credentials', 'client_credentials'])
  })

  it('cannot be started as an authorization-code flow', async () => {
    const id = await addConnection(h, 'mock-machine')
    expect((await h.call('GET', authorizePath(id))).body.error.code).toBe('not_authorization_code')
  })
})
