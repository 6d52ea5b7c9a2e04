/**
 * Hostile upstreams: an API with an open redirect sends every credentialed request to another origin, with
 * each redirect status (301, 302, 303, 307, 308), from every path that uses a connection's secrets — the
 * proxy, actions, connection tests, draft tests and the three OAuth2 token calls. Canary secrets sit in every
 * place the connector format lets a secret go (the auth placements in a header and in the query, bearer and
 * basic auth, a connector-level static header, the test's header and body, an action's header, JSON body and
 * form body, and the OAuth client secret, code, PKCE verifier and refresh token).
 *
 * Two kinds of "other origin": another port on 127.0.0.1 (A → B), and the same host and port with the
 * scheme downgraded (https://secure.test:P → http://secure.test:P), which a check that compares hosts
 * instead of origins lets through.
 *
 * The rule (PRODUCT.md, "Security rules"): nothing derived from a secret reaches another origin, in any
 * encoding; the caller gets a clear answer; same-origin redirects keep working; nothing the runtime answers
 * or logs holds a canary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCredentials, putCredentials } from '../../runtime/core/connections/index.ts'
import type { ConnectionRecord, CredentialRecord } from '../../runtime/types.ts'
import { staticLookup } from '../http/helpers.ts'
import { type ApiResponse, createHarness, type Harness, PUBLIC_URL } from '../runtime/harness.ts'
import { canary, revealed } from './leak-forms.ts'
import { type Handler, makeCertificate, type Received, reply, requestText, startDualRecorder, startRecorder } from './upstreams.ts'

const STATUSES = [301, 302, 303, 307, 308] as const
const SECURE_HOST = 'secure.test'
const connections = '/api/apps/default/connections'

const pair = makeCertificate(SECURE_HOST)
if (!pair) throw new Error("openssl is needed to make the https upstream's certificate")

let h: Harness
/** Origin A: the API, with an open redirect on every path but `/landing`. */
let a: Awaited<ReturnType<typeof startRecorder>>
/** Origin B: elsewhere on loopback. */
let b: Awaited<ReturnType<typeof startRecorder>>
/** https://secure.test:P (an API like A) and http://secure.test:P (elsewhere), on one port. */
let dual: Awaited<ReturnType<typeof startDualRecorder>>

/** Every secret handed to the runtime (and the verifiers it made): none may reach another origin. */
const canaries: string[] = []
function fresh(): string {
  const value = canary()
  canaries.push(value)
  return value
}

/** Where the next redirect goes, and with which status. */
let plan: { status: number; to: string } = { status: 302, to: '' }

/** The API side: `/landing` answers, everything else redirects, keeping its query as open redirects often do. */
const api: Handler = (seen, res) => {
  const url = new URL(seen.url, 'http://upstream')
  if (url.pathname.startsWith('/landing')) return reply(res, { body: { ok: true, landed: true, login: 'same-origin account' } })
  reply(res, { status: plan.status, headers: { location: `${plan.to}/landing${url.search}` }, body: { moved: true } })
}

/** The other side answers like a willing token endpoint and API, so a followed redirect looks like success. */
const elsewhere: Handler = (_seen, res) =>
  reply(res, {
    body: {
      access_token: `foreign-${Math.random().toString(36).slice(2)}`,
      token_type: 'bearer',
      expires_in: 3600,
      refresh_token: 'foreign-refresh',
      scope: 'read',
      ok: true,
      login: 'someone else',
    },
  })

/** A mark in what the other origins received: calling it answers everything that arrived since. */
function elsewhereMark(): () => Received[] {
  const fromB = b.requests.length
  const fromDual = dual.requests.length
  return () => [...b.requests.slice(fromB), ...dual.requests.slice(fromDual).filter((r) => r.scheme === 'http')]
}

/** Counts of what the suite ran, for the closing report. */
const tally = { cases: 0, placements: 0 }
function counted(places: number): void {
  tally.cases++
  tally.placements += places
}

const secretField = (key: string, label: string) => ({ key, label, type: 'secret', required: true })

/** An API-key connector with a secret in every place a connector may put one. */
function keyConnector(id: string, testMethod: 'GET' | 'POST') {
  const headers = { 'X-Action-Secret': 'a {{actionSecret}}' }
  return {
    id,
    name: `Hostile ${id}`,
    baseUrl: '{{baseUrl}}',
    fields: [
      { key: 'baseUrl', label: 'Base URL', type: 'url', required: true },
      secretField('staticSecret', 'Static header secret'),
      secretField('testSecret', 'Test header secret'),
      ...(testMethod === 'POST' ? [secretField('testBodySecret', 'Test body secret')] : []),
      secretField('actionSecret', 'Action header secret'),
      secretField('jsonSecret', 'JSON body secret'),
      secretField('formSecret', 'Form body secret'),
    ],
    headers: { 'X-Static': 'static {{staticSecret}}' },
    auth: [
      {
        type: 'apiKey',
        id: 'key',
        fields: [secretField('headerKey', 'Header key'), secretField('queryKey', 'Query key')],
        placements: [
          { in: 'header', name: 'X-Api-Key', value: '{{headerKey}}' },
          { in: 'query', name: 'key', value: '{{queryKey}}' },
        ],
      },
    ],
    test: {
      method: testMethod,
      path: '/test',
      headers: { 'X-Test-Secret': 't {{testSecret}}' },
      ...(testMethod === 'POST' ? { body: { probe: '{{testBodySecret}}' } } : {}),
    },
    actions: [
      { key: 'read', name: 'Read', method: 'GET', path: '/act/read', headers },
      { key: 'json', name: 'Send JSON', method: 'POST', path: '/act/json', headers, body: { secret: '{{jsonSecret}}', note: 'hello' } },
      {
        key: 'form',
        name: 'Send form',
        method: 'POST',
        path: '/act/form',
        headers,
        bodyType: 'form',
        body: { secret: '{{formSecret}}', note: 'hello' },
      },
    ],
  }
}

function keyValues(baseUrl: string, testMethod: 'GET' | 'POST'): Record<string, string> {
  return {
    baseUrl,
    staticSecret: fresh(),
    testSecret: fresh(),
    ...(testMethod === 'POST' ? { testBodySecret: fresh() } : {}),
    actionSecret: fresh(),
    jsonSecret: fresh(),
    formSecret: fresh(),
    headerKey: fresh(),
    queryKey: fresh(),
  }
}

const BEARER = {
  id: 'hostile-bearer',
  name: 'Hostile bearer',
  baseUrl: '{{baseUrl}}',
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
  auth: [{ type: 'bearer', id: 'token', fields: [secretField('token', 'Token')], token: '{{token}}' }],
  test: { method: 'GET', path: '/test' },
  actions: [{ key: 'read', name: 'Read', method: 'GET', path: '/act/read' }],
}

const BASIC = {
  id: 'hostile-basic',
  name: 'Hostile basic',
  baseUrl: '{{baseUrl}}',
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
  auth: [
    {
      type: 'basic',
      id: 'basic',
      fields: [{ key: 'username', label: 'User', type: 'text', required: true }, secretField('password', 'Password')],
      username: '{{username}}',
      password: '{{password}}',
    },
  ],
  test: { method: 'GET', path: '/test' },
  actions: [{ key: 'read', name: 'Read', method: 'GET', path: '/act/read' }],
}

function oauthConnector(
  id: string,
  grant: 'authorization_code' | 'client_credentials',
  clientAuth: 'client_secret_post' | 'client_secret_basic',
) {
  return {
    id,
    name: `Hostile ${id}`,
    baseUrl: a.origin,
    auth: [
      {
        type: 'oauth2',
        id: 'oauth',
        grant,
        ...(grant === 'authorization_code' ? { authorizeUrl: `${a.origin}/authorize` } : {}),
        tokenUrl: `${a.origin}/token`,
        clientAuth,
        scopes: [{ value: 'read' }],
        defaultScopes: ['read'],
        ...(grant === 'client_credentials'
          ? {
              fields: [{ key: 'clientId', label: 'Client id', type: 'text', required: true }, secretField('clientSecret', 'Client secret')],
            }
          : {}),
      },
    ],
    actions: [{ key: 'list', name: 'List', method: 'GET', path: '/items' }],
  }
}

const CLIENT_AUTHS = ['client_secret_post', 'client_secret_basic'] as const

async function addConnector(connector: object): Promise<void> {
  const res = await h.call('POST', '/api/connectors', { body: connector })
  if (res.status !== 201) throw new Error(`connector refused: ${res.text}`)
}

async function addConnection(connectorId: string, values?: Record<string, string>): Promise<string> {
  const res = await h.call('POST', connections, {
    body: { connectorId, name: `${connectorId} ${h.responses.length}`, ...(values ? { values } : {}) },
  })
  if (res.status !== 201) throw new Error(`connection refused: ${res.text}`)
  return res.body.id as string
}

/** The connections the redirect cases use, by name. */
const ids: Record<string, string> = {}
/** Their values (for drafts and for checking what the API side received). */
const valuesOf: Record<string, Record<string, string>> = {}

beforeAll(async () => {
  a = await startRecorder(api)
  b = await startRecorder(elsewhere)
  dual = await startDualRecorder(pair, SECURE_HOST, { https: api, http: elsewhere })
  h = await createHarness({
    http: { allowedHosts: `127.0.0.1,${SECURE_HOST}`, lookup: staticLookup({ [SECURE_HOST]: ['127.0.0.1'] }), ca: pair.cert },
  })
  await addConnector(keyConnector('hostile-key', 'GET'))
  await addConnector(keyConnector('hostile-key-post', 'POST'))
  await addConnector(BEARER)
  await addConnector(BASIC)
  for (const grant of ['authorization_code', 'client_credentials'] as const) {
    for (const auth of CLIENT_AUTHS)
      await addConnector(
        oauthConnector(
          `hostile-${grant === 'authorization_code' ? 'code' : 'cc'}-${auth === 'client_secret_post' ? 'post' : 'basic'}`,
          grant,
          auth,
        ),
      )
  }
  for (const auth of CLIENT_AUTHS) {
    const id = `hostile-code-${auth === 'client_secret_post' ? 'post' : 'basic'}`
    const res = await h.call('PUT', `/api/connectors/${id}/oauth-app`, { body: { clientId: 'client-hostile', clientSecret: fresh() } })
    if (res.status !== 200) throw new Error(`oauth app refused: ${res.text}`)
  }
  const made: Array<[string, string, Record<string, string>]> = [
    ['key', 'hostile-key', keyValues(`${a.origin}/v1`, 'GET')],
    ['key-post', 'hostile-key-post', keyValues(`${a.origin}/v1`, 'POST')],
    ['secure-key', 'hostile-key', keyValues(`${dual.httpsOrigin}/v1`, 'GET')],
    ['secure-key-post', 'hostile-key-post', keyValues(`${dual.httpsOrigin}/v1`, 'POST')],
    ['bearer', 'hostile-bearer', { baseUrl: `${a.origin}/v1`, token: fresh() }],
    ['basic', 'hostile-basic', { baseUrl: `${a.origin}/v1`, username: 'ops', password: fresh() }],
  ]
  for (const [name, connectorId, values] of made) {
    ids[name] = await addConnection(connectorId, values)
    valuesOf[name] = values
  }
})

afterAll(async () => {
  console.info(
    `[hostile upstream] ${tally.placements} hostile cases (path × redirect status × method × secret place), in ${tally.cases} ` +
      `redirected requests`,
  )
  await h?.close()
  await Promise.all([a?.close(), b?.close(), dual?.close()])
})

/** Where a case redirects to. */
type Route = 'A → B' | 'https → http'
const targetOf = (route: Route) => (route === 'A → B' ? b.origin : dual.httpOrigin)

/**
 * Runs one hostile case: points the redirect at the other origin, sends, and checks what arrived there.
 * Soft assertions, so one run says everything that is wrong with a case.
 */
async function hostile(route: Route, status: number, send: () => Promise<ApiResponse>): Promise<ApiResponse> {
  plan = { status, to: targetOf(route) }
  const since = elsewhereMark()
  const res = await send()
  const arrived = since()
  expect
    .soft(revealed(arrived.map(requestText).join('\n\n'), canaries), `canaries the other origin received (${status}, ${route})`)
    .toEqual([])
  // The chosen design: a credentialed request does not follow a cross-origin redirect at all, so the other
  // origin gets no request. (The rule above is the must; following with everything secret stripped would
  // also satisfy it, and would only change this line.)
  expect
    .soft(
      arrived.map((seen) => `${seen.method} ${seen.url}`),
      'requests the other origin received',
    )
    .toEqual([])
  expect.soft(revealed(`${res.status}\n${[...res.headers].join('\n')}\n${res.text}`, canaries), 'canaries in the answer').toEqual([])
  return res
}

/** The last request the API side received on `/landing` (the end of a same-origin redirect). */
function landing(): Received | undefined {
  return [...a.requests].reverse().find((r) => r.url.startsWith('/landing'))
}

const proxyPath = (id: string) => `${connections}/${id}/proxy/start?page=1`
const keyedRoutes: Array<[Route, string, string]> = [
  ['A → B', 'key', 'key-post'],
  ['https → http', 'secure-key', 'secure-key-post'],
]

describe('the proxy does not carry credentials to another origin', () => {
  const cases: Array<[Route, string, number]> = [
    ...keyedRoutes.map(([route, key]): [Route, string, number] => [route, key, 3]),
    ['A → B', 'bearer', 1],
    ['A → B', 'basic', 1],
  ]
  for (const [route, name, places] of cases) {
    for (const method of ['GET', 'POST'] as const) {
      for (const status of STATUSES) {
        counted(places)
        it(`${route}, ${name}, ${method}, ${status}: the 3xx is the answer, with its Location`, async () => {
          const res = await hostile(route, status, () =>
            h.call(
              method,
              proxyPath(ids[name]!),
              method === 'POST' ? { raw: '{"hello":"world"}', headers: { 'content-type': 'application/json' } } : {},
            ),
          )
          expect.soft(res.status, res.text.slice(0, 300)).toBe(status)
          expect.soft(res.headers.get('location') ?? '').toMatch(new RegExp(`^${escape(targetOf(route))}/landing`))
        })
      }
    }
  }
})

describe('actions do not carry credentials to another origin', () => {
  const cases: Array<[Route, string, string, number]> = []
  for (const [route, key] of keyedRoutes) cases.push([route, key, 'read', 4], [route, key, 'json', 5], [route, key, 'form', 5])
  cases.push(['A → B', 'bearer', 'read', 1], ['A → B', 'basic', 'read', 1])
  for (const [route, name, action, places] of cases) {
    for (const status of STATUSES) {
      counted(places)
      it(`${route}, ${name}, ${action}, ${status}: ok false with the status and the location header`, async () => {
        const res = await hostile(route, status, () =>
          h.call('POST', `${connections}/${ids[name]}/actions/${action}`, { body: { inputs: {} } }),
        )
        expect.soft(res.status, res.text.slice(0, 300)).toBe(200)
        expect.soft(res.body).toMatchObject({ ok: false, status })
        expect.soft(res.body?.headers?.location ?? '').toMatch(new RegExp(`^${escape(targetOf(route))}/landing`))
      })
    }
  }
})

describe('connection tests do not carry credentials to another origin', () => {
  const cases: Array<[Route, string, number]> = []
  for (const [route, key, keyPost] of keyedRoutes) cases.push([route, key, 4], [route, keyPost, 5])
  cases.push(['A → B', 'bearer', 1], ['A → B', 'basic', 1])
  for (const [route, name, places] of cases) {
    for (const status of STATUSES) {
      counted(places)
      it(`${route}, ${name}, ${status}: redirected_elsewhere`, async () => {
        const res = await hostile(route, status, () => h.call('POST', `${connections}/${ids[name]}/test`))
        expect.soft(res.status, res.text.slice(0, 300)).toBe(200)
        expect.soft(res.body).toMatchObject({ ok: false, problem: 'redirected_elsewhere' })
      })
    }
  }
})

describe('draft tests do not carry credentials to another origin', () => {
  const drafts: Array<[Route, string, () => { connector: object; values: Record<string, string> }, number]> = [
    ['A → B', 'api key, GET test', () => ({ connector: keyConnector('draft-key', 'GET'), values: keyValues(`${a.origin}/v1`, 'GET') }), 4],
    [
      'A → B',
      'api key, POST test',
      () => ({ connector: keyConnector('draft-key-post', 'POST'), values: keyValues(`${a.origin}/v1`, 'POST') }),
      5,
    ],
    [
      'https → http',
      'api key, GET test',
      () => ({ connector: keyConnector('draft-key', 'GET'), values: keyValues(`${dual.httpsOrigin}/v1`, 'GET') }),
      4,
    ],
    [
      'https → http',
      'api key, POST test',
      () => ({ connector: keyConnector('draft-key-post', 'POST'), values: keyValues(`${dual.httpsOrigin}/v1`, 'POST') }),
      5,
    ],
    ['A → B', 'bearer', () => ({ connector: { ...BEARER, id: 'draft-bearer' }, values: { baseUrl: `${a.origin}/v1`, token: fresh() } }), 1],
    [
      'A → B',
      'basic',
      () => ({ connector: { ...BASIC, id: 'draft-basic' }, values: { baseUrl: `${a.origin}/v1`, username: 'ops', password: fresh() } }),
      1,
    ],
  ]
  for (const [route, name, draft, places] of drafts) {
    for (const status of STATUSES) {
      counted(places)
      it(`${route}, ${name}, ${status}: redirected_elsewhere`, async () => {
        const res = await hostile(route, status, () => h.call('POST', '/api/connectors/test', { body: draft() }))
        expect.soft(res.status, res.text.slice(0, 300)).toBe(200)
        expect.soft(res.body).toMatchObject({ ok: false, problem: 'redirected_elsewhere' })
      })
    }
  }
})

/** The token requests the API side received since `from`, as form parameters. */
function tokenRequestsSince(from: number): URLSearchParams[] {
  return a.requests
    .slice(from)
    .filter((r) => r.url.startsWith('/token'))
    .map((r) => new URLSearchParams(r.body.toString('utf8')))
}

async function credentialOf(id: string): Promise<CredentialRecord | undefined> {
  return h.store.get<CredentialRecord>('credentials', id)
}

describe('OAuth2 token calls never follow a redirect', () => {
  for (const auth of CLIENT_AUTHS) {
    const short = auth === 'client_secret_post' ? 'post' : 'basic'

    for (const status of STATUSES) {
      // Client secret, code and PKCE verifier.
      counted(3)
      it(`code exchange at the callback (${auth}), ${status}: not connected, back to the designer with an error`, async () => {
        const id = await addConnection(`hostile-code-${short}`)
        const start = await h.call('GET', `${connections}/${id}/oauth/authorize?format=json`)
        expect(start.status, start.text).toBe(200)
        const state = new URL(start.body.url).searchParams.get('state')!
        const code = fresh()
        const back = await hostile('A → B', status, async () => {
          const from = a.requests.length
          const res = await h.call('GET', `/oauth/callback?state=${encodeURIComponent(state)}&code=${encodeURIComponent(code)}`, {
            token: null,
          })
          // The verifier the runtime made is as secret as the code.
          for (const params of tokenRequestsSince(from)) {
            const verifier = params.get('code_verifier')
            if (verifier) canaries.push(verifier)
          }
          return res
        })
        expect.soft(back.status).toBe(302)
        const location = back.headers.get('location') ?? ''
        expect.soft(location.startsWith(`${PUBLIC_URL}/#`), location).toBe(true)
        expect.soft(new URLSearchParams(new URL(location).hash.split('?')[1] ?? '').get('oauth')).toBe('error')
        expect.soft(await credentialOf(id), 'a token was stored').toBeUndefined()
        expect.soft((await h.call('GET', `${connections}/${id}`)).body.status).toBe('not_connected')
      })
    }

    for (const status of STATUSES) {
      // Client secret and refresh token.
      counted(2)
      it(`refresh of an expired token (${auth}), ${status}: token_refresh_failed, the old token kept`, async () => {
        const id = await addConnection(`hostile-code-${short}`)
        const accessToken = fresh()
        const refreshToken = fresh()
        await h.store.transaction(async (tx) => {
          const record = (await tx.get<ConnectionRecord>('connections', id))!
          await putCredentials(
            tx,
            h.keyRing,
            record,
            undefined,
            {
              values: {},
              oauth: { accessToken, refreshToken, expiresAt: Date.parse('2025-01-01T00:00:00Z'), tokenType: 'Bearer', scope: ['read'] },
            },
            '2025-01-01T00:00:00.000Z',
          )
          await tx.put('connections', { ...record, status: 'connected', grantedScopes: ['read'] })
        })
        const res = await hostile('A → B', status, () => h.call('POST', `${connections}/${id}/actions/list`, { body: { inputs: {} } }))
        expect.soft(res.status, res.text.slice(0, 300)).toBeGreaterThanOrEqual(400)
        expect.soft(res.body?.error?.code).toBe('token_refresh_failed')
        const stored = await credentialOf(id)
        const tokens = stored && openCredentials(h.keyRing, stored).oauth
        expect
          .soft(tokens?.accessToken === accessToken && tokens?.refreshToken === refreshToken, 'the stored tokens are the ones from before')
          .toBe(true)
      })
    }

    for (const status of STATUSES) {
      // Client secret.
      counted(1)
      it(`client-credentials grant at connect (${auth}), ${status}: refused, not connected`, async () => {
        const id = await addConnection(`hostile-cc-${short}`, { clientId: 'client-hostile' })
        const res = await hostile('A → B', status, () =>
          h.call('PUT', `${connections}/${id}/credentials`, { body: { values: { clientSecret: fresh() } } }),
        )
        expect.soft(res.status, res.text.slice(0, 300)).toBeGreaterThanOrEqual(400)
        expect.soft(res.status).toBeLessThan(600)
        expect.soft(await credentialOf(id), 'a token was stored').toBeUndefined()
        expect.soft((await h.call('GET', `${connections}/${id}`)).body.status).not.toBe('connected')
      })
    }
  }
})

describe('same-origin redirects keep working, with credentials', () => {
  const sameOrigin = (status: number) => {
    plan = { status, to: a.origin }
  }
  for (const status of STATUSES) {
    it(`proxy GET, ${status}: followed, the credentials sent again`, async () => {
      sameOrigin(status)
      const res = await h.call('GET', proxyPath(ids.key!))
      expect(res.status, res.text.slice(0, 300)).toBe(200)
      expect(res.body).toMatchObject({ landed: true })
      const seen = landing()!
      expect(seen.headers['x-api-key']).toBe(valuesOf.key!.headerKey)
      expect(seen.headers['x-static']).toBe(`static ${valuesOf.key!.staticSecret}`)
      expect(new URL(seen.url, 'http://x').searchParams.get('key')).toBe(valuesOf.key!.queryKey)
    })

    it(`action GET, ${status}: followed, ok`, async () => {
      sameOrigin(status)
      const res = await h.call('POST', `${connections}/${ids.key}/actions/read`, { body: { inputs: {} } })
      expect(res.body, res.text.slice(0, 300)).toMatchObject({ ok: true, status: 200, body: { landed: true } })
      expect(landing()!.headers['x-action-secret']).toBe(`a ${valuesOf.key!.actionSecret}`)
    })

    it(`action POST with a JSON body, ${status}: followed, ok${status >= 307 ? ', the body sent again' : ''}`, async () => {
      sameOrigin(status)
      const res = await h.call('POST', `${connections}/${ids.key}/actions/json`, { body: { inputs: {} } })
      expect(res.body, res.text.slice(0, 300)).toMatchObject({ ok: true, status: 200, body: { landed: true } })
      const seen = landing()!
      expect(seen.headers['x-api-key']).toBe(valuesOf.key!.headerKey)
      if (status >= 307) {
        // RFC 9110 §15.4.8/§15.4.9: 307 and 308 repeat the method and the body.
        expect(seen.method).toBe('POST')
        expect(JSON.parse(seen.body.toString('utf8'))).toEqual({ secret: valuesOf.key!.jsonSecret, note: 'hello' })
      }
    })

    it(`connection test, ${status}: followed, ok`, async () => {
      sameOrigin(status)
      const res = await h.call('POST', `${connections}/${ids.key}/test`)
      expect(res.body, res.text.slice(0, 300)).toMatchObject({ ok: true, status: 200 })
      expect(landing()!.headers['x-test-secret']).toBe(`t ${valuesOf.key!.testSecret}`)
    })
  }
})

describe('what the runtime said', () => {
  it('no answer, connection view, run list or log line holds a canary, in any encoding', async () => {
    for (const id of Object.values(ids)) {
      await h.call('GET', `${connections}/${id}`)
      await h.call('GET', `${connections}/${id}/runs`)
    }
    await h.call('GET', connections)
    expect(canaries.length).toBeGreaterThan(60)
    const answers = h.responses
      .map((res, i) => [i, revealed(`${res.status}\n${[...res.headers].join('\n')}\n${res.text}`, canaries)] as const)
      .filter(([, found]) => found.length > 0)
    expect(answers.map(([i, found]) => `answer #${i} (${h.responses[i]!.status}): ${found.join(', ')}`)).toEqual([])
    expect(revealed(h.log.join('\n'), canaries), 'canaries in the log').toEqual([])
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
