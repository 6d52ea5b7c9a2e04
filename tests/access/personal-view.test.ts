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
  // member2 has credentials but has not tested: nothing of member's test shows for them, and theirs are untested.
  const other = await w.as(w.member2Token, 'GET', `${A}/connections/${P}`)
  expect(other.body.status).toBe('untested')
  expect(other.body.lastTest).toBeUndefined()
  expect(other.body.accountLabel).toBeUndefined()
  const own = await w.as('member', 'GET', `${A}/connections/${P}`)
  expect(own.body.lastTest.ok).toBe(true)
  expect(own.body.status).toBe('connected')
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

test("on a personal Basic connection each member enters their own username; the connection's fields stay the admin's", async () => {
  const connector = {
    id: 'basic-lab',
    name: 'Basic lab',
    baseUrl: '{{baseUrl}}',
    fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
    auth: [
      {
        type: 'basic',
        id: 'token',
        username: '{{email}}/token',
        password: '{{apiToken}}',
        fields: [
          { key: 'email', label: 'Email', type: 'text', required: true },
          { key: 'apiToken', label: 'API token', type: 'secret', required: true },
        ],
      },
    ],
    test: { path: '/me' },
  }
  expect((await w.as('owner', 'POST', '/api/connectors', { body: connector })).status).toBe(201)
  const made = await w.as('owner', 'POST', `${A}/connections`, {
    body: { connectorId: 'basic-lab', name: 'Per member', sharing: 'personal', values: { baseUrl: w.upstream.origin } },
  })
  expect(made.status, made.text).toBe(201)
  const P = made.body.id as string
  const sent = () => Buffer.from(String(w.upstream.last().headers.authorization).replace('Basic ', ''), 'base64').toString()
  for (const [who, token] of [
    ['member', w.tokens.member],
    ['member2', w.member2Token],
  ] as const) {
    const put = await w.as(token, 'PUT', `${A}/connections/${P}/credentials`, {
      body: { values: { email: `${who}@example.com`, apiToken: canary(who) } },
    })
    expect(put.status, put.text).toBe(200)
    expect(put.body.fields.email).toBe(`${who}@example.com`)
  }
  for (const [who, token] of [
    ['member', w.tokens.member],
    ['member2', w.member2Token],
  ] as const) {
    expect((await w.as(token, 'POST', `${A}/connections/${P}/test`)).body.ok).toBe(true)
    expect(sent()).toBe(`${who}@example.com/token:${canary(who)}`)
    expect((await w.as(token, 'GET', `${A}/connections/${P}`)).body.fields.email).toBe(`${who}@example.com`)
  }
  // Reconnecting later needs only the secret: the member's email is kept.
  expect(
    (await w.as('member', 'PUT', `${A}/connections/${P}/credentials`, { body: { values: { apiToken: canary('member') } } })).status,
  ).toBe(200)
  // The connection's own field is not a member's to change.
  const moved = await w.as('member', 'PUT', `${A}/connections/${P}/credentials`, {
    body: { values: { apiToken: canary('member'), baseUrl: 'https://elsewhere.example' } },
  })
  expect(moved.status).toBe(403)
  expect(moved.body.error.code).toBe('forbidden')
})
