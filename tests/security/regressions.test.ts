/**
 * Regression tests for smaller holes: bodies nested deep enough to overflow the stack, a test URL aimed
 * at another origin, a stale last test after unauthorize, draft tests by people in no app, an app-id
 * existence oracle, line separators and too-short values in secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIN_SECRET_LENGTH } from '../../runtime/core/connections/index.ts'
import { type ApiResponse, type CallOptions, createHarness, type Harness, startUpstream, type Upstream } from '../runtime/harness.ts'

const connections = '/api/apps/default/connections'
const TOKEN = 'regress-token-7c1e0a'

let h: Harness
let upstream: Upstream
/** Tokens of people: a member of `default`, and someone signed in who is in no app. */
const tokens = { member: '', loner: '' }
const ids = { member: '', loner: '' }

/** A bearer connector on the loopback upstream, with a test that names the account. */
const lab = (origin: string) => ({
  id: 'regress-lab',
  name: 'Regression lab',
  baseUrl: origin,
  auth: [{ type: 'bearer', id: 'token', fields: [{ key: 'token', label: 'API key', type: 'secret', required: true }], token: '{{token}}' }],
  test: { method: 'GET', path: '/me', label: '{{body.login}}' },
  actions: [
    {
      key: 'echo',
      name: 'Echo',
      method: 'POST',
      path: '/echo',
      input: { type: 'object', properties: { data: { type: 'object' } } },
      body: { data: '{{input.data}}' },
    },
  ],
})

beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream(() => ({ body: { login: 'octocat' } }))
  const must = async (res: Promise<ApiResponse>, status: number) => {
    const r = await res
    if (r.status !== status) throw new Error(`setup: expected ${status}, got ${r.status} ${r.text}`)
    return r.body
  }
  await must(h.call('POST', '/api/connectors', { body: lab(upstream.origin) }), 201)
  for (const who of ['member', 'loner'] as const) {
    const user = await must(h.call('POST', '/api/users', { body: { name: who, email: `${who}@example.com` } }), 201)
    ids[who] = user.id
    tokens[who] = (await must(h.call('POST', `/api/users/${user.id}/tokens`, { body: { name: `${who} token` } }), 201)).token
    await h.call('GET', '/api/me', { token: tokens[who] })
  }
  await must(h.call('PUT', `/api/apps/default/members/${ids.member}`, { body: { role: 'member' } }), 200)
  await h.settle()
})

afterAll(async () => {
  await h.close()
  await upstream.close()
})

/**
 * What the store holds, without the audit trail and the run history when asked: both record refused action
 * runs too (with the sequence numbers they take).
 */
async function stored(withAudit: boolean): Promise<unknown> {
  await h.settle()
  const data = JSON.parse(await h.storeText())
  if (!withAudit) {
    delete data.collections.audit
    delete data.collections.runs
    for (const id of Object.keys(data.collections.meta ?? {})) if (id.startsWith('sequence:')) delete data.collections.meta[id]
  }
  return data
}

/** Calls the API and checks the refusal, and that nothing stored changed. */
async function refused(
  method: string,
  path: string,
  options: CallOptions,
  status: number,
  code: string,
  { audited = false } = {},
): Promise<ApiResponse> {
  const before = await stored(!audited)
  const res = await h.call(method, path, options)
  expect(res.status, res.text.slice(0, 400)).toBe(status)
  expect(res.body.error.code).toBe(code)
  expect(await stored(!audited), 'the store is unchanged').toEqual(before)
  return res
}

async function connection(
  name: string,
  connectorId = 'regress-lab',
  values: Record<string, string> = { token: TOKEN },
  sharing: 'shared' | 'personal' = 'shared',
): Promise<string> {
  const res = await h.call('POST', connections, { body: { connectorId, name, values, sharing } })
  expect(res.status, res.text).toBe(201)
  return res.body.id
}

describe('bodies nested too deeply', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

  it('action inputs nested 5,000 deep: 400 body_too_deep saying the limit, nothing stored, the runtime fine', async () => {
    const id = await connection('deep inputs')
    const seen = upstream.requests.length
    const raw = `{"inputs":{"data":${nested(5000)}}}`
    const res = await refused(
      'POST',
      `${connections}/${id}/actions/echo`,
      { raw, headers: { 'content-type': 'application/json' } },
      400,
      'body_too_deep',
      { audited: true },
    )
    expect(res.body.error.message).toMatch(/at most 128 levels/)
    expect(res.body.error.message).toContain('inputs')
    expect(upstream.requests.length).toBe(seen)
    // The attempt is in the audit trail as a failed run, with its code.
    const audit = (await h.call('GET', '/api/apps/default/audit')).body
    expect(JSON.stringify(audit)).toContain('body_too_deep')
    expect((await h.call('GET', '/api/health')).status).toBe(200)
    // A body within the limit still runs.
    const ok = await h.call('POST', `${connections}/${id}/actions/echo`, { body: { inputs: { data: JSON.parse(nested(20)) } } })
    expect(ok.status, ok.text).toBe(200)
  })

  it.each([
    ['POST', connections],
    ['POST', '/api/connectors/validate'],
    ['POST', '/api/connectors/test'],
    ['POST', '/api/apps'],
  ])('%s %s refuses the same way', async (method, path) => {
    await refused(method, path, { raw: `[${nested(100_000)}]`, headers: { 'content-type': 'application/json' } }, 400, 'body_too_deep')
  })
})

describe('a test URL on another origin than the base URL', () => {
  const base = () => `${upstream.origin}/v1`
  let id: string

  beforeAll(async () => {
    id = await connection('generic', 'generic-bearer', { baseUrl: base(), testUrl: `${base()}/me`, token: TOKEN })
  })

  it('PATCH of the test URL is refused at once, naming the field', async () => {
    const res = await refused(
      'PATCH',
      `${connections}/${id}`,
      { body: { values: { testUrl: 'https://collector.example/me' } } },
      400,
      'test_url_other_origin',
    )
    expect(res.body.error.message).toContain('Test URL')
    expect(res.body.error.message).toContain(upstream.origin)
    expect(res.body.error.details.errors).toEqual([expect.objectContaining({ path: '/values/testUrl' })])
  })

  it('PATCH of the base URL that leaves the test URL behind is refused too', async () => {
    await refused(
      'PATCH',
      `${connections}/${id}`,
      { body: { values: { baseUrl: 'https://elsewhere.example/v1' } } },
      400,
      'test_url_other_origin',
    )
    await refused('PATCH', `${connections}/${id}`, { body: { baseUrl: 'https://elsewhere.example/v1' } }, 400, 'test_url_other_origin')
  })

  it('connecting again with an off-origin test URL is refused, and the secret is not echoed', async () => {
    const res = await refused(
      'PUT',
      `${connections}/${id}/credentials`,
      { body: { values: { testUrl: 'https://collector.example/me', token: TOKEN } } },
      400,
      'test_url_other_origin',
    )
    expect(res.text).not.toContain(TOKEN)
  })

  it('both moved together, or the test URL moved within the origin, is accepted', async () => {
    const res = await h.call('PATCH', `${connections}/${id}`, { body: { values: { testUrl: `${upstream.origin}/v2/whoami` } } })
    expect(res.status, res.text).toBe(200)
    expect(res.body.fields.testUrl).toBe(`${upstream.origin}/v2/whoami`)
  })
})

describe('unauthorize', () => {
  it('a shared connection forgets the last test and the account the dropped credentials had', async () => {
    const id = await connection('shared unauthorize')
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body).toMatchObject({ ok: true, label: 'octocat' })
    expect((await h.call('GET', `${connections}/${id}`)).body).toMatchObject({ accountLabel: 'octocat', lastTest: { ok: true } })
    const res = await h.call('DELETE', `${connections}/${id}/credentials`)
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('not_connected')
    expect(res.body.lastTest).toBeUndefined()
    expect(res.body.accountLabel).toBeUndefined()
    expect((await h.call('GET', `${connections}/${id}`)).body.lastTest).toBeUndefined()
  })

  it('a personal connection: the member who unauthorizes sees no last test of theirs', async () => {
    const id = await connection('personal unauthorize', 'regress-lab', {}, 'personal')
    const put = await h.call('PUT', `${connections}/${id}/credentials`, { token: tokens.member, body: { values: { token: TOKEN } } })
    expect(put.status, put.text).toBe(200)
    expect((await h.call('POST', `${connections}/${id}/test`, { token: tokens.member })).body.ok).toBe(true)
    expect((await h.call('GET', `${connections}/${id}`, { token: tokens.member })).body.lastTest).toMatchObject({ ok: true })
    const res = await h.call('DELETE', `${connections}/${id}/credentials`, { token: tokens.member })
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('not_connected')
    expect(res.body.lastTest).toBeUndefined()
    expect(res.body.accountLabel).toBeUndefined()
  })
})

describe('draft tests reach upstream hosts', () => {
  const draft = () => ({ connector: lab(upstream.origin), values: { token: TOKEN } })

  it('a signed-in user in no app is refused before any request leaves', async () => {
    const seen = upstream.requests.length
    const res = await refused('POST', '/api/connectors/test', { token: tokens.loner, body: draft() }, 403, 'forbidden')
    expect(res.body.error.message).toMatch(/role in an app/)
    expect(upstream.requests.length).toBe(seen)
  })

  it('a member of some app, and the owner, may test drafts', async () => {
    for (const token of [tokens.member, h.token]) {
      const res = await h.call('POST', '/api/connectors/test', { token, body: draft() })
      expect(res.status, res.text).toBe(200)
      expect(res.body.ok).toBe(true)
    }
  })
})

describe('creating apps', () => {
  it('someone who cannot see an app cannot learn that its id exists', async () => {
    const taken = await h.call('POST', '/api/apps', { token: tokens.loner, body: { id: 'default', name: 'Probe' } })
    const free = await h.call('POST', '/api/apps', { token: tokens.loner, body: { id: 'surely-free-id', name: 'Probe' } })
    expect(taken.status).toBe(403)
    // Alike but for the request id, which every answer has its own of.
    const alike = (res: typeof taken) => ({ status: res.status, body: { error: { ...res.body.error, requestId: undefined } } })
    expect(alike(free)).toEqual(alike(taken))
    expect((await h.call('GET', '/api/apps/surely-free-id')).status).toBe(404)
  })

  it('without an id anyone may create an app, with a generated id; the owner may choose one', async () => {
    const generated = await h.call('POST', '/api/apps', { token: tokens.loner, body: { name: 'Mine' } })
    expect(generated.status, generated.text).toBe(201)
    expect(generated.body.id).toMatch(/^app_/)
    expect((await h.call('POST', '/api/apps', { body: { id: 'chosen', name: 'Chosen' } })).status).toBe(201)
    expect((await h.call('POST', '/api/apps', { body: { id: 'chosen', name: 'Again' } })).body.error.code).toBe('app_exists')
  })
})

describe('secret values', () => {
  it.each([
    ['NEL (U+0085)', '\u0085'],
    ['LINE SEPARATOR (U+2028)', '\u2028'],
    ['PARAGRAPH SEPARATOR (U+2029)', '\u2029'],
    ['a C1 control (U+009B)', '\u009b'],
  ])('%s in a secret is refused like a line break', async (_, char) => {
    const value = `regress-${char}-token`
    const res = await refused(
      'POST',
      connections,
      { body: { connectorId: 'regress-lab', name: `sep ${char.charCodeAt(0)}`, values: { token: value } } },
      400,
      'invalid_values',
    )
    expect(res.body.error.message).toMatch(/line break or control character/)
    expect(res.text).not.toContain(value)
  })

  it('a separator in a plain value that goes into a header is refused too', async () => {
    const res = await refused(
      'POST',
      connections,
      {
        body: {
          connectorId: 'zendesk',
          name: 'plain sep',
          values: { subdomain: 'acme', email: 'ops@acme.test\u2028X-Evil: 1', apiToken: TOKEN },
        },
      },
      400,
      'invalid_values',
    )
    expect(res.body.error.details.errors.map((e: { path: string }) => e.path)).toEqual(['/values/email'])
  })

  it(`a secret shorter than ${MIN_SECRET_LENGTH} characters is refused when entered, with a message that says why`, async () => {
    expect(MIN_SECRET_LENGTH).toBe(8)
    const short = 'X'.repeat(MIN_SECRET_LENGTH - 1)
    const create = await refused(
      'POST',
      connections,
      { body: { connectorId: 'regress-lab', name: 'short', values: { token: short } } },
      400,
      'invalid_values',
    )
    expect(create.body.error.details.errors).toEqual([expect.objectContaining({ path: '/values/token' })])
    expect(create.body.error.message).toContain('API key is too short: secrets must be at least 8 characters')
    expect(create.body.error.message).toContain("Freshdesk's `X` belongs in the connector")

    const id = await connection('reconnect short')
    await refused('PUT', `${connections}/${id}/credentials`, { body: { values: { token: 'x' } } }, 400, 'invalid_values')
    await refused(
      'POST',
      '/api/connectors/test',
      { body: { connector: lab(upstream.origin), values: { token: 'abc' } } },
      400,
      'invalid_values',
    )
    // Counted in characters, not bytes or UTF-16 units: 7 emoji are 7 characters.
    await refused(
      'POST',
      connections,
      { body: { connectorId: 'regress-lab', name: 'emoji', values: { token: '🔑'.repeat(7) } } },
      400,
      'invalid_values',
    )
    expect(
      (await h.call('POST', connections, { body: { connectorId: 'regress-lab', name: 'eight', values: { token: 'X'.repeat(8) } } })).status,
    ).toBe(201)
  })

  it('an empty optional secret stays allowed', async () => {
    const res = await h.call('POST', connections, {
      body: { connectorId: 'datadog', name: 'no app key', values: { site: 'datadoghq.eu', apiKey: 'd'.repeat(32), applicationKey: '' } },
    })
    expect(res.status, res.text).toBe(201)
    expect(res.body.secrets.applicationKey).toEqual({ hasValue: false })
  })
})
