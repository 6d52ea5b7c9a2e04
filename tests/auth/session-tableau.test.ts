/**
 * The built-in Tableau connector, as shipped, against a stand-in of Tableau's REST API (only the base URL is
 * moved to loopback: every path, body, pointer and placement is the built-in's own). The stand-in signs in with a
 * personal access token as Tableau does (`401001` for a wrong one), takes the site's content URL (`""` for the
 * Default site), answers the session token with the site's and user's ids, ends sessions on sign-out, and answers
 * `401002` to an ended session. A wrong token never tests as connected; the right one works through the test,
 * every kind of action and the proxy.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createHarness,
  type Harness,
  marker,
  type Reply,
  repo,
  type SeenRequest,
  startUpstream,
  type Upstream,
} from '../runtime/harness.ts'

let h: Harness
let tableau: Upstream
const secret = marker('PATSECRET')
const sites: Record<string, string> = { marketing: 'a1b2c3d4-site-marketing', '': 'e5f6a7b8-site-default' }
/** Live session tokens and the site each belongs to. */
const sessions = new Map<string, string>()
let signIns = 0

function signIn(req: SeenRequest): Reply {
  signIns++
  const c = (JSON.parse(req.body || '{}') as { credentials?: Record<string, any> }).credentials ?? {}
  const site = c.site?.contentUrl
  if (c.personalAccessTokenName !== 'workflows' || c.personalAccessTokenSecret !== secret || typeof site !== 'string' || !(site in sites))
    return { status: 401, body: { error: { summary: 'Signin Error', detail: 'Error signing in to Tableau Server', code: '401001' } } }
  const token = marker('TABSESSION')
  sessions.set(token, sites[site]!)
  return {
    body: {
      credentials: { site: { id: sites[site], contentUrl: site }, user: { id: 'u-42' }, token, estimatedTimeToExpiration: '239:59:00' },
    },
  }
}

beforeAll(async () => {
  h = await createHarness()
  tableau = await startUpstream((req) => {
    if (req.headers.accept !== 'application/json') return { status: 406, body: '<tsResponse/>' }
    if (req.method === 'POST' && req.path === '/api/3.22/auth/signin') return signIn(req)
    const token = String(req.headers['x-tableau-auth'] ?? '')
    const siteId = sessions.get(token)
    if (!siteId) return { status: 401, body: { error: { summary: 'Unauthorized Access', code: '401002' } } }
    if (req.method === 'POST' && req.path === '/api/3.22/auth/signout') {
      sessions.delete(token)
      return { status: 204 }
    }
    if (req.path === '/api/3.22/sessions/current')
      return { body: { session: { site: { id: siteId, contentUrl: 'marketing' }, user: { id: 'u-42', name: 'ada@acme.test' } } } }
    const site = `/api/3.22/sites/${siteId}`
    if (req.method === 'GET' && req.path === `${site}/projects`) return { body: { projects: { project: [{ id: 'p1', name: 'Finance' }] } } }
    if (req.method === 'POST' && req.path === `${site}/projects`) return { status: 201, body: { project: JSON.parse(req.body).project } }
    if (req.method === 'POST' && req.path === `${site}/workbooks/wb-7/refresh`)
      return { status: 202, body: { job: { id: 'job-1', mode: 'Asynchronous' } } }
    return { status: 404, body: { error: { summary: 'Resource Not Found', code: '404000' } } }
  })
  const builtIn = JSON.parse(await readFile(`${repo}/connectors/tableau.json`, 'utf8')) as Record<string, unknown>
  delete builtIn.$schema
  expect((await h.call('POST', '/api/connectors', { body: { ...builtIn, id: 'tableau-standin' } })).status).toBe(201)
})

afterAll(async () => {
  await tableau.close()
  await h.close()
})

const base = (id: string) => `/api/apps/default/connections/${id}`

async function connect(values: Record<string, string>): Promise<string> {
  const created = await h.call('POST', '/api/apps/default/connections', {
    body: { connectorId: 'tableau-standin', authMethod: 'pat', name: marker('tableau'), baseUrl: tableau.origin, values },
  })
  expect(created.status, created.text).toBe(201)
  return created.body.id as string
}

describe('the built-in Tableau connector against a Tableau stand-in', () => {
  it('connects with the right token and works through the test, actions and the proxy', async () => {
    const id = await connect({ server: 'acme.online.tableau.test', site: 'marketing', tokenName: 'workflows', tokenSecret: secret })
    const test = await h.call('POST', `${base(id)}/test`)
    expect(test.body).toMatchObject({ ok: true, label: 'ada@acme.test (marketing)' })
    const list = await h.call('POST', `${base(id)}/actions/listProjects`, { body: { inputs: {} } })
    expect(list.body).toMatchObject({ ok: true, status: 200, body: [{ id: 'p1', name: 'Finance' }] })
    expect(tableau.last().url).toBe(`/api/3.22/sites/${sites.marketing}/projects?pageSize=100&pageNumber=1&sort=name%3Aasc`)
    const created = await h.call('POST', `${base(id)}/actions/createProject`, { body: { inputs: { name: 'Ops' } } })
    expect(created.body).toMatchObject({ ok: true, status: 201, body: { name: 'Ops' } })
    const refresh = await h.call('POST', `${base(id)}/actions/refreshWorkbook`, { body: { inputs: { workbookId: 'wb-7' } } })
    expect(refresh.body).toMatchObject({ ok: true, status: 202, body: { id: 'job-1' } })
    const proxied = await h.call('GET', `${base(id)}/proxy/api/3.22/sites/${sites.marketing}/projects`)
    expect(proxied.status).toBe(200)
    expect(signIns).toBe(1)
  })

  it('signs in to the Default site with an empty content URL', async () => {
    const id = await connect({ server: 'tableau.acme.test', tokenName: 'workflows', tokenSecret: secret })
    expect((await h.call('POST', `${base(id)}/test`)).body.ok).toBe(true)
    const body = JSON.parse(tableau.requests.filter((r) => r.path === '/api/3.22/auth/signin').at(-1)!.body)
    expect(body.credentials.site).toEqual({ contentUrl: '' })
  })

  it('never tests as connected with a wrong token secret', async () => {
    const wrong = marker('WRONGSECRET')
    const id = await connect({ server: 'acme.online.tableau.test', site: 'marketing', tokenName: 'workflows', tokenSecret: wrong })
    const test = await h.call('POST', `${base(id)}/test`)
    expect(test.body).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    const proxied = await h.call('GET', `${base(id)}/proxy/api/3.22/sessions/current`)
    expect(proxied.status).toBe(428)
    for (const response of h.responses) expect(response.text).not.toContain(wrong)
  })

  it('signs in again when Tableau ends the session, through the proxy too', async () => {
    const id = await connect({ server: 'acme.online.tableau.test', site: 'marketing', tokenName: 'workflows', tokenSecret: secret })
    expect((await h.call('POST', `${base(id)}/test`)).body.ok).toBe(true)
    const before = signIns
    sessions.clear()
    const proxied = await h.call('GET', `${base(id)}/proxy/api/3.22/sessions/current`)
    expect(proxied.status).toBe(200)
    expect(signIns - before).toBe(1)
  })

  it('signs out on unauthorize', async () => {
    const id = await connect({ server: 'acme.online.tableau.test', site: 'marketing', tokenName: 'workflows', tokenSecret: secret })
    expect((await h.call('POST', `${base(id)}/test`)).body.ok).toBe(true)
    const live = sessions.size
    expect((await h.call('DELETE', `${base(id)}/credentials`)).status).toBe(200)
    expect(sessions.size).toBe(live - 1)
    expect(tableau.last().path).toBe('/api/3.22/auth/signout')
  })

  it('never shows the token secret or a session token', async () => {
    const shown = [...h.responses.map((r) => r.text), ...h.log, await h.storeText()].join('\n')
    expect(shown).not.toContain(secret)
    expect(shown).not.toMatch(/TABSESSION[0-9a-f]{12}/)
  })
})
