/**
 * App setup: the connectors an app needs (from its actions, or listed), the state of each for the caller
 * (connected, missing, several to choose from), bindings (the app's by an app admin, a member's own among
 * personal connections), and runs by connector through the bound connection, with the same 428 and connect
 * link as a run by connection when there is nothing to use. Upstream: a real server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createClient, SwitchboardApiError } from '../../client/index.ts'
import { canary, createWorld, type World } from '../access/fixture.ts'

const A = '/api/apps/default'
const NEW_LINK = 'http://localhost:8787/#/apps/default/connections/new?connector=acl-lab'
let w: World
beforeAll(async () => {
  w = await createWorld()
})
afterAll(() => w.close())

const tool = async (who: string, connectorId = 'acl-lab') => {
  const res = await w.as(who, 'GET', `${A}/setup`)
  expect(res.status, res.text).toBe(200)
  return res.body.tools.find((t: { connectorId: string }) => t.connectorId === connectorId)
}
const run = (who: string, body: object = {}) => w.as(who, 'POST', `${A}/run/acl-lab/ping`, { body })
const tokenSeen = () => w.upstream.last().headers.authorization

describe('app setup', () => {
  test('an app needs the connectors of its actions and those it lists; only an admin changes them', async () => {
    const member = await w.as('member', 'PATCH', A, { body: { connectors: ['github'] } })
    expect(member.status).toBe(403)
    const unknown = await w.as('admin', 'PATCH', A, { body: { connectors: ['no-such-tool'] } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toMatchObject({ code: 'unknown_connector', details: { errors: [{ path: '/connectors/0' }] } })
    const set = await w.as('admin', 'PATCH', A, { body: { actions: ['acl-lab.ping'], connectors: ['github'] } })
    expect(set.status, set.text).toBe(200)
    expect(set.body.connectors).toEqual(['github'])

    const setup = await w.as('member', 'GET', `${A}/setup`)
    expect(setup.body).toEqual({
      appId: 'default',
      tools: [
        {
          connectorId: 'github',
          name: 'GitHub',
          actions: [],
          declared: true,
          state: 'missing',
          candidates: [],
          connectUrl: 'http://localhost:8787/#/apps/default/connections/new?connector=github',
        },
        {
          connectorId: 'acl-lab',
          name: 'ACL lab',
          actions: ['ping'],
          declared: false,
          state: 'missing',
          candidates: [],
          connectUrl: NEW_LINK,
        },
      ],
    })
    expect((await w.as('outsider', 'GET', `${A}/setup`)).status).toBe(404)
    expect((await w.as(null, 'GET', `${A}/setup`)).status).toBe(401)
  })

  test('a run by connector with no connection answers 428 with the page that adds one, and sends nothing', async () => {
    const seen = w.upstream.requests.length
    const res = await run('member')
    expect(res.status).toBe(428)
    expect(res.body.error.code).toBe('connection_required')
    expect(res.body.error.details.connectUrl).toBe(NEW_LINK)
    expect(res.body.error.message).toContain(NEW_LINK)
    const unknown = await w.as('member', 'POST', `${A}/run/acl-lab/nothing`, { body: {} })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('action_not_found')
    expect((await w.as('member', 'POST', `${A}/run/no-such-tool/ping`, { body: {} })).body.error.code).toBe('connector_not_found')
    expect((await w.as('outsider', 'POST', `${A}/run/acl-lab/ping`, { body: {} })).status).toBe(404)
    expect(w.upstream.requests.length).toBe(seen)
  })

  let S = ''
  let S2 = ''
  test('the only connection is used without a binding, and says so; a workflow runs through it', async () => {
    S = await w.connection('shared', 'Lab (team)')
    const t = await tool('member')
    // Typed credentials nobody has tested yet: usable (the tool is connected), and honest about it.
    expect(t).toMatchObject({ state: 'connected', chosenBy: 'only', connection: { id: S, sharing: 'shared', status: 'untested' } })
    expect(t.connectUrl).toBeUndefined()
    const res = await run('member', { mode: 'workflow' })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ ok: true, status: 200, connectionId: S, body: { ok: true } })
    expect(w.upstream.last().path).toBe('/ping')
    expect(tokenSeen()).toBe(`Bearer ${canary('admin')}`)
    expect(res.text).not.toContain(canary('admin'))
  })

  test('several connections: choose one; a member cannot bind a shared one, an admin binds it for the app', async () => {
    S2 = await w.connection('shared', 'Lab (ops)')
    const t = await tool('member')
    expect(t.state).toBe('choose')
    expect(t.candidates.map((c: { id: string }) => c.id).sort()).toEqual([S, S2].sort())
    const seen = w.upstream.requests.length
    const unchosen = await run('member')
    expect(unchosen.status).toBe(428)
    expect(unchosen.body.error).toMatchObject({
      code: 'binding_required',
      details: { connectUrl: 'http://localhost:8787/#/apps/default/setup' },
    })
    expect(w.upstream.requests.length).toBe(seen)

    await w.h.settle()
    const before = await w.h.storeText()
    const byMember = await w.as('member', 'PUT', `${A}/setup/acl-lab`, { body: { connectionId: S2 } })
    expect(byMember.status).toBe(403)
    expect(byMember.body.error).toMatchObject({ code: 'forbidden', details: { required: 'admin' } })
    const appScope = await w.as('member', 'PUT', `${A}/setup/acl-lab`, { body: { connectionId: S2, scope: 'app' } })
    expect(appScope.status).toBe(403)
    const ownShared = await w.as('member', 'PUT', `${A}/setup/acl-lab`, { body: { connectionId: S2, scope: 'member' } })
    expect(ownShared.status).toBe(400)
    expect(ownShared.body.error.code).toBe('personal_connection_required')
    await w.h.settle()
    expect(await w.h.storeText()).toBe(before)

    const wrong = await w.as('admin', 'PUT', `${A}/setup/github`, { body: { connectionId: S2 } })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.code).toBe('wrong_connector')
    expect((await w.as('admin', 'PUT', `${A}/setup/acl-lab`, { body: { connectionId: 'c_nothere' } })).status).toBe(404)
    expect((await w.as('admin', 'PUT', `${A}/setup/acl-lab`, { body: {} })).body.error.code).toBe('invalid_body')

    const bound = await w.as('admin', 'PUT', `${A}/setup/acl-lab`, { body: { connectionId: S2 } })
    expect(bound.status, bound.text).toBe(200)
    expect(bound.body).toMatchObject({ state: 'connected', chosenBy: 'app', appBinding: S2, connection: { id: S2 } })
    expect(await tool('member')).toMatchObject({ state: 'connected', chosenBy: 'app', appBinding: S2 })
    const res = await run('member')
    expect(res.status, res.text).toBe(200)
    expect(res.body.connectionId).toBe(S2)
    const audit = await w.as('admin', 'GET', `${A}/audit`)
    expect(audit.body.entries.find((e: { event: string }) => e.event === 'binding.set')).toMatchObject({
      connectionId: S2,
      connectorId: 'acl-lab',
      details: { scope: 'app' },
    })
  })

  test("personal connections: each member binds and connects their own; nobody sees another's", async () => {
    const P = await w.connection('personal', 'Lab (mine)')
    const mine = await w.as('member', 'PUT', `${A}/setup/acl-lab`, { body: { connectionId: P } })
    expect(mine.status, mine.text).toBe(200)
    expect(mine.body).toMatchObject({ state: 'missing', chosenBy: 'member', myBinding: P, appBinding: S2, connection: { id: P } })
    const connectLink = `http://localhost:8787/#/apps/default/connections/${P}/connect`
    expect(mine.body.connectUrl).toBe(connectLink)
    // Bound but not connected by this member: the same 428 and link as a run by connection.
    const unconnected = await run('member')
    expect(unconnected.status).toBe(428)
    expect(unconnected.body.error).toMatchObject({ code: 'connection_required', details: { connectUrl: connectLink } })

    const put = await w.as('member', 'PUT', `${A}/connections/${P}/credentials`, { body: { values: { token: canary('member') } } })
    expect(put.status).toBe(200)
    expect(await tool('member')).toMatchObject({ state: 'connected', chosenBy: 'member', connection: { id: P, status: 'untested' } })
    const res = await run('member')
    expect(res.status, res.text).toBe(200)
    expect(res.body.connectionId).toBe(P)
    expect(tokenSeen()).toBe(`Bearer ${canary('member')}`)

    // Another member: neither the first member's binding nor their connected state.
    const other = await tool(w.member2Token)
    expect(other).toMatchObject({ state: 'connected', chosenBy: 'app', connection: { id: S2 } })
    expect(other.myBinding).toBeUndefined()
    expect(other.candidates.find((c: { id: string }) => c.id === P).status).toBe('not_connected')
    expect((await run(w.member2Token)).body.connectionId).toBe(S2)
    expect(tokenSeen()).toBe(`Bearer ${canary('admin')}`)

    // A workflow runs with nobody present: it ignores personal picks and uses the app's binding.
    const workflow = await run('member', { mode: 'workflow' })
    expect(workflow.body.connectionId).toBe(S2)
    expect(tokenSeen()).toBe(`Bearer ${canary('admin')}`)

    // Clearing: a member clears their own, never the app's.
    expect((await w.as('member', 'DELETE', `${A}/setup/acl-lab?scope=app`)).status).toBe(403)
    expect((await w.as('member', 'DELETE', `${A}/setup/acl-lab?scope=everyone`)).body.error.code).toBe('invalid_query')
    const cleared = await w.as('member', 'DELETE', `${A}/setup/acl-lab`)
    expect(cleared.status).toBe(200)
    expect(cleared.body).toMatchObject({ chosenBy: 'app', connection: { id: S2 } })
    expect(cleared.body.myBinding).toBeUndefined()
    const appCleared = await w.as('admin', 'DELETE', `${A}/setup/acl-lab?scope=app`)
    expect(appCleared.status).toBe(200)
    expect(appCleared.body.state).toBe('choose')
    expect(appCleared.body.candidates).toHaveLength(3)
  })

  test('a binding to a deleted connection counts as none', async () => {
    const gone = await w.connection('shared', 'Lab (gone)')
    expect((await w.as('admin', 'PUT', `${A}/setup/acl-lab`, { body: { connectionId: gone } })).status).toBe(200)
    expect((await w.as('admin', 'DELETE', `${A}/connections/${gone}`)).status).toBe(204)
    expect((await tool('admin')).state).toBe('choose')
    expect((await run('admin')).body.error.code).toBe('binding_required')
  })

  test('the typed client runs by connector and reads the setup; a missing connection is its typed error with the link', async () => {
    const sb = createClient({
      baseUrl: 'http://localhost:8787',
      token: w.tokens.admin!,
      fetch: async (input, init) => w.h.app.request(String(input), init),
    })
    expect((await sb.setup()).tools.map((t) => t.connectorId)).toEqual(['github', 'acl-lab'])
    expect((await w.as('admin', 'PUT', `${A}/setup/acl-lab`, { body: { connectionId: S } })).status).toBe(200)
    const result = await sb.run('acl-lab', 'ping', {}, { mode: 'workflow' })
    expect(result).toMatchObject({ ok: true, connectionId: S })
    const missing = await sb.run('github', 'listRepos').catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(SwitchboardApiError)
    expect(missing).toMatchObject({ code: 'connection_required' })
    expect((missing as SwitchboardApiError).connectUrl).toBe('http://localhost:8787/#/apps/default/connections/new?connector=github')
  })

  test('no answer carries a credential', () => {
    for (const res of w.h.responses) expect(res.text).not.toMatch(/CANARY-/)
  })
})
