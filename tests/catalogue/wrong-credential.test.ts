/**
 * "A wrong credential never tests as connected", for every built-in not proven elsewhere (the signing, JWT,
 * session, Salesforce and Zendesk built-ins have their own stand-ins in tests/auth and tests/runtime). Each
 * built-in is used as shipped, only its base URL moved to a loopback stand-in that answers the connector's test
 * request the way the real API answers a wrong credential (its status and its own error shape, or a 200 that
 * says no), and the right one the way the real API answers it. OAuth2-only built-ins hold a stored access token
 * the stand-in no longer accepts, with a refresh that the provider refuses too.
 */
import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addConnection, authorize, outcome } from '../oauth2/flow.ts'
import { createHarness, type Harness, leaksOf } from '../oauth2/harness.ts'
import { basicOf, type Reply, type SeenRequest, startUpstream, type Upstream } from '../runtime/harness.ts'

let h: Harness
let upstream: Upstream
const secrets: string[] = []
const connections = '/api/apps/default/connections'

beforeAll(async () => {
  h = await createHarness({ oauth2: { backoffMs: 1 } })
  upstream = await startUpstream()
})

afterAll(async () => {
  expect(leaksOf(h, secrets)).toEqual([])
  await upstream.close()
  await h.close()
})

const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const alnum = () => `Mk${hex(8)}`
const bearerOf = (req: SeenRequest) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]

interface Case {
  /** Shown in the test name; the connector id unless a second variant of one. */
  name: string
  connector: string
  method?: string
  /** How the real API answers the test request with a wrong credential. */
  real: string
  /** The test request's path at the stand-in. */
  path: string
  /** Appended to the stand-in origin for the base URL (a built-in whose base URL has a path). */
  basePath?: string
  /** A credential value its field's pattern accepts; called twice, for the right and the wrong one. */
  secret: () => string
  /** The values of a connection holding this credential. */
  values: (secret: string, origin: string) => Record<string, string>
  /** Whether the request carries the right credential. */
  accepts: (req: SeenRequest, right: string) => boolean
  /** The real API's answer to the right credential. */
  right: Reply
  /** The real API's answer to a wrong one. */
  wrong: Reply
  /** A generic connector: its base URL comes from a field, not from an override. */
  generic?: boolean
  label?: string
  problem: string
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({ status, body, headers })

const CASES: Case[] = [
  {
    name: 'github',
    connector: 'github',
    real: '401 {"message":"Bad credentials","documentation_url":…}',
    path: '/user',
    secret: () => `ghp_${alnum()}`,
    values: (token) => ({ token }),
    accepts: (req, right) => bearerOf(req) === right,
    right: json(200, { login: 'octocat', id: 583231, type: 'User' }),
    wrong: json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' }),
    label: 'octocat',
    problem: 'credentials_rejected',
  },
  {
    name: 'jira',
    connector: 'jira',
    method: 'apiToken',
    real: '401 text/plain "Client must be authenticated to access this resource." (X-Seraph-LoginReason: AUTHENTICATED_FAILED)',
    path: '/rest/api/3/myself',
    secret: () => `ATATT3x${alnum()}`,
    values: (apiToken) => ({ cloudId: '1324a887-45db-1bf4-1e99-ef0ff456d421', email: 'ada@acme.test', apiToken }),
    accepts: (req, right) => basicOf(req.headers.authorization)?.password === right,
    right: json(200, { accountId: '5b10a2844c20165700ede21g', displayName: 'Ada Lovelace', active: true }),
    wrong: {
      status: 401,
      headers: { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED', 'www-authenticate': 'OAuth realm="https%3A%2F%2Facme.atlassian.net"' },
      body: 'Client must be authenticated to access this resource.',
    },
    label: 'Ada Lovelace',
    problem: 'credentials_rejected',
  },
  {
    name: 'slack',
    connector: 'slack',
    method: 'botToken',
    real: '200 {"ok":false,"error":"invalid_auth"}',
    path: '/api/auth.test',
    secret: () => `xoxb-${hex(4)}-${alnum()}`,
    values: (token) => ({ token }),
    accepts: (req, right) => bearerOf(req) === right,
    right: json(200, { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'switchboard', team_id: 'T1', user_id: 'U1' }),
    wrong: json(200, { ok: false, error: 'invalid_auth' }),
    label: 'Acme / switchboard',
    problem: 'body_rule_failed',
  },
  {
    name: 'hubspot',
    connector: 'hubspot',
    method: 'privateApp',
    real: '401 {"status":"error","message":"Authentication credentials not found…","category":"INVALID_AUTHENTICATION"}',
    path: '/account-info/v3/details',
    secret: () => `pat-na1-${hex(4)}-${hex(4)}`,
    values: (accessToken) => ({ accessToken }),
    accepts: (req, right) => bearerOf(req) === right,
    right: json(200, { portalId: 62515, accountType: 'STANDARD', timeZone: 'US/Eastern', companyCurrency: 'USD' }),
    wrong: json(401, {
      status: 'error',
      message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
      correlationId: '0b3c1e5a-4b8e-4d7c-9a43-2f1e1f0b7a11',
      category: 'INVALID_AUTHENTICATION',
    }),
    label: 'HubSpot account 62515',
    problem: 'credentials_rejected',
  },
  {
    name: 'stripe',
    connector: 'stripe',
    real: '401 {"error":{"message":"Invalid API Key provided: rk_test_****","type":"invalid_request_error"}}',
    path: '/v1/balance',
    secret: () => `rk_test_${alnum()}`,
    values: (secretKey) => ({ secretKey }),
    accepts: (req, right) => bearerOf(req) === right,
    right: json(200, { object: 'balance', available: [{ amount: 0, currency: 'usd' }], livemode: false, pending: [] }),
    wrong: json(
      401,
      { error: { message: 'Invalid API Key provided: rk_test_****wxyz', type: 'invalid_request_error' } },
      { 'www-authenticate': 'Bearer realm="Stripe"' },
    ),
    problem: 'credentials_rejected',
  },
  {
    name: 'notion',
    connector: 'notion',
    method: 'internalIntegration',
    real: '401 {"object":"error","status":401,"code":"unauthorized","message":"API token is invalid."}',
    path: '/v1/users/me',
    secret: () => `ntn_${alnum()}`,
    values: (token) => ({ token }),
    accepts: (req, right) => bearerOf(req) === right && req.headers['notion-version'] === '2022-06-28',
    right: json(200, { object: 'user', id: 'b1c2', type: 'bot', bot: { owner: { type: 'workspace' }, workspace_name: 'Acme Docs' } }),
    wrong: json(401, { object: 'error', status: 401, code: 'unauthorized', message: 'API token is invalid.', request_id: 'f1e2d3' }),
    label: 'Acme Docs',
    problem: 'credentials_rejected',
  },
  {
    name: 'linear (400 with an errors array)',
    connector: 'linear',
    method: 'personalApiKey',
    real: '400 {"errors":[{"message":"Authentication required, not authenticated","extensions":{"code":"AUTHENTICATION_ERROR"}}]}',
    path: '/graphql',
    secret: () => `lin_api_${alnum()}`,
    values: (apiKey) => ({ apiKey }),
    accepts: (req, right) => req.headers.authorization === right,
    right: json(200, { data: { viewer: { id: 'u-1', name: 'Lin Ear', email: 'lin@acme.test' } } }),
    wrong: json(400, {
      errors: [
        {
          message: 'Authentication required, not authenticated',
          extensions: {
            type: 'authentication error',
            code: 'AUTHENTICATION_ERROR',
            statusCode: 401,
            userPresentableMessage: 'You need to authenticate to access this operation.',
          },
        },
      ],
    }),
    label: 'Lin Ear',
    problem: 'credentials_rejected',
  },
  {
    name: 'linear (200 with data null and an errors array, as GraphQL servers may answer)',
    connector: 'linear',
    method: 'personalApiKey',
    real: '200 {"data":null,"errors":[…AUTHENTICATION_ERROR…]}',
    path: '/graphql',
    secret: () => `lin_api_${alnum()}`,
    values: (apiKey) => ({ apiKey }),
    accepts: (req, right) => req.headers.authorization === right,
    right: json(200, { data: { viewer: { id: 'u-1', name: 'Lin Ear', email: 'lin@acme.test' } } }),
    wrong: json(200, {
      data: null,
      errors: [{ message: 'Authentication required, not authenticated', extensions: { code: 'AUTHENTICATION_ERROR' } }],
    }),
    label: 'Lin Ear',
    problem: 'credentials_rejected',
  },
  {
    name: 'trello (a wrong token)',
    connector: 'trello',
    real: '401 text/plain "invalid token"',
    path: '/1/members/me',
    secret: () => `ATTA${hex(16)}`,
    values: (token) => ({ apiKey: 'a1'.repeat(16), token }),
    accepts: (req, right) => req.query.get('key') === 'a1'.repeat(16) && req.query.get('token') === right,
    right: json(200, { id: '5a1', fullName: 'Tess Trello', username: 'tess' }),
    wrong: { status: 401, body: 'invalid token' },
    label: 'Tess Trello (@tess)',
    problem: 'credentials_rejected',
  },
  {
    name: 'trello (a wrong key)',
    connector: 'trello',
    real: '401 text/plain "invalid key"',
    path: '/1/members/me',
    secret: () => hex(16),
    values: (apiKey) => ({ apiKey, token: 'ATTAtrello-member-token' }),
    accepts: (req, right) => req.query.get('key') === right && req.query.get('token') === 'ATTAtrello-member-token',
    right: json(200, { id: '5a1', fullName: 'Tess Trello', username: 'tess' }),
    wrong: { status: 401, body: 'invalid key' },
    label: 'Tess Trello (@tess)',
    problem: 'credentials_rejected',
  },
  {
    name: 'datadog',
    connector: 'datadog',
    real: '403 {"errors":["Forbidden"]}',
    path: '/api/v1/validate',
    secret: () => hex(16),
    values: (apiKey) => ({ site: 'datadoghq.eu', apiKey, applicationKey: hex(20) }),
    accepts: (req, right) => req.headers['dd-api-key'] === right,
    right: json(200, { valid: true }),
    wrong: json(403, { errors: ['Forbidden'] }),
    problem: 'credentials_rejected',
  },
  {
    name: 'freshdesk',
    connector: 'freshdesk',
    real: '401 {"code":"invalid_credentials","message":"You have to be logged in to perform this action."}',
    path: '/api/v2/agents/me',
    secret: () => alnum(),
    values: (apiKey) => ({ domain: 'acme', apiKey }),
    accepts: (req, right) => basicOf(req.headers.authorization)?.username === right,
    right: json(200, { available: true, contact: { name: 'Fred Desk', email: 'fred@acme.test' } }),
    wrong: json(401, { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' }),
    label: 'Fred Desk (fred@acme.test)',
    problem: 'credentials_rejected',
  },
  {
    name: 'sendgrid',
    connector: 'sendgrid',
    real: '401 {"errors":[{"field":null,"message":"authorization required"}]}',
    path: '/v3/scopes',
    secret: () => `SG.${alnum()}.${alnum()}`,
    values: (apiKey) => ({ apiKey }),
    accepts: (req, right) => bearerOf(req) === right,
    right: json(200, { scopes: ['mail.send', 'marketing.read'] }),
    wrong: json(401, { errors: [{ field: null, message: 'authorization required' }] }),
    problem: 'credentials_rejected',
  },
  {
    name: 'airtable',
    connector: 'airtable',
    method: 'personalAccessToken',
    real: '401 {"error":{"type":"AUTHENTICATION_REQUIRED","message":"Authentication required"}}',
    path: '/v0/meta/whoami',
    secret: () => `pat${alnum()}.${alnum()}`,
    values: (token) => ({ token }),
    accepts: (req, right) => bearerOf(req) === right,
    right: json(200, { id: 'usrL2PNC5o3H4lBEi', email: 'ann@acme.test', scopes: ['schema.bases:read'] }),
    wrong: json(401, { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } }),
    label: 'ann@acme.test',
    problem: 'credentials_rejected',
  },
  {
    name: 'asana',
    connector: 'asana',
    method: 'personalAccessToken',
    real: '401 {"errors":[{"message":"Not Authorized","help":…}]}',
    path: '/api/1.0/users/me',
    basePath: '/api/1.0',
    secret: () => `2/${hex(8)}/${hex(8)}:${hex(16)}`,
    values: (token) => ({ token }),
    accepts: (req, right) => bearerOf(req) === right,
    right: json(200, { data: { gid: '12345', name: 'Ann Asana', email: 'ann@acme.test', resource_type: 'user' } }),
    wrong: json(401, {
      errors: [
        { message: 'Not Authorized', help: 'For more information on API status codes and how to handle them, read the docs on errors.' },
      ],
    }),
    label: 'Ann Asana',
    problem: 'credentials_rejected',
  },
  {
    name: 'mailchimp',
    connector: 'mailchimp',
    method: 'apiKey',
    real: '401 application/problem+json {"title":"API Key Invalid","status":401,"detail":"Your API key may be invalid…"}',
    path: '/3.0/',
    basePath: '/3.0',
    secret: () => `${hex(16)}-us21`,
    values: (apiKey) => ({ dc: 'us21', apiKey }),
    accepts: (req, right) => basicOf(req.headers.authorization)?.password === right,
    right: json(200, { account_id: 'a1b2c3', account_name: 'Acme Mail', email: 'ann@acme.test' }),
    wrong: json(
      401,
      {
        type: 'https://mailchimp.com/developer/marketing/docs/errors/',
        title: 'API Key Invalid',
        status: 401,
        detail: "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
        instance: '5c1a4f1e-8d2b-4b53-9b41-0c1bba0cbf31',
      },
      { 'content-type': 'application/problem+json; charset=utf-8' },
    ),
    label: 'Acme Mail',
    problem: 'credentials_rejected',
  },
  {
    name: 'pagerduty',
    connector: 'pagerduty',
    real: '401 {"error":{"message":"Authentication failed","code":2006}}',
    path: '/abilities',
    secret: () => `u+${alnum()}`,
    values: (apiKey) => ({ apiKey }),
    accepts: (req, right) => req.headers.authorization === `Token token=${right}`,
    right: json(200, { abilities: ['teams', 'sso', 'urgencies'] }),
    wrong: json(401, { error: { message: 'Authentication failed', code: 2006 } }),
    problem: 'credentials_rejected',
  },
  {
    name: 'generic-basic',
    connector: 'generic-basic',
    generic: true,
    real: '401 with WWW-Authenticate: Basic (any API behind HTTP Basic)',
    path: '/v1/me',
    secret: () => `pw-${alnum()}`,
    values: (password, origin) => ({ baseUrl: `${origin}/v1`, testUrl: `${origin}/v1/me`, username: 'gen-user', password }),
    accepts: (req, right) => basicOf(req.headers.authorization)?.password === right,
    right: json(200, { user: 'gen-user' }),
    wrong: { status: 401, headers: { 'www-authenticate': 'Basic realm="api"' }, body: 'Unauthorized' },
    problem: 'credentials_rejected',
  },
  {
    name: 'generic-api-key (header)',
    connector: 'generic-api-key',
    method: 'header',
    generic: true,
    real: '403 {"message":"Forbidden"} (an API gateway refusing the key)',
    path: '/v1/me',
    secret: () => `key-${alnum()}`,
    values: (apiKey, origin) => ({ baseUrl: `${origin}/v1`, testUrl: `${origin}/v1/me`, apiKey }),
    accepts: (req, right) => req.headers['x-api-key'] === right,
    right: { status: 204 },
    wrong: json(403, { message: 'Forbidden' }),
    problem: 'credentials_rejected',
  },
  {
    name: 'generic-api-key (Authorization header)',
    connector: 'generic-api-key',
    method: 'authorizationHeader',
    generic: true,
    real: '401 {"error":"invalid api key"}',
    path: '/v1/me',
    secret: () => `ApiKey ${alnum()}`,
    values: (authorization, origin) => ({ baseUrl: `${origin}/v1`, testUrl: `${origin}/v1/me`, authorization }),
    accepts: (req, right) => req.headers.authorization === right,
    right: json(200, { id: 1 }),
    wrong: json(401, { error: 'invalid api key' }),
    problem: 'credentials_rejected',
  },
  {
    name: 'generic-api-key (query)',
    connector: 'generic-api-key',
    method: 'query',
    generic: true,
    real: '401 {"error":"invalid api key"}',
    path: '/v1/me',
    secret: () => `q-${alnum()}`,
    values: (queryApiKey, origin) => ({ baseUrl: `${origin}/v1`, testUrl: `${origin}/v1/me`, queryApiKey }),
    accepts: (req, right) => req.query.get('api_key') === right,
    right: json(200, { id: 1 }),
    wrong: json(401, { error: 'invalid api key' }),
    problem: 'credentials_rejected',
  },
  {
    name: 'generic-bearer',
    connector: 'generic-bearer',
    generic: true,
    real: '401 with WWW-Authenticate: Bearer error="invalid_token" (RFC 6750)',
    path: '/v1/me',
    secret: () => `bt-${alnum()}`,
    values: (token, origin) => ({ baseUrl: `${origin}/v1`, testUrl: `${origin}/v1/me`, token }),
    accepts: (req, right) => bearerOf(req) === right,
    right: json(200, { sub: 'gen' }),
    wrong: json(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' }),
    problem: 'credentials_rejected',
  },
]

/** Creates a connection of the case with a credential and tests it; answers the result and the connection after. */
async function connectAndTest(c: Case, secret: string): Promise<{ test: any; text: string; status: string }> {
  const created = await h.call('POST', connections, {
    body: {
      connectorId: c.connector,
      name: `${c.connector} ${hex(3)}`,
      values: c.values(secret, upstream.origin),
      ...(c.method ? { authMethod: c.method } : {}),
      ...(c.generic ? {} : { baseUrl: `${upstream.origin}${c.basePath ?? ''}` }),
    },
  })
  expect(created.status, created.text).toBe(201)
  expect(created.text).not.toContain(secret)
  const before = upstream.requests.length
  const test = await h.call('POST', `${connections}/${created.body.id}/test`)
  expect(upstream.requests.length, 'one request reached the stand-in').toBe(before + 1)
  const view = await h.call('GET', `${connections}/${created.body.id}`)
  expect((await h.call('DELETE', `${connections}/${created.body.id}`)).status).toBe(204)
  return { test: test.body, text: test.text + view.text, status: view.body.status }
}

describe('a wrong credential never tests as connected: every typed-credential built-in against its stand-in', () => {
  it('covers every built-in the other stand-in suites leave out', async () => {
    const elsewhere = [
      'aws-s3',
      'binance',
      'coinbase-exchange',
      'kubernetes',
      'x-twitter',
      'github-app',
      'salesforce',
      'tableau',
      'zendesk',
    ]
    const here = new Set([...CASES.map((c) => c.connector), 'google-tasks'])
    const builtIns = (await readdir(new URL('../../connectors/', import.meta.url))).map((f) => f.replace(/\.json$/, ''))
    expect(builtIns.length).toBeGreaterThanOrEqual(28)
    expect(builtIns.filter((id) => !here.has(id) && !elsewhere.includes(id))).toEqual([])
  })

  it.each(CASES.map((c) => [`${c.name}: ${c.real}`, c] as const))('%s', async (_, c) => {
    const right = c.secret()
    const wrong = c.secret()
    expect(wrong).not.toBe(right)
    secrets.push(right, wrong)
    upstream.answer((req) => {
      if (req.path !== c.path) return json(404, { error: `no route ${req.path}` })
      return c.accepts(req, right) ? c.right : c.wrong
    })

    const refused = await connectAndTest(c, wrong)
    expect(refused.test.ok, JSON.stringify(refused.test)).toBe(false)
    expect(refused.test.problem).toBe(c.problem)
    expect(refused.status).not.toBe('connected')
    expect(refused.text).not.toContain(wrong)
    expect(upstream.last().path).toBe(c.path)

    const accepted = await connectAndTest(c, right)
    expect(accepted.test.ok, JSON.stringify(accepted.test)).toBe(true)
    expect(accepted.status).toBe('connected')
    if (c.label) expect(accepted.test.label).toBe(c.label)
    expect(accepted.text).not.toContain(right)
  })
})

describe('a wrong credential never tests as connected: OAuth2-only built-ins', () => {
  it('google-tasks: an access token Google no longer accepts (and a revoked refresh token) never connects', async () => {
    // Google answers a revoked or unknown access token with 401 UNAUTHENTICATED and `WWW-Authenticate: Bearer
    // error="invalid_token"`, and the refresh of a revoked grant with 400 invalid_grant.
    const live = new Set<string>()
    const refreshable = new Set<string>()
    const grants: string[] = []
    const clientSecret = `GOCSPX-${hex(12)}`
    secrets.push(clientSecret)
    const mint = (prefix: string) => {
      const token = `${prefix}${hex(16)}`
      secrets.push(token)
      return token
    }
    const google = await startUpstream((req) => {
      if (req.path === '/o/oauth2/v2/auth') {
        const back = new URL(req.query.get('redirect_uri')!)
        back.searchParams.set('code', mint('4/0A'))
        back.searchParams.set('state', req.query.get('state')!)
        back.searchParams.set('scope', req.query.get('scope')!)
        return { status: 302, headers: { location: back.toString() } }
      }
      if (req.path === '/token') {
        const form = new URLSearchParams(req.body)
        grants.push(form.get('grant_type') ?? '')
        if (form.get('client_secret') !== clientSecret) return json(401, { error: 'invalid_client', error_description: 'Unauthorized' })
        if (form.get('grant_type') === 'refresh_token' && !refreshable.has(form.get('refresh_token') ?? ''))
          return json(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' })
        const access = mint('ya29.')
        const refresh = mint('1//0g')
        live.add(access)
        refreshable.add(refresh)
        return json(200, {
          access_token: access,
          expires_in: 3599,
          refresh_token: refresh,
          scope: form.get('scope') ?? '',
          token_type: 'Bearer',
        })
      }
      if (req.path === '/tasks/v1/users/@me/lists') {
        if (live.has(bearerOf(req) ?? '')) return json(200, { kind: 'tasks#taskLists', items: [{ id: 'MTA', title: 'My Tasks' }] })
        return json(
          401,
          {
            error: {
              code: 401,
              message:
                'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
                'authentication credential.',
              errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization' }],
              status: 'UNAUTHENTICATED',
            },
          },
          { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
        )
      }
      return json(404, { error: { code: 404, status: 'NOT_FOUND' } })
    })
    try {
      let text = await readFile(new URL('../../connectors/google-tasks.json', import.meta.url), 'utf8')
      // The endpoints move; the issuer stays Google's (the stand-in's callback carries no `iss`).
      for (const host of ['https://accounts.google.com/o/', 'https://oauth2.googleapis.com/', 'https://tasks.googleapis.com'])
        text = text.replaceAll(
          host,
          host.endsWith('/o/') ? `${google.origin}/o/` : host.endsWith('/') ? `${google.origin}/` : google.origin,
        )
      const doc = JSON.parse(text)
      doc.id = 'google-tasks-standin'
      delete doc.$schema
      await h.addConnector(doc)
      const app = await h.call('PUT', `/api/connectors/${doc.id}/oauth-app`, {
        body: { clientId: '1234-standin.apps.googleusercontent.com', clientSecret },
      })
      expect(app.status, app.text).toBe(200)
      const id = await addConnection(h, doc.id)
      expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
      expect((await h.call('GET', `${connections}/${id}`)).body.status).toBe('connected')

      // The person revokes the app's access at myaccount.google.com: the stored token and its refresh token die.
      live.clear()
      refreshable.clear()
      const refused = await h.call('POST', `${connections}/${id}/test`)
      expect(refused.body.ok, refused.text).toBe(false)
      // Refreshing on the 401 meets the revoked grant: the connection must be authorized again, and says so.
      expect(grants).toEqual(['authorization_code', 'refresh_token'])
      expect(refused.body.problem).toBe('missing_credentials')
      expect(refused.body.diagnosis).toContain('must be authorized again')
      expect((await h.call('GET', `${connections}/${id}`)).body.status).toBe('expired')

      expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
      const accepted = await h.call('POST', `${connections}/${id}/test`)
      expect(accepted.body.ok, accepted.text).toBe(true)
      expect((await h.call('GET', `${connections}/${id}`)).body.status).toBe('connected')
    } finally {
      await google.close()
    }
  })
})
