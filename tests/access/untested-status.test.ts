/**
 * A truthful status: typed credentials (here a bearer token) are `untested` until a test speaks for them; they are
 * usable meanwhile (actions, proxy, app setup, needs), and `connection.connected` is told once, when a test first
 * passes. A failing first test makes the connection `error` and tells `connection.failed`. A member's own
 * credentials on a personal connection follow the same path. (Credentials a provider issues stay `connected` at
 * once: see tests/oauth2/mock-server.test.ts and tests/auth/oauth1.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionEvent } from '../../runtime/core/events/index.ts'
import { startUpstream, type Upstream } from '../runtime/harness.ts'
import { canary, createWorld, labConnector, type World } from './fixture.ts'

const A = '/api/apps/default'
const GOOD = canary('strict-good')
const BAD = canary('strict-bad')

let w: World
let strict: Upstream
const events: ConnectionEvent[] = []
const told = (type: string, id: string) => events.filter((e) => e.type === type && e.data.connectionId === id)

beforeAll(async () => {
  w = await createWorld()
  // An API that takes one token only: a test with another one fails.
  strict = await startUpstream((request) =>
    request.headers.authorization === `Bearer ${GOOD}` ? { body: { ok: true } } : { status: 401, body: { message: 'Bad credentials' } },
  )
  const connector = { ...labConnector(strict.origin), id: 'strict-lab', name: 'Strict lab' }
  expect((await w.h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
  w.h.runtime.events.on((e) => void events.push(e))
})
afterAll(async () => {
  await strict?.close()
  await w?.close()
})

describe('a shared connection with typed credentials', () => {
  let id = ''

  it('is untested once the credentials are stored: no connect link, no last test, not told as connected', async () => {
    const made = await w.as('admin', 'POST', `${A}/connections`, {
      body: { connectorId: 'strict-lab', name: 'Strict', values: { baseUrl: strict.origin } },
    })
    expect(made.status, made.text).toBe(201)
    id = made.body.id
    expect(made.body.status).toBe('not_connected')
    expect(made.body.connectUrl).toBeDefined()
    const put = await w.as('admin', 'PUT', `${A}/connections/${id}/credentials`, { body: { values: { token: GOOD } } })
    expect(put.status, put.text).toBe(200)
    expect(put.body).toMatchObject({ status: 'untested', secrets: { token: { hasValue: true } } })
    expect(put.body.connectUrl).toBeUndefined()
    expect(put.body.lastTest).toBeUndefined()
    expect((await w.as('member', 'GET', `${A}/connections/${id}`)).body.status).toBe('untested')
    await w.h.runtime.webhooks.idle()
    expect(told('connection.connected', id)).toEqual([])
    expect(told('connection.untested', id)).toHaveLength(1)
    // The audit trail has what the admin did, and says the credentials were not tested then.
    const audit = await w.as('admin', 'GET', `${A}/audit?connection=${id}`)
    expect(audit.body.entries[0]).toMatchObject({ event: 'connection.connected', details: { status: 'untested' } })
  })

  it('is usable before any test: actions, the proxy, needs and app setup take it', async () => {
    const before = strict.requests.length
    const run = await w.as('member', 'POST', `${A}/connections/${id}/actions/ping`, { body: {} })
    expect(run.status, run.text).toBe(200)
    const proxied = await w.as('member', 'GET', `${A}/connections/${id}/proxy/ping`)
    expect(proxied.status, proxied.text).toBe(200)
    expect(strict.requests.slice(before).map((r) => r.headers.authorization)).toEqual([`Bearer ${GOOD}`, `Bearer ${GOOD}`])

    const needs = await w.as('member', 'GET', `${A}/needs?connector=strict-lab`)
    expect(needs.body).toEqual({ connectorId: 'strict-lab', connected: true, connectionId: id })

    expect((await w.as('admin', 'PATCH', A, { body: { connectors: ['strict-lab'] } })).status).toBe(200)
    const setup = await w.as('member', 'GET', `${A}/setup`)
    expect(setup.status, setup.text).toBe(200)
    const tool = setup.body.tools.find((t: { connectorId: string }) => t.connectorId === 'strict-lab')
    expect(tool).toMatchObject({ state: 'connected', chosenBy: 'only', connection: { id, status: 'untested' } })
    expect(tool.connectUrl).toBeUndefined()
    // Using it checks nothing: it is still untested.
    expect((await w.as('member', 'GET', `${A}/connections/${id}`)).body.status).toBe('untested')
  })

  it('becomes connected when a test passes, and connection.connected is told then, once', async () => {
    const test = await w.as('member', 'POST', `${A}/connections/${id}/test`)
    expect(test.body.ok, test.text).toBe(true)
    const view = (await w.as('member', 'GET', `${A}/connections/${id}`)).body
    expect(view).toMatchObject({ status: 'connected', lastTest: { ok: true } })
    expect(told('connection.connected', id).map((e) => e.data.status)).toEqual(['connected'])
    // Tested again: still connected, told nothing new.
    expect((await w.as('member', 'POST', `${A}/connections/${id}/test`)).body.ok).toBe(true)
    expect(told('connection.connected', id)).toHaveLength(1)
    const setup = await w.as('member', 'GET', `${A}/setup`)
    const tool = setup.body.tools.find((t: { connectorId: string }) => t.connectorId === 'strict-lab')
    expect(tool.connection.status).toBe('connected')
  })

  it('new credentials are untested again; when the test fails the status is error and connection.failed is told', async () => {
    const put = await w.as('admin', 'PUT', `${A}/connections/${id}/credentials`, { body: { values: { token: BAD } } })
    expect(put.body.status).toBe('untested')
    expect(put.body.lastTest).toBeUndefined()
    const test = await w.as('admin', 'POST', `${A}/connections/${id}/test`)
    expect(test.body).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    const view = (await w.as('admin', 'GET', `${A}/connections/${id}`)).body
    expect(view).toMatchObject({ status: 'error', lastTest: { ok: false } })
    expect(view.connectUrl).toBeDefined()
    expect(told('connection.failed', id).map((e) => e.data.status)).toEqual(['error'])
    expect(told('connection.connected', id)).toHaveLength(1)
    for (const e of events) expect(JSON.stringify(e)).not.toContain(BAD)
  })

  it('adding a connection with its credentials in one step is untested too', async () => {
    const made = await w.as('admin', 'POST', `${A}/connections`, {
      body: { connectorId: 'strict-lab', name: 'Strict (one step)', values: { baseUrl: strict.origin, token: GOOD } },
    })
    expect(made.status, made.text).toBe(201)
    expect(made.body.status).toBe('untested')
    expect(told('connection.connected', made.body.id)).toEqual([])
    expect((await w.as('admin', 'POST', `${A}/connections/${made.body.id}/test`)).body.ok).toBe(true)
    expect((await w.as('admin', 'GET', `${A}/connections/${made.body.id}`)).body.status).toBe('connected')
    expect(told('connection.connected', made.body.id)).toHaveLength(1)
  })
})

describe("a member's own credentials on a personal connection", () => {
  it('are untested for that member until their test passes; another member still has none', async () => {
    const P = await w.connection('personal', 'Own untested')
    const put = await w.as('member', 'PUT', `${A}/connections/${P}/credentials`, { body: { values: { token: canary('member') } } })
    expect(put.status, put.text).toBe(200)
    expect(put.body.status).toBe('untested')
    expect((await w.as(w.member2Token, 'GET', `${A}/connections/${P}`)).body.status).toBe('not_connected')
    expect(told('connection.connected', P)).toEqual([])
    // Usable as it is.
    expect((await w.as('member', 'POST', `${A}/connections/${P}/actions/ping`, { body: {} })).status).toBe(200)

    expect((await w.as('member', 'POST', `${A}/connections/${P}/test`)).body.ok).toBe(true)
    expect((await w.as('member', 'GET', `${A}/connections/${P}`)).body.status).toBe('connected')
    expect(told('connection.connected', P).map((e) => e.data.status)).toEqual(['connected'])
    expect((await w.as('member', 'POST', `${A}/connections/${P}/test`)).body.ok).toBe(true)
    expect(told('connection.connected', P)).toHaveLength(1)
  })
})
