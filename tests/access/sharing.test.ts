/**
 * Sharing scope end to end: personal credentials stay with their owner, a shared credential cannot be
 * aimed elsewhere by a member, workflows need shared connections, and the audit trail records it all
 * without a secret, bounded.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createAuditLog } from '../../runtime/inbound/audit/index.ts'
import { canary, createWorld, type World } from './fixture.ts'

const A = '/api/apps/default'
let w: World
beforeAll(async () => {
  w = await createWorld()
})
afterAll(() => w.close())

const tokenSeen = () => w.upstream.last().headers.authorization

describe('personal credentials', () => {
  test("each member's requests carry only their own credentials; one without gets 428 and the connect link", async () => {
    const P = await w.connection('personal', 'Isolation')
    for (const [who, token] of [
      ['member', w.tokens.member],
      ['member2', w.member2Token],
      ['admin', w.tokens.admin],
    ] as const) {
      expect((await w.as(token, 'PUT', `${A}/connections/${P}/credentials`, { body: { values: { token: canary(who) } } })).status).toBe(200)
    }
    for (const [who, token] of [
      ['member', w.tokens.member],
      ['member2', w.member2Token],
      ['admin', w.tokens.admin],
      ['member', w.tokens.member],
    ] as const) {
      const run = await w.as(token, 'POST', `${A}/connections/${P}/actions/ping`, { body: {} })
      expect(run.status).toBe(200)
      expect(tokenSeen()).toBe(`Bearer ${canary(who)}`)
      const proxied = await w.as(token, 'GET', `${A}/connections/${P}/proxy/whoami`)
      expect(proxied.status).toBe(200)
      expect(tokenSeen()).toBe(`Bearer ${canary(who)}`)
    }
    // The owner has none of their own: nobody else's is a fallback.
    const seen = w.upstream.requests.length
    const run = await w.as('owner', 'POST', `${A}/connections/${P}/actions/ping`, { body: {} })
    expect(run.status).toBe(428)
    expect(run.body.error.code).toBe('connection_required')
    expect(run.body.error.details.connectUrl).toBe(`http://localhost:8787/#/apps/default/connections/${P}/connect`)
    expect((await w.as('owner', 'GET', `${A}/connections/${P}/proxy/x`)).status).toBe(428)
    const tested = await w.as('owner', 'POST', `${A}/connections/${P}/test`)
    expect(tested.body.ok).toBe(false)
    expect(w.upstream.requests.length).toBe(seen)
    const view = await w.as('owner', 'GET', `${A}/connections/${P}`)
    expect(view.body.status).toBe('not_connected')
    expect(view.body.secrets.token.hasValue).toBe(false)
    // A member unauthorizing drops only their own.
    expect((await w.as('member', 'DELETE', `${A}/connections/${P}/credentials`)).status).toBe(200)
    expect((await w.as('member', 'POST', `${A}/connections/${P}/actions/ping`, { body: {} })).status).toBe(428)
    expect((await w.as(w.member2Token, 'POST', `${A}/connections/${P}/actions/ping`, { body: {} })).status).toBe(200)
    expect(tokenSeen()).toBe(`Bearer ${canary('member2')}`)
    // Every request the upstream saw carried one of the canaries, never someone else's for the caller (checked above).
    expect(w.upstream.requests.every((r) => /^Bearer CANARY-/.test(String(r.headers.authorization)))).toBe(true)
  })

  test(
    'needs: the new-connection page when there is none, the connect page when the user has no credentials, connected ' + 'otherwise',
    async () => {
      const none = await w.as('member', 'GET', `${A}/needs?connector=github`)
      expect(none.body).toEqual({
        connectorId: 'github',
        connected: false,
        connectUrl: 'http://localhost:8787/#/apps/default/connections/new?connector=github',
      })
      // Only personal connections so far, and this member unauthorized theirs: the first one's connect page.
      const without = await w.as('member', 'GET', `${A}/needs?connector=acl-lab`)
      expect(without.body.connected).toBe(false)
      expect(without.body.connectUrl).toBe(`http://localhost:8787/#/apps/default/connections/${without.body.connectionId}/connect`)
      const withOwn = await w.as(w.member2Token, 'GET', `${A}/needs?connector=acl-lab`)
      expect(withOwn.body).toEqual({ connectorId: 'acl-lab', connected: true, connectionId: without.body.connectionId })
      const other = await w.as('outsider', 'GET', '/api/apps/other/needs?connector=acl-lab')
      expect(other.body.connected).toBe(false)
      expect(other.body.connectUrl).toBe('http://localhost:8787/#/apps/other/connections/new?connector=acl-lab')
    },
  )
})

describe('shared credentials', () => {
  test('a member cannot aim them elsewhere; an admin changing the host drops them unless the connector allows the host', async () => {
    const S = await w.connection('shared', 'Aim')
    await w.h.settle()
    const before = await w.h.storeText()
    for (const body of [{ baseUrl: 'https://elsewhere.example' }, { values: { baseUrl: 'https://elsewhere.example' } }]) {
      const res = await w.as('member', 'PATCH', `${A}/connections/${S}`, { body })
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    const put = await w.as('member', 'PUT', `${A}/connections/${S}/credentials`, {
      body: { values: { token: canary('member'), baseUrl: 'https://elsewhere.example' } },
    })
    expect(put.status).toBe(403)
    expect(put.body.error.message).toMatch(/admin/)
    expect(await w.h.storeText()).toBe(before)

    const port = new URL(w.upstream.origin).port
    const allowed = await w.as('admin', 'PATCH', `${A}/connections/${S}`, { body: { baseUrl: `http://127.0.0.2:${port}` } })
    expect(allowed.body.secrets.token.hasValue).toBe(true)
    const moved = await w.as('admin', 'PATCH', `${A}/connections/${S}`, { body: { baseUrl: 'https://elsewhere.example' } })
    expect(moved.status).toBe(200)
    expect(moved.body.status).toBe('not_connected')
    expect(moved.body.secrets.token.hasValue).toBe(false)
    expect(await w.h.store.find('credentials', 'byConnection', { equals: [S] })).toEqual([])
    const seen = w.upstream.requests.length
    expect((await w.as('member', 'POST', `${A}/connections/${S}/actions/ping`, { body: {} })).status).toBe(428)
    expect(w.upstream.requests.length).toBe(seen)
  })

  test("members' runs use the admin's credential and are recorded as theirs; switching the scope drops every credential", async () => {
    const S = await w.connection('shared', 'Used by all')
    const run = await w.as('member', 'POST', `${A}/connections/${S}/actions/ping`, { body: { mode: 'workflow' } })
    expect(run.status).toBe(200)
    expect(tokenSeen()).toBe(`Bearer ${canary('admin')}`)
    const runs = await w.as('member', 'GET', `${A}/connections/${S}/runs`)
    expect(runs.body.runs[0].userId).toBe(w.userIds.member)
    const switched = await w.as('admin', 'PATCH', `${A}/connections/${S}`, { body: { sharing: 'personal' } })
    expect(switched.body.status).toBe('not_connected')
    expect(await w.h.store.find('credentials', 'byConnection', { equals: [S] })).toEqual([])
    const workflow = await w.as('admin', 'POST', `${A}/connections/${S}/actions/ping`, { body: { mode: 'workflow' } })
    expect(workflow.status).toBe(409)
    expect(workflow.body.error.code).toBe('shared_connection_required')
  })
})

describe('audit trail', () => {
  test('records each event with who and outcome, filtered and paginated, and never a secret', async () => {
    const created = await w.as('admin', 'POST', `${A}/connections`, {
      body: { connectorId: 'acl-lab', name: 'Audited', values: { baseUrl: w.upstream.origin } },
    })
    const id = created.body.id
    const path = `${A}/connections/${id}`
    await w.as('admin', 'PUT', `${path}/credentials`, { body: { values: { token: canary('audit-1') } } })
    await w.as('admin', 'PUT', `${path}/credentials`, { body: { values: { token: canary('audit-2') } } })
    await w.as('member', 'POST', `${path}/test`)
    await w.as('member', 'POST', `${path}/actions/ping`, { body: {} })
    await w.as('admin', 'PATCH', `${path}`, { body: { sharing: 'personal' } })
    await w.as('member', 'PUT', `${path}/credentials`, { body: { values: { token: canary('audit-3') } } })
    await w.as('member', 'DELETE', `${path}/credentials`)
    await w.as('member', 'POST', `${path}/actions/ping`, { body: {} })
    await w.as('admin', 'DELETE', path)
    const trail = await w.as('admin', 'GET', `${A}/audit?connection=${id}`)
    expect(trail.status).toBe(200)
    const events = trail.body.entries.map((e: any) => [
      e.event,
      e.userId === w.userIds.admin ? 'admin' : e.userId === w.userIds.member ? 'member' : e.userId,
    ])
    expect(events.reverse()).toEqual([
      ['connection.created', 'admin'],
      ['connection.connected', 'admin'],
      ['connection.reconnected', 'admin'],
      ['connection.tested', 'member'],
      ['action.run', 'member'],
      ['connection.sharing_changed', 'admin'],
      ['connection.connected', 'member'],
      ['connection.unauthorized', 'member'],
      ['action.run', 'member'],
      ['connection.deleted', 'admin'],
    ])
    const runs = trail.body.entries.filter((e: any) => e.event === 'action.run')
    expect(runs.map((e: any) => e.details.outcome)).toEqual(['failed', 'ok'])
    expect(runs[0].details.code).toBe('connection_required')
    expect(trail.body.entries.find((e: any) => e.event === 'connection.sharing_changed').details).toMatchObject({
      from: 'shared',
      to: 'personal',
      credentialsDropped: 1,
    })
    const page1 = await w.as('admin', 'GET', `${A}/audit?connection=${id}&limit=4`)
    expect(page1.body.entries).toHaveLength(4)
    const page2 = await w.as('admin', 'GET', `${A}/audit?connection=${id}&limit=4&before=${page1.body.next}`)
    const page3 = await w.as('admin', 'GET', `${A}/audit?connection=${id}&limit=4&before=${page2.body.next}`)
    expect([...page1.body.entries, ...page2.body.entries, ...page3.body.entries].map((e: any) => e.seq)).toEqual(
      trail.body.entries.map((e: any) => e.seq),
    )
    expect(page3.body.next).toBeUndefined()
    const stored = JSON.stringify(await w.h.store.find('audit', 'byApp', { equals: ['default'] }))
    for (const text of [trail.text, stored]) expect(text).not.toMatch(/CANARY/)
  })

  test('rotation keeps the newest N per app', async () => {
    const audit = createAuditLog({ store: w.h.store, limit: 5 })
    for (let i = 0; i < 12; i++) await audit.record('rotation-app', { userId: 'owner', event: 'connection.tested', details: { i } })
    const page = await audit.list('rotation-app', { limit: 100 })
    expect(page.entries.map((e) => e.details?.i)).toEqual([11, 10, 9, 8, 7])
    // What is stored is bounded too, not only what is listed.
    expect(await w.h.store.count('audit', 'byApp', { equals: ['rotation-app'] })).toBe(5)
  })
})
