/**
 * On a personal connection each member sees their own status, last test and account — never the
 * label of whoever tested last.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { canary, createWorld, type World } from './fixture.ts'

const A = '/api/apps/default'
let w: World
beforeAll(async () => {
  w = await createWorld()
})
afterAll(() => w.close())

test("a member's test result and account label stay on their own view", async () => {
  const P = await w.connection('personal', 'Own views')
  await w.as('member', 'PUT', `${A}/connections/${P}/credentials`, { body: { values: { token: canary('member') } } })
  await w.as(w.member2Token, 'PUT', `${A}/connections/${P}/credentials`, { body: { values: { token: canary('member2') } } })
  expect((await w.as('member', 'POST', `${A}/connections/${P}/test`)).body.ok).toBe(true)
  // member2 has credentials but has not tested: nothing of member's test shows for them.
  const other = await w.as(w.member2Token, 'GET', `${A}/connections/${P}`)
  expect(other.body.status).toBe('connected')
  expect(other.body.lastTest).toBeUndefined()
  expect(other.body.accountLabel).toBeUndefined()
  const own = await w.as('member', 'GET', `${A}/connections/${P}`)
  expect(own.body.lastTest.ok).toBe(true)
  // Someone without credentials of their own sees "not connected", not another member's success.
  const owner = await w.as('owner', 'GET', `${A}/connections/${P}`)
  expect(owner.body.status).toBe('not_connected')
  expect(owner.body.lastTest).toBeUndefined()
  expect(JSON.stringify(owner.body)).not.toContain('CANARY')
})

test('a connection without credentials says who can connect it: yourself (personal) or an app admin (shared)', async () => {
  const P = await w.connection('personal', 'Who connects (personal)')
  const personal = await w.as('member', 'POST', `${A}/connections/${P}/actions/ping`, { body: {} })
  expect(personal.status).toBe(428)
  expect(personal.body.error.message).toContain('Connect your own account at')
  const S = await w.connection('shared', 'Who connects (shared)')
  expect((await w.as('admin', 'DELETE', `${A}/connections/${S}/credentials`)).status).toBe(200)
  const seen = w.upstream.requests.length
  for (const answer of [
    await w.as('member', 'POST', `${A}/connections/${S}/actions/ping`, { body: {} }),
    await w.as('member', 'GET', `${A}/connections/${S}/proxy/ping`),
  ]) {
    expect(answer.status).toBe(428)
    expect(answer.body.error.code).toBe('connection_required')
    expect(answer.body.error.message).toContain('An app admin connects it for everyone at')
    expect(answer.body.error.details.connectUrl).toContain(`/connections/${S}/connect`)
  }
  expect(w.upstream.requests.length).toBe(seen)
})
