/**
 * The `session` auth type (two-step login) against loopback providers that behave like real ones:
 * - a Tableau-style REST API: JSON sign-in answering a token and the site's id (which goes into every path),
 *   401 with an error code for a wrong password, sessions the server ends on its own (401 on the next call);
 * - a cookie-session API (qBittorrent-style): a form login that answers 200 "Fails." to a wrong password and sets
 *   `SID` when it works, sessions that say how long they last, a login that rate-limits (429).
 * Through connection tests, actions and the proxy, with right and wrong credentials; secrets never come back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness, marker, type Reply, startUpstream, type Upstream } from '../runtime/harness.ts'

let h: Harness
let tableau: Upstream
let cookies: Upstream

const password = marker('PW')
const siteId = 'site-9a1c'
/** Tokens the Tableau stand-in issued, the valid ones in `live`. */
const issued: string[] = []
const live = new Set<string>()
/** Who signed in with each token. */
const tokenUser = new Map<string, string>()
/** A second Tableau user, for personal connections. */
const bobPassword = marker('PWBOB')
let tableauLogins = 0
/** Set by a test to hold every login for a moment (single flight). */
let loginDelayMs = 0

beforeAll(async () => {
  h = await createHarness()
  tableau = await startUpstream(async (req) => {
    if (req.path === '/api/3.22/auth/signin') {
      tableauLogins++
      if (loginDelayMs) await new Promise((done) => setTimeout(done, loginDelayMs))
      const body = JSON.parse(req.body || '{}') as { credentials?: { name?: string; password?: string; site?: { contentUrl?: string } } }
      const c = body.credentials
      const known = (c?.name === 'ada' && c.password === password) || (c?.name === 'bob' && c.password === bobPassword)
      if (req.headers['content-type'] !== 'application/json' || !known || c?.site?.contentUrl !== 'acme')
        return { status: 401, body: { error: { summary: 'Signin Error', detail: 'Error signing in to Tableau Server', code: '401001' } } }
      const token = marker('TABTOKEN')
      issued.push(token)
      live.add(token)
      tokenUser.set(token, c.name!)
      return { body: { credentials: { token, site: { id: siteId, contentUrl: 'acme' }, user: { id: 'user-7' } } } }
    }
    const token = String(req.headers['x-tableau-auth'] ?? '')
    if (!live.has(token)) return { status: 401, body: { error: { summary: 'Unauthorized', code: '401002' } } }
    if (req.path === '/api/3.22/auth/signout') {
      live.delete(token)
      return { status: 204 }
    }
    if (req.path === `/api/3.22/sites/${siteId}/users/user-7`) return { body: { user: { id: 'user-7', name: 'ada' } } }
    if (req.path === `/api/3.22/sites/${siteId}/projects`) return { body: { projects: { project: [{ name: 'Finance' }] }, echo: token } }
    return { status: 404, body: { error: { summary: 'Not found', code: '404000' } } }
  })
  const connector = {
    id: 'tableau-stand-in',
    name: 'Tableau stand-in',
    baseUrl: tableau.origin,
    headers: { Accept: 'application/json' },
    fields: [{ key: 'site', label: 'Site', type: 'text', required: true }],
    auth: [
      {
        type: 'session',
        id: 'password',
        fields: [
          { key: 'username', label: 'Username', type: 'text', required: true },
          { key: 'password', label: 'Password', type: 'secret', required: true },
        ],
        login: {
          path: '/api/3.22/auth/signin',
          body: { credentials: { name: '{{username}}', password: '{{password}}', site: { contentUrl: '{{site}}' } } },
        },
        capture: {
          token: { from: 'body', pointer: '/credentials/token' },
          siteId: { from: 'body', pointer: '/credentials/site/id', secret: false },
          userId: { from: 'body', pointer: '/credentials/user/id', secret: false },
        },
        expiry: { lifetimeSeconds: 14400 },
        placements: [{ in: 'header', name: 'X-Tableau-Auth', value: '{{session.token}}' }],
        logout: { path: '/api/3.22/auth/signout' },
      },
    ],
    test: { path: '/api/3.22/sites/{{session.siteId}}/users/{{session.userId}}', label: '{{body.user.name}}' },
    actions: [
      {
        key: 'listProjects',
        name: 'List projects',
        method: 'GET',
        path: '/api/3.22/sites/{{session.siteId}}/projects',
        input: { type: 'object', properties: {} },
      },
    ],
  }
  const saved = await h.call('POST', '/api/connectors', { body: connector })
  expect(saved.status, saved.text).toBe(201)
})

afterAll(async () => {
  await tableau.close()
  await cookies?.close()
  await h.close()
})

async function connect(connectorId: string, values: Record<string, string>): Promise<string> {
  const created = await h.call('POST', '/api/apps/default/connections', { body: { connectorId, name: marker('conn'), values } })
  expect(created.status, created.text).toBe(201)
  return created.body.id as string
}

const right = { site: 'acme', username: 'ada', password }

describe('a Tableau-style session (JSON login, token header, site id in paths)', () => {
  it('logs in once and works through the test, actions and the proxy', async () => {
    const before = tableauLogins
    const id = await connect('tableau-stand-in', right)
    const test = await h.call('POST', `/api/apps/default/connections/${id}/test`)
    expect(test.body).toMatchObject({ ok: true, label: 'ada' })
    expect(test.body.request.url).toContain(`/sites/${siteId}/users/user-7`)
    expect(test.body.request.headers['X-Tableau-Auth']).not.toContain('TABTOKEN')
    const action = await h.call('POST', `/api/apps/default/connections/${id}/actions/listProjects`, { body: { inputs: {} } })
    expect(action.body).toMatchObject({ ok: true, status: 200, body: { projects: { project: [{ name: 'Finance' }] } } })
    expect(tableau.last().path).toBe(`/api/3.22/sites/${siteId}/projects`)
    const proxied = await h.call('GET', `/api/apps/default/connections/${id}/proxy/api/3.22/sites/${siteId}/projects`)
    expect(proxied.status).toBe(200)
    expect(tableau.last().headers['x-tableau-auth']).toBe(issued.at(-1))
    expect(tableauLogins - before).toBe(1)
    // The API echoed the token: masked in the action's answer and the proxied body.
    expect(action.text).not.toContain(issued.at(-1))
    expect(proxied.text).not.toContain(issued.at(-1))
    expect(tableau.requests.find((r) => r.path.endsWith('/signin'))?.body).toContain(password)
  })

  it('logs in again once when the server ended the session (401), and the call succeeds', async () => {
    const id = await connect('tableau-stand-in', right)
    expect((await h.call('POST', `/api/apps/default/connections/${id}/test`)).body.ok).toBe(true)
    const before = tableauLogins
    live.clear()
    const action = await h.call('POST', `/api/apps/default/connections/${id}/actions/listProjects`, { body: { inputs: {} } })
    expect(action.body).toMatchObject({ ok: true, status: 200 })
    expect(tableauLogins - before).toBe(1)
  })

  it('makes one login for many concurrent calls on a connection without a session', async () => {
    const id = await connect('tableau-stand-in', right)
    const before = tableauLogins
    loginDelayMs = 100
    try {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => h.call('GET', `/api/apps/default/connections/${id}/proxy/api/3.22/sites/${siteId}/projects`)),
      )
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))
    } finally {
      loginDelayMs = 0
    }
    expect(tableauLogins - before).toBe(1)
  })

  it('never connects with a wrong password, says why, and leaks nothing', async () => {
    const wrong = marker('WRONGPW')
    const id = await connect('tableau-stand-in', { ...right, password: wrong })
    const test = await h.call('POST', `/api/apps/default/connections/${id}/test`)
    expect(test.body).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    expect(test.body.diagnosis).toContain('the login was refused (the API answered 401)')
    const view = await h.call('GET', `/api/apps/default/connections/${id}`)
    expect(view.body.status).toBe('expired')
    // Refused logins are not repeated in a loop: the connection waits to be connected again.
    const before = tableauLogins
    const action = await h.call('POST', `/api/apps/default/connections/${id}/actions/listProjects`, { body: { inputs: {} } })
    expect(action.status).toBe(428)
    expect(action.body.error.code).toBe('connection_expired')
    expect(tableauLogins).toBe(before)
    // Connecting again with the right password works at once.
    const put = await h.call('PUT', `/api/apps/default/connections/${id}/credentials`, { body: { values: right } })
    expect(put.status, put.text).toBe(200)
    expect((await h.call('POST', `/api/apps/default/connections/${id}/test`)).body.ok).toBe(true)
    for (const response of h.responses) expect(response.text).not.toContain(wrong)
    for (const line of h.log) expect(line).not.toContain(wrong)
  })

  it('gives each member of a personal connection a session of their own', async () => {
    const created = await h.call('POST', '/api/apps/default/connections', {
      body: { connectorId: 'tableau-stand-in', name: marker('personal'), sharing: 'personal', values: { site: 'acme' } },
    })
    expect(created.status, created.text).toBe(201)
    const id = created.body.id as string
    const members: Record<string, string> = {}
    for (const [who, pw] of [
      ['ada', password],
      ['bob', bobPassword],
    ] as const) {
      const user = await h.call('POST', '/api/users', { body: { name: who, email: `${who}@acme.test` } })
      expect((await h.call('PUT', `/api/apps/default/members/${user.body.id}`, { body: { role: 'member' } })).status).toBe(200)
      const token = (await h.call('POST', `/api/users/${user.body.id}/tokens`, { body: { name: who } })).body.token as string
      members[who] = token
      const put = await h.call('PUT', `/api/apps/default/connections/${id}/credentials`, {
        body: { values: { username: who, password: pw } },
        token,
      })
      expect(put.status, put.text).toBe(200)
    }
    for (const who of ['ada', 'bob', 'ada']) {
      const proxied = await h.call('GET', `/api/apps/default/connections/${id}/proxy/api/3.22/sites/${siteId}/projects`, {
        token: members[who]!,
      })
      expect(proxied.status).toBe(200)
      expect(tokenUser.get(String(tableau.last().headers['x-tableau-auth']))).toBe(who)
    }
    expect(JSON.stringify(h.responses.slice(-6))).not.toContain(bobPassword)
  })

  it('logs out on unauthorize, and the session is gone', async () => {
    const id = await connect('tableau-stand-in', right)
    expect((await h.call('POST', `/api/apps/default/connections/${id}/test`)).body.ok).toBe(true)
    const token = issued.at(-1)!
    expect(live.has(token)).toBe(true)
    const dropped = await h.call('DELETE', `/api/apps/default/connections/${id}/credentials`)
    expect(dropped.status, dropped.text).toBe(200)
    expect(tableau.requests.some((r) => r.path === '/api/3.22/auth/signout' && r.headers['x-tableau-auth'] === token)).toBe(true)
    expect(live.has(token)).toBe(false)
  })

  it('tests an unsaved draft by logging in once, and says why a draft login fails', async () => {
    const { connector } = (await h.call('GET', '/api/connectors/tableau-stand-in')).body
    const draft = { ...connector, id: 'tableau-draft' }
    const before = tableauLogins
    const ok = await h.call('POST', '/api/connectors/test', { body: { connector: draft, values: right } })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.body).toMatchObject({ ok: true, label: 'ada' })
    expect(tableau.last().path).toBe(`/api/3.22/sites/${siteId}/users/user-7`)
    const wrong = marker('DRAFTWRONG')
    const refused = await h.call('POST', '/api/connectors/test', { body: { connector: draft, values: { ...right, password: wrong } } })
    expect(refused.body).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    expect(refused.body.diagnosis).toBe('The login was refused (the API answered 401). Check the credentials and connect again.')
    expect(refused.text).not.toContain(wrong)
    expect(tableauLogins - before).toBe(2)
  })

  it('keeps the password and every token out of API answers and the store file', async () => {
    const text = await h.storeText()
    expect(text).not.toContain(password)
    for (const token of issued) expect(text).not.toContain(token)
    for (const response of h.responses) {
      expect(response.text).not.toContain(password)
      for (const token of issued) expect(response.text).not.toContain(token)
    }
    for (const line of h.log) expect(line).not.toContain(password)
  })
})

describe('a cookie session (form login, SID cookie, 200 "Fails." for a wrong password)', () => {
  let logins = 0
  let rateLimited = false
  const sids = new Set<string>()
  /** How long the login says a session lasts, in its body and in the cookie's Max-Age. */
  let lifetime = 3600
  let maxAge = 3600
  /** What the API answers a request whose session it ended (qBittorrent: 403). */
  let endedStatus = 401

  beforeAll(async () => {
    cookies = await startUpstream((req): Reply => {
      if (req.path === '/api/v2/auth/login') {
        logins++
        if (rateLimited) return { status: 429, headers: { 'retry-after': '60' }, body: 'Too many failed login attempts' }
        const form = new URLSearchParams(req.body)
        if (form.get('username') !== 'admin' || form.get('password') !== password) return { body: 'Fails.' }
        const sid = marker('SID')
        sids.add(sid)
        return {
          headers: { 'set-cookie': `SID=${sid}; HttpOnly; SameSite=Strict; path=/; Max-Age=${maxAge}`, 'content-type': 'application/json' },
          body: { result: 'Ok.', expiresIn: lifetime },
        }
      }
      const sid = /(?:^|;\s*)SID=([^;]+)/.exec(String(req.headers.cookie ?? ''))?.[1]
      if (!sid || !sids.has(sid)) return { status: endedStatus, body: endedStatus === 403 ? 'Forbidden' : 'Unauthorized' }
      if (req.path === '/api/v2/app/version') return { body: { version: 'v4.6.4' } }
      if (req.path === '/api/v2/torrents/info') return { body: [{ name: 'ubuntu.iso', cookie: req.headers.cookie }] }
      return { status: 404, body: 'Not Found' }
    })
    const connector = {
      id: 'cookie-stand-in',
      name: 'Cookie stand-in',
      baseUrl: cookies.origin,
      auth: [
        {
          type: 'session',
          id: 'login',
          fields: [
            { key: 'username', label: 'Username', type: 'text', required: true },
            { key: 'password', label: 'Password', type: 'secret', required: true },
          ],
          login: { path: '/api/v2/auth/login', bodyType: 'form', body: { username: '{{username}}', password: '{{password}}' } },
          capture: { sid: { from: 'cookie', name: 'SID' } },
          expiry: { pointer: '/expiresIn', format: 'seconds', lifetimeSeconds: 3600 },
          placements: [{ in: 'cookie', name: 'SID', value: '{{session.sid}}' }],
        },
      ],
      test: { path: '/api/v2/app/version', label: '{{body.version}}' },
      actions: [{ key: 'torrents', name: 'Torrents', method: 'GET', path: '/api/v2/torrents/info', input: { type: 'object' } }],
    }
    const saved = await h.call('POST', '/api/connectors', { body: connector })
    expect(saved.status, saved.text).toBe(201)
  })

  it('connects with the right password and sends the cookie, masked where the API echoes it', async () => {
    const id = await connect('cookie-stand-in', { username: 'admin', password })
    const test = await h.call('POST', `/api/apps/default/connections/${id}/test`)
    expect(test.body).toMatchObject({ ok: true, label: 'v4.6.4' })
    expect(test.body.request.headers.Cookie).toBe('••••')
    const action = await h.call('POST', `/api/apps/default/connections/${id}/actions/torrents`, { body: { inputs: {} } })
    expect(action.body).toMatchObject({ ok: true, status: 200 })
    expect(cookies.last().headers.cookie).toMatch(/^SID=SID[0-9a-f]+$/)
    expect(action.text).not.toContain(cookies.last().headers.cookie!.slice(4))
    const proxied = await h.call('GET', `/api/apps/default/connections/${id}/proxy/api/v2/torrents/info`)
    expect(proxied.status).toBe(200)
    expect(proxied.text).not.toContain(cookies.last().headers.cookie!.slice(4))
  })

  it('never connects when the login answers 200 "Fails." without a cookie', async () => {
    const id = await connect('cookie-stand-in', { username: 'admin', password: marker('WRONG') })
    const test = await h.call('POST', `/api/apps/default/connections/${id}/test`)
    expect(test.body).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    expect(test.body.diagnosis).toContain('the answer has no cookie "SID"')
  })

  it('logs in again before a session ends, without waiting for a 401', async () => {
    lifetime = 30 // within the engine's one-minute margin: due at once
    try {
      const id = await connect('cookie-stand-in', { username: 'admin', password })
      const before = logins
      const statuses: number[] = []
      for (let i = 0; i < 3; i++)
        statuses.push((await h.call('GET', `/api/apps/default/connections/${id}/proxy/api/v2/app/version`)).status)
      expect(statuses).toEqual([200, 200, 200])
      expect(logins - before).toBe(3)
      expect(cookies.requests.filter((r) => r.path === '/api/v2/app/version').every((r) => r.headers.cookie)).toBe(true)
    } finally {
      lifetime = 3600
    }
  })

  it("reads when a session ends from the cookie's own Max-Age", async () => {
    const { connector } = (await h.call('GET', '/api/connectors/cookie-stand-in')).body
    const auth = connector.auth.map((m: Record<string, unknown>) => ({ ...m, expiry: { cookie: 'SID' } }))
    const saved = await h.call('POST', '/api/connectors', { body: { ...connector, id: 'cookie-max-age', auth } })
    expect(saved.status, saved.text).toBe(201)
    const proxyThrice = async (id: string) => {
      for (let i = 0; i < 3; i++)
        expect((await h.call('GET', `/api/apps/default/connections/${id}/proxy/api/v2/app/version`)).status).toBe(200)
    }
    let before = logins
    await proxyThrice(await connect('cookie-max-age', { username: 'admin', password }))
    expect(logins - before).toBe(1)
    maxAge = 30 // within the engine's one-minute margin: due at once
    try {
      before = logins
      await proxyThrice(await connect('cookie-max-age', { username: 'admin', password }))
      expect(logins - before).toBe(3)
    } finally {
      maxAge = 3600
    }
  })

  it('logs in again after a 403 when the method says the API ends sessions that way, through actions and the proxy', async () => {
    const { connector } = (await h.call('GET', '/api/connectors/cookie-stand-in')).body
    const auth = connector.auth.map((m: Record<string, unknown>) => ({ ...m, renewOn: [401, 403] }))
    expect((await h.call('POST', '/api/connectors', { body: { ...connector, id: 'cookie-403', auth } })).status).toBe(201)
    endedStatus = 403
    try {
      const id = await connect('cookie-403', { username: 'admin', password })
      expect((await h.call('POST', `/api/apps/default/connections/${id}/test`)).body.ok).toBe(true)
      let before = logins
      sids.clear()
      const action = await h.call('POST', `/api/apps/default/connections/${id}/actions/torrents`, { body: { inputs: {} } })
      expect(action.body).toMatchObject({ ok: true, status: 200 })
      expect(logins - before).toBe(1)
      before = logins
      sids.clear()
      expect((await h.call('GET', `/api/apps/default/connections/${id}/proxy/api/v2/app/version`)).status).toBe(200)
      expect(logins - before).toBe(1)
      // Without renewOn, a 403 is the API's answer, passed on as it is.
      const plain = await connect('cookie-stand-in', { username: 'admin', password })
      expect((await h.call('POST', `/api/apps/default/connections/${plain}/test`)).body.ok).toBe(true)
      before = logins
      sids.clear()
      expect((await h.call('GET', `/api/apps/default/connections/${plain}/proxy/api/v2/app/version`)).status).toBe(403)
      expect(logins).toBe(before)
    } finally {
      endedStatus = 401
    }
  })

  it('answers a rate-limited login as unavailable, not as a wrong password, and waits before trying again', async () => {
    rateLimited = true
    try {
      const id = await connect('cookie-stand-in', { username: 'admin', password })
      const before = logins
      const action = await h.call('POST', `/api/apps/default/connections/${id}/actions/torrents`, { body: { inputs: {} } })
      expect(action.status).toBe(502)
      expect(action.body.error.code).toBe('token_refresh_failed')
      expect(action.body.error.message).toContain('rate-limited (429)')
      const again = await h.call('POST', `/api/apps/default/connections/${id}/actions/torrents`, { body: { inputs: {} } })
      expect(again.status).toBe(503)
      expect(again.body.error.code).toBe('token_refresh_backoff')
      expect(logins - before).toBe(1)
      expect((await h.call('GET', `/api/apps/default/connections/${id}`)).body.status).not.toBe('expired')
    } finally {
      rateLimited = false
    }
  })
})

describe('a token in a header with an ISO expiry (OpenStack Keystone), and a Basic login checked by body rules', () => {
  let keystone: Upstream
  let keystoneLogins = 0
  /** When the next token ends, in the runtime's clock (the harness starts at 2025-03-01T09:00Z). */
  let expiresAt = '2025-03-01T21:00:00.000000Z'
  const tokens = new Set<string>()

  beforeAll(async () => {
    keystone = await startUpstream((req): Reply => {
      if (req.path === '/v3/auth/tokens' && req.method === 'POST') {
        keystoneLogins++
        const auth = JSON.parse(req.body || '{}').auth?.identity?.password?.user
        if (auth?.name !== 'demo' || auth.password !== password)
          return {
            status: 401,
            body: { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } },
          }
        const token = marker('gAAAAAB')
        tokens.add(token)
        return { status: 201, headers: { 'x-subject-token': token }, body: { token: { expires_at: expiresAt, user: { name: 'demo' } } } }
      }
      if (req.path === '/dna/system/api/v1/auth/token') {
        // A Basic login (Cisco DNA Center's path and Token), answering a refusal with 200 and an error, as some appliances do.
        const ok = req.headers.authorization === `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`
        return ok ? { body: { Token: 'DNA-TOKEN-7f3a9c1e' } } : { body: { error: 'Authentication has failed.', Token: null } }
      }
      if (req.path === '/dna/intent/api/v1/network-device')
        return req.headers['x-auth-token'] === 'DNA-TOKEN-7f3a9c1e' ? { body: { response: [] } } : { status: 401 }
      const token = String(req.headers['x-auth-token'] ?? '')
      return tokens.has(token) ? { body: { servers: [] } } : { status: 401, body: { error: { code: 401 } } }
    })
    const login = {
      path: '/v3/auth/tokens',
      body: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: '{{username}}', domain: { id: 'default' }, password: '{{password}}' } },
          },
        },
      },
    }
    const fields = [
      { key: 'username', label: 'Username', type: 'text', required: true },
      { key: 'password', label: 'Password', type: 'secret', required: true },
    ]
    const connectors = [
      {
        id: 'keystone-stand-in',
        name: 'Keystone',
        baseUrl: keystone.origin,
        auth: [
          {
            type: 'session',
            id: 'password',
            fields,
            login: { ...login, successStatus: [201] },
            capture: { token: { from: 'header', name: 'X-Subject-Token' } },
            expiry: { pointer: '/token/expires_at', format: 'iso8601' },
            placements: [{ in: 'header', name: 'X-Auth-Token', value: '{{session.token}}' }],
          },
        ],
        test: { path: '/v2.1/servers' },
      },
      {
        id: 'dna-stand-in',
        name: 'DNA Center',
        baseUrl: keystone.origin,
        auth: [
          {
            type: 'session',
            id: 'basic',
            fields,
            login: {
              path: '/dna/system/api/v1/auth/token',
              basic: { username: '{{username}}', password: '{{password}}' },
              bodyRules: [{ pointer: '/error', exists: false }],
            },
            capture: { token: { from: 'body', pointer: '/Token' } },
            expiry: { lifetimeSeconds: 3600 },
            placements: [{ in: 'header', name: 'X-Auth-Token', value: '{{session.token}}' }],
          },
        ],
        test: { path: '/dna/intent/api/v1/network-device' },
      },
    ]
    for (const connector of connectors) {
      const saved = await h.call('POST', '/api/connectors', { body: connector })
      expect(saved.status, saved.text).toBe(201)
    }
  })

  afterAll(() => keystone.close())

  it('takes the token from X-Subject-Token and logs in again only when the ISO expiry comes near', async () => {
    const id = await connect('keystone-stand-in', { username: 'demo', password })
    const before = keystoneLogins
    for (let i = 0; i < 3; i++) expect((await h.call('GET', `/api/apps/default/connections/${id}/proxy/v2.1/servers`)).status).toBe(200)
    expect(keystoneLogins - before).toBe(1)
    expiresAt = '2025-03-01T09:00:30.000000Z' // inside the one-minute margin from the start
    try {
      const soon = await connect('keystone-stand-in', { username: 'demo', password })
      const again = keystoneLogins
      for (let i = 0; i < 2; i++) expect((await h.call('GET', `/api/apps/default/connections/${soon}/proxy/v2.1/servers`)).status).toBe(200)
      expect(keystoneLogins - again).toBe(2)
    } finally {
      expiresAt = '2025-03-01T21:00:00.000000Z'
    }
  })

  it('logs in with Basic, and a 200 that says the login failed is a refusal', async () => {
    const right = await connect('dna-stand-in', { username: 'admin', password })
    expect((await h.call('POST', `/api/apps/default/connections/${right}/test`)).body).toMatchObject({ ok: true })
    const wrong = await connect('dna-stand-in', { username: 'admin', password: marker('WRONG') })
    const test = await h.call('POST', `/api/apps/default/connections/${wrong}/test`)
    expect(test.body).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    expect(test.body.diagnosis).toContain('the answer did not say the login worked')
  })
})

describe('where a login may go', () => {
  it('refuses a login URL on another origin: when saved if it is literal, before sending the password if it is templated', async () => {
    const elsewhere = await startUpstream(() => ({ body: { token: 'x' } }))
    try {
      const method = (url: string) => ({
        type: 'session',
        id: 'login',
        fields: [{ key: 'password', label: 'Password', type: 'secret', required: true }],
        login: { url, body: { password: '{{password}}' } },
        capture: { token: { from: 'body', pointer: '/token' } },
        expiry: { lifetimeSeconds: 600 },
        placements: [{ in: 'header', name: 'X-Token', value: '{{session.token}}' }],
      })
      const base = { name: 'Elsewhere', baseUrl: tableau.origin, test: { path: '/me' } }
      const literal = await h.call('POST', '/api/connectors', {
        body: { ...base, id: 'session-elsewhere-literal', auth: [method(`${elsewhere.origin}/login`)] },
      })
      expect(literal.status).toBe(400)
      expect(JSON.stringify(literal.body)).toContain('otherOrigin')
      const connector = {
        ...base,
        id: 'session-elsewhere',
        fields: [{ key: 'authPort', label: 'Auth port', type: 'text', required: true }],
        auth: [method('http://127.0.0.1:{{authPort}}/login')],
      }
      expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
      const id = await connect('session-elsewhere', { password, authPort: String(elsewhere.port) })
      const test = await h.call('POST', `/api/apps/default/connections/${id}/test`)
      expect(test.body.ok).toBe(false)
      expect(test.body.diagnosis).toContain("must be on the connection's origin")
      expect(elsewhere.requests).toEqual([])
    } finally {
      await elsewhere.close()
    }
  })

  it('logs in at another origin the connector declares in allowedHosts', async () => {
    const auth = await startUpstream((req) =>
      JSON.parse(req.body || '{}').password === password ? { body: { token: 'AUTHHOSTTOKEN1' } } : { status: 401 },
    )
    const api = await startUpstream((req) => (req.headers['x-token'] === 'AUTHHOSTTOKEN1' ? { body: { me: 'ok' } } : { status: 401 }))
    try {
      const connector = {
        id: 'session-auth-host',
        name: 'Auth host',
        baseUrl: api.origin,
        allowedHosts: [auth.origin],
        auth: [
          {
            type: 'session',
            id: 'login',
            fields: [{ key: 'password', label: 'Password', type: 'secret', required: true }],
            login: { url: `${auth.origin}/login`, body: { password: '{{password}}' } },
            capture: { token: { from: 'body', pointer: '/token' } },
            expiry: { lifetimeSeconds: 600 },
            placements: [{ in: 'header', name: 'X-Token', value: '{{session.token}}' }],
          },
        ],
        test: { path: '/me' },
      }
      const saved = await h.call('POST', '/api/connectors', { body: connector })
      expect(saved.status, saved.text).toBe(201)
      const id = await connect('session-auth-host', { password })
      expect((await h.call('POST', `/api/apps/default/connections/${id}/test`)).body).toMatchObject({ ok: true })
      expect(auth.requests.map((r) => r.path)).toEqual(['/login'])
      expect(api.requests.map((r) => r.headers['x-token'])).toEqual(['AUTHHOSTTOKEN1'])
    } finally {
      await auth.close()
      await api.close()
    }
  })

  it('does not follow a redirect from the login', async () => {
    const redirecting = await startUpstream((req) =>
      req.path === '/login' ? { status: 302, headers: { location: '/login2' }, body: '' } : { body: { token: 'x' } },
    )
    try {
      const connector = {
        id: 'session-redirect',
        name: 'Redirect',
        baseUrl: redirecting.origin,
        auth: [
          {
            type: 'session',
            id: 'login',
            fields: [{ key: 'password', label: 'Password', type: 'secret', required: true }],
            login: { path: '/login', body: { password: '{{password}}' } },
            capture: { token: { from: 'body', pointer: '/token' } },
            expiry: { lifetimeSeconds: 600 },
            placements: [{ in: 'header', name: 'X-Token', value: '{{session.token}}' }],
          },
        ],
        test: { path: '/me' },
      }
      expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
      const id = await connect('session-redirect', { password })
      const test = await h.call('POST', `/api/apps/default/connections/${id}/test`)
      expect(test.body.ok).toBe(false)
      expect(redirecting.requests.map((r) => r.path)).toEqual(['/login'])
    } finally {
      await redirecting.close()
    }
  })
})
