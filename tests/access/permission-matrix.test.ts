/**
 * Every route × every kind of caller, from one table. Refused calls must leave the store file
 * byte-identical and must not reach the upstream.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ACTORS, type Actor, canary, createWorld, labConnector, type World } from './fixture.ts'

const A = '/api/apps/default'
/** Expected statuses for owner, app admin, member of the app, member of another app; revoked token and no token are always 401. */
type Expect = [owner: number, admin: number, member: number, outsider: number]
interface Row {
  name: string
  /** Builds the request; runs before each cell, so rows that destroy things get their own target. */
  request(w: World): Promise<{ method: string; path: string; body?: unknown }>
  expect: Expect
}

let n = 0
const unique = (prefix: string) => `${prefix} ${++n}`
let S = ''
let P = ''

const ROWS: Row[] = [
  { name: 'read app', request: async () => ({ method: 'GET', path: A }), expect: [200, 200, 200, 404] },
  { name: 'read another app', request: async () => ({ method: 'GET', path: '/api/apps/other' }), expect: [200, 404, 404, 200] },
  { name: 'list connections', request: async () => ({ method: 'GET', path: `${A}/connections` }), expect: [200, 200, 200, 404] },
  {
    name: 'add connection',
    request: async (w) => ({
      method: 'POST',
      path: `${A}/connections`,
      body: { connectorId: 'acl-lab', name: unique('new'), values: { baseUrl: w.upstream.origin } },
    }),
    expect: [201, 201, 403, 404],
  },
  { name: 'read connection', request: async () => ({ method: 'GET', path: `${A}/connections/${S}` }), expect: [200, 200, 200, 404] },
  {
    name: 'rename',
    request: async () => ({ method: 'PATCH', path: `${A}/connections/${S}`, body: { name: unique('renamed') } }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'switch sharing',
    request: async (w) => ({ method: 'PATCH', path: `${A}/connections/${await w.connection('shared')}`, body: { sharing: 'personal' } }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'change base URL',
    request: async (w) => ({
      method: 'PATCH',
      path: `${A}/connections/${await w.connection('shared')}`,
      body: { baseUrl: 'https://elsewhere.example' },
    }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'delete connection',
    request: async (w) => ({ method: 'DELETE', path: `${A}/connections/${await w.connection('shared')}` }),
    expect: [204, 204, 403, 404],
  },
  {
    name: 'connect shared',
    request: async () => ({ method: 'PUT', path: `${A}/connections/${S}/credentials`, body: { values: { token: canary('admin') } } }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'unauthorize shared',
    request: async (w) => ({ method: 'DELETE', path: `${A}/connections/${await w.connection('shared')}/credentials` }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'connect own personal',
    request: async () => ({ method: 'PUT', path: `${A}/connections/${P}/credentials`, body: { values: { token: canary('someone') } } }),
    expect: [200, 200, 200, 404],
  },
  {
    name: 'personal: change a plain field while connecting',
    request: async (w) => ({
      method: 'PUT',
      path: `${A}/connections/${await w.connection('personal')}/credentials`,
      body: { values: { token: canary('someone'), baseUrl: 'https://elsewhere.example' } },
    }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'personal: switch auth method while connecting',
    request: async () => ({
      method: 'PUT',
      path: `${A}/connections/${P}/credentials`,
      body: { authMethod: 'other', values: { token: canary('someone') } },
    }),
    expect: [400, 400, 403, 404],
  },
  {
    name: 'unauthorize own personal',
    request: async (w) => ({ method: 'DELETE', path: `${A}/connections/${await w.connection('personal')}/credentials` }),
    expect: [200, 200, 200, 404],
  },
  {
    name: 'clone',
    request: async () => ({ method: 'POST', path: `${A}/connections/${S}/clone`, body: { name: unique('clone') } }),
    expect: [201, 201, 403, 404],
  },
  { name: 'test', request: async () => ({ method: 'POST', path: `${A}/connections/${S}/test` }), expect: [200, 200, 200, 404] },
  {
    name: 'run action',
    request: async () => ({ method: 'POST', path: `${A}/connections/${S}/actions/ping`, body: {} }),
    expect: [200, 200, 200, 404],
  },
  {
    name: 'run action as workflow on personal',
    request: async () => ({ method: 'POST', path: `${A}/connections/${P}/actions/ping`, body: { mode: 'workflow' } }),
    expect: [409, 409, 409, 404],
  },
  { name: 'list runs', request: async () => ({ method: 'GET', path: `${A}/connections/${S}/runs` }), expect: [200, 200, 200, 404] },
  { name: 'proxy', request: async () => ({ method: 'GET', path: `${A}/connections/${S}/proxy/ping` }), expect: [200, 200, 200, 404] },
  {
    name: 'declare the actions the app uses',
    request: async () => ({ method: 'PATCH', path: A, body: { actions: ['acl-lab.ping'] } }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'set member',
    request: async (w) => ({ method: 'PUT', path: `${A}/members/${w.userIds.member2}`, body: { role: 'member' } }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'remove member',
    request: async (w) => {
      const user = await w.as('owner', 'POST', '/api/users', { body: { name: unique('victim') } })
      await w.as('owner', 'PUT', `${A}/members/${user.body.id}`, { body: { role: 'member' } })
      return { method: 'DELETE', path: `${A}/members/${user.body.id}` }
    },
    expect: [200, 200, 403, 404],
  },
  { name: 'read audit', request: async () => ({ method: 'GET', path: `${A}/audit` }), expect: [200, 200, 403, 404] },
  { name: 'needs', request: async () => ({ method: 'GET', path: `${A}/needs?connector=acl-lab` }), expect: [200, 200, 200, 404] },
  { name: 'read setup', request: async () => ({ method: 'GET', path: `${A}/setup` }), expect: [200, 200, 200, 404] },
  {
    name: 'bind a shared connection for the app',
    request: async () => ({ method: 'PUT', path: `${A}/setup/acl-lab`, body: { connectionId: S } }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'bind my own personal connection',
    request: async () => ({ method: 'PUT', path: `${A}/setup/acl-lab`, body: { connectionId: P } }),
    expect: [200, 200, 200, 404],
  },
  {
    name: "clear the app's binding",
    request: async () => ({ method: 'DELETE', path: `${A}/setup/acl-lab?scope=app` }),
    expect: [200, 200, 403, 404],
  },
  {
    name: 'unknown app route',
    request: async () => ({ method: 'POST', path: `${A}/connections/${S}/nothing-here` }),
    expect: [404, 404, 403, 404],
  },
  {
    name: 'invite user',
    request: async () => ({ method: 'POST', path: '/api/users', body: { name: unique('invitee') } }),
    expect: [201, 403, 403, 403],
  },
  { name: 'list users', request: async () => ({ method: 'GET', path: '/api/users' }), expect: [200, 200, 403, 403] },
  {
    name: 'issue token',
    request: async (w) => ({ method: 'POST', path: `/api/users/${w.userIds.member2}/tokens`, body: { name: 'ci' } }),
    expect: [201, 403, 403, 403],
  },
  {
    name: "list a member's tokens",
    request: async (w) => ({ method: 'GET', path: `/api/users/${w.userIds.member}/tokens` }),
    expect: [200, 403, 200, 403],
  },
  {
    name: "revoke a member's token",
    request: async (w) => {
      const issued = await w.as('owner', 'POST', `/api/users/${w.userIds.member}/tokens`, { body: { name: unique('spare') } })
      return { method: 'DELETE', path: `/api/tokens/${issued.body.id}` }
    },
    expect: [200, 404, 200, 404],
  },
  { name: 'list connectors', request: async () => ({ method: 'GET', path: '/api/connectors' }), expect: [200, 200, 200, 200] },
  {
    name: 'create custom connector',
    request: async (w) => ({ method: 'POST', path: '/api/connectors', body: { ...labConnector(w.upstream.origin), id: `lab-${++n}` } }),
    expect: [201, 403, 403, 403],
  },
  {
    name: 'update custom connector',
    request: async (w) => ({ method: 'PUT', path: '/api/connectors/acl-lab', body: labConnector(w.upstream.origin) }),
    expect: [200, 403, 403, 403],
  },
  {
    name: 'delete custom connector',
    request: async (w) => {
      const id = `gone-${++n}`
      await w.as('owner', 'POST', '/api/connectors', { body: { ...labConnector(w.upstream.origin), id } })
      return { method: 'DELETE', path: `/api/connectors/${id}` }
    },
    expect: [204, 403, 403, 403],
  },
  {
    name: 'set OAuth app',
    request: async () => ({ method: 'PUT', path: '/api/connectors/acl-lab/oauth-app', body: { clientId: 'abc' } }),
    expect: [409, 403, 403, 403],
  },
  {
    name: 'delete OAuth app',
    request: async () => ({ method: 'DELETE', path: '/api/connectors/acl-lab/oauth-app' }),
    expect: [204, 403, 403, 403],
  },
  {
    name: 'create app',
    request: async () => ({ method: 'POST', path: '/api/apps', body: { name: unique('app') } }),
    expect: [201, 201, 201, 201],
  },
]

const CELLS = ROWS.flatMap((row) => ACTORS.map((actor, i) => ({ row, actor, status: i < 4 ? row.expect[i as 0 | 1 | 2 | 3] : 401 })))

describe(`permission matrix: ${ROWS.length} routes × ${ACTORS.length} callers = ${CELLS.length} cells`, () => {
  let w: World
  beforeAll(async () => {
    w = await createWorld()
    S = await w.connection('shared', 'Shared lab')
    P = await w.connection('personal', 'Personal lab')
    for (const who of ['owner', 'admin', 'member'] as const) {
      const res = await w.as(who, 'PUT', `${A}/connections/${P}/credentials`, { body: { values: { token: canary(who) } } })
      expect(res.status).toBe(200)
    }
    console.log(`permission matrix: ${ROWS.length} routes × ${ACTORS.length} callers = ${CELLS.length} cells`)
  })
  afterAll(() => w.close())

  test.each(CELLS.map((cell) => [cell.row.name, cell.actor, cell.status, cell] as const))(
    '%s as %s → %i',
    async (_name, actor: Actor, status, cell) => {
      const request = await cell.row.request(w)
      await w.h.settle()
      const before = await w.h.storeText()
      const seen = w.upstream.requests.length
      const res = await w.as(actor, request.method, request.path, request.body === undefined ? {} : { body: request.body })
      expect(res.status, res.text).toBe(status)
      if (status === 403) {
        expect(res.body.error.code).toBe('forbidden')
        expect(res.body.error.message).toMatch(/admin|owner/)
      }
      if (status === 401 || status === 403 || (status === 404 && actor === 'outsider' && request.path.startsWith(A))) {
        await w.h.settle()
        expect(await w.h.storeText()).toBe(before)
        expect(w.upstream.requests.length).toBe(seen)
      }
    },
  )
})
