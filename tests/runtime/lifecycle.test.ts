import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basicOf, createHarness, type Harness, type SeenRequest, startUpstream, type Upstream } from './harness.ts'

const GOOD = 'zd-token-good-4f1c'
const WRONG = 'zd-token-wrong-77aa'

let h: Harness
let upstream: Upstream
let other: Upstream
/** The email the upstream currently expects in the Basic username (`{{email}}/token`). */
let expectedEmail = 'agent@acme.test'

/** A Zendesk-like API: 200 with the user for the right Basic credentials, 401 otherwise. */
function zendesk(request: SeenRequest) {
  const basic = basicOf(request.headers.authorization)
  if (basic?.username !== `${expectedEmail}/token` || basic.password !== GOOD) {
    return { status: 401, body: { error: "Couldn't authenticate you" } }
  }
  return { body: { user: { id: 4211, name: 'Agent Smith', email: expectedEmail } } }
}

beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream(zendesk)
  other = await startUpstream(zendesk)
})

afterAll(async () => {
  await h.close()
  await upstream.close()
  await other.close()
})

const connections = '/api/apps/default/connections'

describe('a connection over HTTP, from adding to deleting', () => {
  let id: string
  let secondId: string

  it('adds a connection with credentials (201): untested until a test; whether secrets have a value, never the value', async () => {
    const res = await h.call('POST', connections, {
      body: {
        connectorId: 'zendesk',
        authMethod: 'apiToken',
        name: 'Zendesk',
        values: { subdomain: 'acme', email: expectedEmail, apiToken: GOOD },
        baseUrl: upstream.origin,
      },
    })
    expect(res.status).toBe(201)
    id = res.body.id
    expect(res.body).toMatchObject({
      appId: 'default',
      connectorId: 'zendesk',
      name: 'Zendesk',
      authMethod: 'apiToken',
      sharing: 'shared',
      status: 'untested',
      fields: { subdomain: 'acme', email: expectedEmail },
      secrets: { apiToken: { hasValue: true } },
      baseUrl: upstream.origin,
      baseUrlOverride: true,
    })
    expect(res.body.connectUrl).toBeUndefined()
    expect(res.text).not.toContain(GOOD)
  })

  it('lists and reads it with status, never the secret', async () => {
    const list = await h.call('GET', connections)
    expect(list.status).toBe(200)
    expect(list.body.connections.map((c: { id: string }) => c.id)).toEqual([id])
    const one = await h.call('GET', `${connections}/${id}`)
    expect(one.status).toBe(200)
    expect(one.body).toMatchObject({ id, status: 'untested', secrets: { apiToken: { hasValue: true } } })
    expect(one.body.fields).not.toHaveProperty('apiToken')
    for (const res of [list, one]) expect(res.text).not.toContain(GOOD)
  })

  it('tests it: the upstream gets the exact credentials, and the result is recorded on the connection', async () => {
    const res = await h.call('POST', `${connections}/${id}/test`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ ok: true, status: 200, label: 'Agent Smith (agent@acme.test)' })
    const seen = upstream.last()
    expect(seen.method).toBe('GET')
    expect(seen.path).toBe('/api/v2/users/me.json')
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from(`agent@acme.test/token:${GOOD}`).toString('base64')}`)
    expect(res.body.request.headers.Authorization).toBe('Basic ••••')

    const after = (await h.call('GET', `${connections}/${id}`)).body
    expect(after.status).toBe('connected')
    expect(after.accountLabel).toBe('Agent Smith (agent@acme.test)')
    expect(after.lastTest).toMatchObject({ ok: true, status: 200 })
    expect(Date.parse(after.lastTest.at)).not.toBeNaN()
  })

  it('renames it', async () => {
    const res = await h.call('PATCH', `${connections}/${id}`, { body: { name: '  Zendesk (support)  ' } })
    expect(res.status).toBe(200)
    expect(res.body.name).toBe('Zendesk (support)')
    expect(res.body.status).toBe('connected')
  })

  it('refuses a second connection of the same connector with a taken name (409), whatever the case', async () => {
    const second = await h.call('POST', connections, {
      body: { connectorId: 'zendesk', name: 'Zendesk (sales)', values: { subdomain: 'acme', email: 'sales@acme.test' } },
    })
    expect(second.status).toBe(201)
    secondId = second.body.id
    expect(second.body.status).toBe('not_connected')
    expect(second.body.secrets.apiToken.hasValue).toBe(false)
    expect(second.body.connectUrl).toBe(`http://localhost:8787/#/apps/default/connections/${secondId}/connect`)

    const rename = await h.call('PATCH', `${connections}/${secondId}`, { body: { name: 'zendesk (SUPPORT)' } })
    expect(rename.status).toBe(409)
    expect(rename.body.error.code).toBe('connection_name_taken')
    const add = await h.call('POST', connections, {
      body: { connectorId: 'zendesk', name: 'Zendesk (support)', values: { subdomain: 'acme', email: 'x@acme.test' } },
    })
    expect(add.status).toBe(409)
    expect(add.body.error.code).toBe('connection_name_taken')
    // The same name on another connector is fine.
    const github = await h.call('POST', connections, { body: { connectorId: 'github', name: 'Zendesk (support)' } })
    expect(github.status).toBe(201)
    expect((await h.call('DELETE', `${connections}/${github.body.id}`)).status).toBe(204)
  })

  it('changes a non-secret field, and the next test uses the new value', async () => {
    const res = await h.call('PATCH', `${connections}/${id}`, { body: { values: { email: 'lead@acme.test' } } })
    expect(res.status).toBe(200)
    expect(res.body.fields).toEqual({ subdomain: 'acme', email: 'lead@acme.test' })
    expect(res.body.secrets.apiToken.hasValue).toBe(true)
    expectedEmail = 'lead@acme.test'
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body.ok).toBe(true)
    expect(basicOf(upstream.last().headers.authorization)).toEqual({ username: 'lead@acme.test/token', password: GOOD })
  })

  it('refuses to change a secret through PATCH (it needs PUT …/credentials)', async () => {
    const res = await h.call('PATCH', `${connections}/${id}`, { body: { values: { apiToken: WRONG } } })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_values')
    expect(res.body.error.details.errors[0].path).toBe('/values/apiToken')
    expect(res.text).not.toContain(WRONG)
  })

  it('keeps the credentials when the base URL stays on the same host, and requests go under its path', async () => {
    const res = await h.call('PATCH', `${connections}/${id}`, { body: { baseUrl: `${upstream.origin}/zd` } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'connected', baseUrl: `${upstream.origin}/zd`, secrets: { apiToken: { hasValue: true } } })
    expect((await h.call('POST', `${connections}/${id}/test`)).body.ok).toBe(true)
    expect(upstream.last().path).toBe('/zd/api/v2/users/me.json')
  })

  it('keeps the credentials on a host the connector declares (*.zendesk.com), and goes back to the template with null', async () => {
    const eu = await h.call('PATCH', `${connections}/${id}`, { body: { baseUrl: 'https://acme-eu.zendesk.com' } })
    expect(eu.body).toMatchObject({
      status: 'connected',
      baseUrl: 'https://acme-eu.zendesk.com',
      baseUrlOverride: true,
      secrets: { apiToken: { hasValue: true } },
    })
    const back = await h.call('PATCH', `${connections}/${id}`, { body: { baseUrl: null } })
    expect(back.body).toMatchObject({
      status: 'connected',
      baseUrl: 'https://acme.zendesk.com',
      baseUrlOverride: false,
      secrets: { apiToken: { hasValue: true } },
    })
  })

  it("drops the credentials when the base URL moves to a host outside the connector's hosts", async () => {
    const res = await h.call('PATCH', `${connections}/${id}`, { body: { baseUrl: other.origin } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'not_connected', baseUrl: other.origin, secrets: { apiToken: { hasValue: false } } })
    expect(res.body.accountLabel).toBeUndefined()
    expect(await h.store.find('credentials', 'byConnection', { equals: [id] })).toEqual([])
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body).toMatchObject({ ok: false, problem: 'missing_credentials' })
    expect(other.requests).toHaveLength(0)
  })

  it('reconnects with a wrong key: the test says the credentials were rejected and the status becomes error', async () => {
    const put = await h.call('PUT', `${connections}/${id}/credentials`, { body: { values: { apiToken: WRONG } } })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ status: 'untested', secrets: { apiToken: { hasValue: true } } })
    expect(put.body.lastTest).toBeUndefined()
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body).toMatchObject({ ok: false, status: 401, problem: 'credentials_rejected' })
    expect(test.body.diagnosis).toMatch(/rejected the credentials \(401/)
    expect(basicOf(other.last().headers.authorization)?.password).toBe(WRONG)
    expect(test.text).not.toContain(WRONG)
    const after = (await h.call('GET', `${connections}/${id}`)).body
    expect(after.status).toBe('error')
    expect(after.lastTest).toMatchObject({ ok: false, status: 401, problem: 'credentials_rejected' })
    expect(after.connectUrl).toBeDefined()
  })

  it('reconnects with the right key and tests connected again', async () => {
    await h.call('PUT', `${connections}/${id}/credentials`, { body: { values: { apiToken: GOOD } } })
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body.ok).toBe(true)
    expect((await h.call('GET', `${connections}/${id}`)).body).toMatchObject({
      status: 'connected',
      accountLabel: 'Agent Smith (lead@acme.test)',
    })
  })

  it('refuses credentials with a missing required secret or a field it does not have', async () => {
    const missing = await h.call('PUT', `${connections}/${id}/credentials`, { body: { values: {} } })
    expect(missing.status).toBe(400)
    expect(missing.body.error.details.errors).toContainEqual(expect.objectContaining({ path: '/values/apiToken', keyword: 'required' }))
    const unknown = await h.call('PUT', `${connections}/${id}/credentials`, { body: { values: { apiToken: GOOD, password: 'x' } } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.details.errors).toContainEqual(expect.objectContaining({ path: '/values/password', keyword: 'unknownField' }))
    expect((await h.call('GET', `${connections}/${id}`)).body.status).toBe('connected')
  })

  it('unauthorizes: credentials gone, connection kept', async () => {
    const res = await h.call('DELETE', `${connections}/${id}/credentials`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id, status: 'not_connected', secrets: { apiToken: { hasValue: false } } })
    expect(res.body.accountLabel).toBeUndefined()
    expect((await h.call('GET', `${connections}/${id}`)).status).toBe(200)
    expect(await h.store.find('credentials', 'byConnection', { equals: [id] })).toEqual([])
  })

  it('clones: new name, same connector and settings, no credentials', async () => {
    await h.call('PUT', `${connections}/${id}/credentials`, { body: { values: { apiToken: GOOD } } })
    await h.call('POST', `${connections}/${id}/test`)
    const source = (await h.call('GET', `${connections}/${id}`)).body
    const res = await h.call('POST', `${connections}/${id}/clone`, { body: { name: 'Zendesk (second instance)' } })
    expect(res.status).toBe(201)
    const clone = res.body
    expect(clone.id).not.toBe(id)
    expect(clone).toMatchObject({
      name: 'Zendesk (second instance)',
      connectorId: 'zendesk',
      authMethod: source.authMethod,
      sharing: source.sharing,
      fields: source.fields,
      baseUrl: source.baseUrl,
      baseUrlOverride: true,
      status: 'not_connected',
      secrets: { apiToken: { hasValue: false } },
    })
    expect(clone.accountLabel).toBeUndefined()
    expect(clone.lastTest).toBeUndefined()
    expect(await h.store.find('credentials', 'byConnection', { equals: [clone.id] })).toEqual([])
    expect((await h.call('GET', `${connections}/${id}`)).body.secrets.apiToken.hasValue).toBe(true)

    const taken = await h.call('POST', `${connections}/${id}/clone`, { body: { name: 'zendesk (SALES)' } })
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('connection_name_taken')
    expect((await h.call('DELETE', `${connections}/${clone.id}`)).status).toBe(204)
  })

  it('deletes it (204), and then it is gone (404) with its credentials', async () => {
    const res = await h.call('DELETE', `${connections}/${id}`)
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
    const gone = await h.call('GET', `${connections}/${id}`)
    expect(gone.status).toBe(404)
    expect(gone.body.error.code).toBe('connection_not_found')
    expect((await h.call('DELETE', `${connections}/${id}`)).status).toBe(404)
    expect((await h.call('POST', `${connections}/${id}/test`)).status).toBe(404)
    expect(await h.store.find('credentials', 'byConnection', { equals: [id] })).toEqual([])
    const list = await h.call('GET', connections)
    expect(list.body.connections.map((c: { id: string }) => c.id)).toEqual([secondId])
  })
})

describe('switching the auth method on reconnect', () => {
  it('asks for the plain fields the new method requires (bug: it said "connected" without them)', async () => {
    const cloudId = '1324a887-45db-1bf4-1e99-ef0ff456d421'
    const jira = await h.call('POST', connections, {
      body: { connectorId: 'jira', name: 'Jira', values: { cloudId }, baseUrl: upstream.origin },
    })
    expect(jira.body).toMatchObject({ authMethod: 'oauth', status: 'not_connected' })
    const incomplete = await h.call('PUT', `${connections}/${jira.body.id}/credentials`, {
      body: { authMethod: 'apiToken', values: { apiToken: 'jira-token' } },
    })
    expect(incomplete.status).toBe(400)
    expect(incomplete.body.error.details.errors).toEqual([expect.objectContaining({ path: '/values/email', keyword: 'required' })])
    expect((await h.call('GET', `${connections}/${jira.body.id}`)).body).toMatchObject({ authMethod: 'oauth', status: 'not_connected' })

    const complete = await h.call('PUT', `${connections}/${jira.body.id}/credentials`, {
      body: { authMethod: 'apiToken', values: { email: 'ops@acme.test', apiToken: 'jira-token' } },
    })
    expect(complete.body).toMatchObject({
      authMethod: 'apiToken',
      status: 'untested',
      fields: { cloudId, email: 'ops@acme.test' },
      secrets: { apiToken: { hasValue: true } },
    })
    upstream.answer(() => ({ body: { displayName: 'Ops' } }))
    const test = await h.call('POST', `${connections}/${jira.body.id}/test`)
    expect(test.body).toMatchObject({ ok: true, label: 'Ops' })
    expect(upstream.last().path).toBe('/rest/api/3/myself')
    expect(basicOf(upstream.last().headers.authorization)).toEqual({ username: 'ops@acme.test', password: 'jira-token' })
    // Reconnecting later needs only the secret: the email is kept.
    expect(
      (await h.call('PUT', `${connections}/${jira.body.id}/credentials`, { body: { values: { apiToken: 'jira-token-2' } } })).status,
    ).toBe(200)
    upstream.answer(zendesk)
    await h.call('DELETE', `${connections}/${jira.body.id}`)
  })
})

describe('custom connectors over /api/connectors', () => {
  const acme = (name = 'Acme CRM') => ({
    id: 'acme-crm',
    name,
    baseUrl: upstream.origin,
    auth: [{ type: 'bearer', id: 'token', fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }], token: '{{token}}' }],
    test: { method: 'GET', path: '/me', successStatus: [200], label: '{{body.name}}' },
  })

  it('validates a definition and answers { valid, errors, warnings }', async () => {
    const good = await h.call('POST', '/api/connectors/validate', { body: acme() })
    expect(good.status).toBe(200)
    expect(good.body).toMatchObject({ valid: true, errors: [] })
    expect(Array.isArray(good.body.warnings)).toBe(true)

    const bad = await h.call('POST', '/api/connectors/validate', {
      body: { ...acme(), id: 'Not An Id', auth: [{ type: 'bearer', id: 'token' }] },
    })
    expect(bad.status).toBe(200)
    expect(bad.body.valid).toBe(false)
    expect(Array.isArray(bad.body.warnings)).toBe(true)
    const paths = bad.body.errors.map((e: { path: string }) => e.path)
    expect(paths).toContain('/id')
    expect(paths.some((p: string) => p.startsWith('/auth/0'))).toBe(true)
    for (const e of bad.body.errors)
      expect(e).toEqual({ path: expect.any(String), keyword: expect.any(String), message: expect.any(String) })
  })

  it('creates, reads, lists and updates a custom connector', async () => {
    const created = await h.call('POST', '/api/connectors', { body: acme() })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ builtIn: false, connector: { id: 'acme-crm', name: 'Acme CRM' } })

    const read = await h.call('GET', '/api/connectors/acme-crm')
    expect(read.body).toMatchObject({ builtIn: false, connector: { id: 'acme-crm' } })
    const list = await h.call('GET', '/api/connectors')
    const entry = list.body.connectors.find((c: { id: string }) => c.id === 'acme-crm')
    expect(entry).toMatchObject({ builtIn: false, authTypes: ['bearer'] })
    expect(list.body.connectors.find((c: { id: string }) => c.id === 'github')).toMatchObject({ builtIn: true })

    const again = await h.call('POST', '/api/connectors', { body: acme() })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('connector_exists')

    const updated = await h.call('PUT', '/api/connectors/acme-crm', { body: acme('Acme CRM (EU)') })
    expect(updated.status).toBe(200)
    expect(updated.body.connector.name).toBe('Acme CRM (EU)')
    expect((await h.call('GET', '/api/connectors/acme-crm')).body.connector.name).toBe('Acme CRM (EU)')

    const mismatch = await h.call('PUT', '/api/connectors/acme-crm', { body: { ...acme(), id: 'acme-other' } })
    expect(mismatch.status).toBe(400)
    expect(mismatch.body.error.code).toBe('id_mismatch')
    const invalid = await h.call('PUT', '/api/connectors/acme-crm', { body: { ...acme(), auth: [] } })
    expect(invalid.status).toBe(400)
    expect(invalid.body.error.code).toBe('invalid_connector')
    expect(invalid.body.error.details.errors.length).toBeGreaterThan(0)
    const missing = await h.call('PUT', '/api/connectors/acme-none', { body: { ...acme(), id: 'acme-none' } })
    expect(missing.status).toBe(404)
  })

  it('refuses a custom connector with a built-in id (409 connector_id_reserved), and changes to built-ins', async () => {
    const res = await h.call('POST', '/api/connectors', { body: { ...acme(), id: 'github' } })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('connector_id_reserved')
    expect((await h.call('PUT', '/api/connectors/github', { body: { ...acme(), id: 'github' } })).body.error.code).toBe(
      'connector_read_only',
    )
    expect((await h.call('DELETE', '/api/connectors/github')).body.error.code).toBe('connector_read_only')
    expect((await h.call('GET', '/api/connectors/github')).body.connector.name).toBe('GitHub')
  })

  it('connects through a custom connector, refuses to delete it while in use (409), then deletes it', async () => {
    upstream.answer((request) => (request.headers.authorization === 'Bearer acme-token' ? { body: { name: 'Acme Bot' } } : { status: 401 }))
    const conn = await h.call('POST', connections, { body: { connectorId: 'acme-crm', name: 'Acme', values: { token: 'acme-token' } } })
    expect(conn.status).toBe(201)
    expect((await h.call('POST', `${connections}/${conn.body.id}/test`)).body).toMatchObject({ ok: true, label: 'Acme Bot' })

    const inUse = await h.call('DELETE', '/api/connectors/acme-crm')
    expect(inUse.status).toBe(409)
    expect(inUse.body.error.code).toBe('connector_in_use')
    expect((await h.call('GET', '/api/connectors/acme-crm')).status).toBe(200)

    await h.call('DELETE', `${connections}/${conn.body.id}`)
    const deleted = await h.call('DELETE', '/api/connectors/acme-crm')
    expect(deleted.status).toBe(204)
    const gone = await h.call('GET', '/api/connectors/acme-crm')
    expect(gone.status).toBe(404)
    expect(gone.body.error.code).toBe('connector_not_found')
    expect((await h.call('DELETE', '/api/connectors/acme-crm')).status).toBe(404)
    upstream.answer(zendesk)
  })

  it('tests an unsaved draft with values that are stored nowhere', async () => {
    const secret = 'draft-secret-9d2e61'
    upstream.answer((request) =>
      request.headers.authorization === `Bearer ${secret}` ? { body: { name: 'Draft User' } } : { status: 401 },
    )
    await h.settle()
    const before = await h.storeText()
    const filesBefore = await h.files()
    const res = await h.call('POST', '/api/connectors/test', {
      body: { connector: { ...acme(), id: 'draft-only' }, values: { token: secret } },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ ok: true, status: 200, label: 'Draft User' })
    expect(upstream.last().headers.authorization).toBe(`Bearer ${secret}`)
    expect(res.text).not.toContain(secret)

    const wrong = await h.call('POST', '/api/connectors/test', {
      body: { connector: { ...acme(), id: 'draft-only' }, values: { token: 'draft-wrong-5b' } },
    })
    expect(wrong.body).toMatchObject({ ok: false, problem: 'credentials_rejected' })

    await h.settle()
    expect(await h.storeText()).toBe(before)
    // The backup of an earlier write may still be on its way (a temp file, then the .bak): only the set of
    // lasting files is compared, and none of them, temp files included, may hold the values.
    const lasting = (files: Map<string, Buffer>) => [...files.keys()].filter((name) => !name.endsWith('.tmp')).sort()
    const filesAfter = await h.files()
    expect(lasting(filesAfter)).toEqual(lasting(filesBefore))
    for (const [, content] of filesAfter) expect(content.toString('latin1')).not.toContain(secret)
    expect(h.log.join('\n')).not.toContain(secret)
    expect((await h.call('GET', '/api/connectors/draft-only')).status).toBe(404)
    upstream.answer(zendesk)
  })

  it('refuses an invalid draft with the validation problems', async () => {
    const res = await h.call('POST', '/api/connectors/test', {
      body: { connector: { ...acme(), baseUrl: 'not a url' }, values: { token: 'x' } },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_connector')
    expect(res.body.error.details.errors.some((e: { path: string }) => e.path === '/baseUrl')).toBe(true)
  })
})
