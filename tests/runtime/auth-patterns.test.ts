/**
 * Every non-OAuth2 auth method of the built-in catalogue, end to end: a connection whose base URL points at
 * a loopback upstream, every field filled with a distinct marker, a test run, and the exact headers and
 * query the upstream received. Expectations are rendered here from the definitions; the real-world shapes
 * that matter most are also written out by hand below, so a definition that drifts is caught too.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthMethod, Connector, Field } from '../../schemas/types/connector.ts'
import { basicOf, builtIns, createHarness, type Harness, type SeenRequest, startUpstream, type Upstream } from './harness.ts'

const catalogue = await builtIns()
const connections = '/api/apps/default/connections'

let h: Harness
let upstream: Upstream

beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream()
})

afterAll(async () => {
  await h.close()
  await upstream.close()
})

const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const alnum = () => `MK${hex(5)}`

/** Marker values for the field patterns of the catalogue; a new pattern must be added here. */
const BY_PATTERN: Record<string, () => string> = {
  '^pat[A-Za-z0-9]+\\.[A-Za-z0-9]+$': () => `pat${alnum()}.${alnum()}`,
  '^[0-9a-f]{32}$': () => hex(16),
  '^[0-9a-f]{40}$': () => hex(20),
  '^[a-z0-9][a-z0-9-]*$': () => `mk-${hex(4)}`,
  '^[A-Za-z0-9]+$': alnum,
  '^(github_pat_|ghp_)[A-Za-z0-9_]+$': () => `ghp_${alnum()}`,
  '^pat-[a-z0-9]+-[0-9a-f-]+$': () => `pat-na1-${hex(4)}-${hex(4)}`,
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$': () =>
    `${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`,
  '^lin_api_[A-Za-z0-9]+$': () => `lin_api_${alnum()}`,
  '^[a-z]+[0-9]+$': () => `mk${parseInt(hex(2), 16)}`,
  '^[0-9a-f]{32}-[a-z]+[0-9]+$': () => `${hex(16)}-us${parseInt(hex(1), 16)}`,
  '^(ntn_|secret_)[A-Za-z0-9]+$': () => `ntn_${alnum()}`,
  '^SG\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$': () => `SG.${alnum()}.${alnum()}`,
  '^xox[bp]-[A-Za-z0-9-]+$': () => `xoxb-${hex(4)}-${alnum()}`,
  '^(sk|rk)_(test|live)_[A-Za-z0-9]+$': () => `rk_test_${alnum()}`,
  '^(AKIA|ASIA)[A-Z0-9]{16}$': () => `AKIA${hex(8).toUpperCase()}`,
  '^[A-Za-z0-9]{16,128}$': () => `MK${hex(10)}`,
  '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$': () => `mk${hex(4)}`,
  '^[0-9]{1,5}$': () => String(1024 + parseInt(hex(1), 16)),
  '^-----BEGIN [A-Z ]+-----[\\s\\S]+-----END [A-Z ]+-----\\s*$': () => `-----BEGIN CERTIFICATE-----MK${hex(8)}-----END CERTIFICATE-----`,
  '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$': () => `mk${hex(3)}.tableau.test`,
  '^[A-Za-z0-9_-]*$': () => `mk_${hex(3)}`,
}

/** A distinct value for a field that its pattern accepts; URL fields point at the upstream. */
function markerFor(connector: Connector, field: Field, origin: string): string {
  if (field.type === 'select') return field.options!.at(-1)!.value as string
  if (field.type === 'url') return field.key === 'testUrl' ? `${origin}/base/me` : `${origin}/base`
  if (!field.pattern) return `mk-${connector.id}-${field.key}-${hex(3)}`
  const make = BY_PATTERN[field.pattern]
  if (!make) throw new Error(`No marker for the pattern ${field.pattern} of ${connector.id}.${field.key}: add one to BY_PATTERN.`)
  const value = make()
  if (!new RegExp(field.pattern, 'u').test(value)) throw new Error(`The marker "${value}" does not match ${field.pattern}`)
  return value
}

/** `{{key}}` replaced by the value; undefined when a placeholder has no value (the placement is dropped). */
function render(template: string, values: Record<string, string>, encode = (v: string) => v): string | undefined {
  let complete = true
  const out = template.replace(/\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g, (_, key: string) => {
    const value = values[key]
    if (value === undefined || value === '') complete = false
    return encode(value ?? '')
  })
  return complete ? out : undefined
}

function fieldsOf(connector: Connector, method: AuthMethod): Field[] {
  return [...(connector.fields ?? []), ...(method.fields ?? [])]
}

/** What the upstream must receive for this method: credential and static headers, and query parameters. */
function expectedRequest(connector: Connector, method: AuthMethod, values: Record<string, string>) {
  const headers: Record<string, string> = {}
  const query: Array<[string, string]> = []
  for (const [name, template] of Object.entries(connector.headers ?? {})) headers[name.toLowerCase()] = render(template!, values)!
  for (const [name, template] of Object.entries(connector.test?.headers ?? {})) headers[name.toLowerCase()] = render(template!, values)!
  for (const [name, template] of Object.entries(connector.test?.query ?? {})) query.push([name, render(template!, values)!])
  switch (method.type) {
    case 'basic':
      {
        const pair = `${render(method.username, values)}:${render(method.password, values)}`
        headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`
      }
      break
    case 'bearer':
      headers.authorization = `Bearer ${render(method.token, values)}`
      break
    case 'apiKey':
      for (const placement of method.placements) {
        const value = render(placement.value, values)
        if (value === undefined) continue
        if (placement.in === 'header') headers[placement.name.toLowerCase()] = value
        else query.push([placement.name, value])
      }
      break
    default:
      throw new Error(`not a typed-credential method: ${method.type}`)
  }
  return { headers, query }
}

/** A body that passes the test's rules and fills its label, and the label it gives. */
function answerFor(connector: Connector): { body: Record<string, unknown>; label?: string } {
  const body: Record<string, unknown> = {}
  const set = (path: string[], value: unknown) => {
    let at = body
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>
    at[path.at(-1)!] = value
  }
  for (const rule of connector.test?.bodyRules ?? []) {
    const path = rule.pointer.split('/').slice(1)
    set(path, rule.equals !== undefined ? rule.equals : rule.exists === false ? undefined : `present-${path.join('.')}`)
  }
  const template = connector.test?.label
  if (!template) return { body }
  const label = template.replace(/\{\{\s*body\.([\w.]+)\s*\}\}/g, (_, path: string) => {
    set(path.split('.'), `L-${path}`)
    return `L-${path}`
  })
  return { body, label: label.trim() }
}

/** Headers any request carries (transport, or the client's defaults when the connector sets none). */
const TRANSPORT = new Set(['host', 'connection', 'accept-encoding', 'accept-language', 'sec-fetch-mode', 'content-length'])

function assertExactRequest(seen: SeenRequest, expected: ReturnType<typeof expectedRequest>, connector: Connector) {
  for (const [name, value] of Object.entries(expected.headers)) expect(seen.headers[name], `header ${name}`).toBe(value)
  for (const [name, value] of Object.entries(seen.headers)) {
    if (TRANSPORT.has(name) || name in expected.headers) continue
    if (name === 'accept' && value === '*/*') continue
    if (name === 'user-agent' && value === 'Switchboard') continue
    // With a JSON body, the client also says it accepts JSON unless the connector chose otherwise.
    if ((name === 'content-type' || (name === 'accept' && value === 'application/json')) && connector.test?.body !== undefined) continue
    expect.fail(`the upstream got a header nobody asked for: ${name}: ${String(value)}`)
  }
  const sorted = (entries: Array<[string, string]>) => entries.map(([k, v]) => `${k}=${v}`).sort()
  expect(sorted([...seen.query]), 'query parameters').toEqual(sorted(expected.query))
}

interface Case {
  connector: Connector
  method: AuthMethod
}

const cases: Case[] = []
for (const connector of catalogue.values()) {
  // OAuth2, sessions and JWTs hold tokens the runtime obtains: their own suites test them against their providers
  // (the built-in JWT connector in tests/auth/builtin-standins.test.ts).
  for (const method of connector.auth)
    if (method.type !== 'oauth2' && method.type !== 'session' && method.type !== 'jwt') cases.push({ connector, method })
}

// Signing and certificate types send values no test can predict (signatures, timestamps, a TLS handshake): the
// built-ins using them are tested against stand-ins that verify them (tests/auth/signing-builtins.test.ts).
const SIGNING = new Set(['awsSigV4', 'hmac', 'oauth1', 'mtls'])
cases.splice(0, cases.length, ...cases.filter((c) => !SIGNING.has(c.method.type)))

describe('every typed-credential auth method of the built-in catalogue', () => {
  it('covers the catalogue', () => {
    const ids = new Set(cases.map((c) => c.connector.id))
    for (const id of [
      'github',
      'zendesk',
      'freshdesk',
      'trello',
      'datadog',
      'linear',
      'notion',
      'pagerduty',
      'slack',
      'generic-basic',
      'generic-api-key',
      'generic-bearer',
    ]) {
      expect(ids.has(id), id).toBe(true)
    }
    // Only OAuth2: nothing to type in, tested by the OAuth2 suite.
    expect(ids.has('google-tasks')).toBe(false)
  })

  it.each(cases.map((c) => [`${c.connector.id} / ${c.method.id} (${c.method.type})`, c] as const))(
    '%s sends exactly what the definition says',
    async (_, { connector, method }) => {
      const values: Record<string, string> = {}
      for (const field of fieldsOf(connector, method)) values[field.key] = markerFor(connector, field, upstream.origin)
      expect(new Set(Object.values(values)).size, 'distinct markers').toBe(Object.keys(values).length)
      const generic = connector.baseUrl.trim().replace(/\s/g, '') === '{{baseUrl}}'
      const answer = answerFor(connector)
      upstream.answer(() => ({ status: connector.test?.successStatus?.[0] ?? 200, body: answer.body }))

      const created = await h.call('POST', connections, {
        body: {
          connectorId: connector.id,
          authMethod: method.id,
          name: `${connector.id} ${method.id}`,
          values,
          ...(generic ? {} : { baseUrl: upstream.origin }),
        },
      })
      expect(created.status, created.text).toBe(201)
      // Typed credentials: usable, but nothing has checked them until the test below.
      expect(created.body.status).toBe('untested')
      for (const field of fieldsOf(connector, method)) {
        if (field.type === 'secret') {
          expect(created.body.secrets[field.key]).toEqual({ hasValue: true })
          expect(created.text).not.toContain(values[field.key])
        } else expect(created.body.fields[field.key]).toBe(values[field.key])
      }
      expect(created.body.baseUrl).toBe(generic ? `${upstream.origin}/base` : upstream.origin)

      const before = upstream.requests.length
      const test = await h.call('POST', `${connections}/${created.body.id}/test`)
      expect(test.body.diagnosis).toBeDefined()
      expect(test.body.ok, test.body.diagnosis).toBe(true)
      if (answer.label) expect(test.body.label).toBe(answer.label)
      expect(upstream.requests.length).toBe(before + 1)
      expect((await h.call('GET', `${connections}/${created.body.id}`)).body.status).toBe('connected')

      const seen = upstream.last()
      expect(seen.method).toBe(connector.test?.method ?? 'GET')
      expect(seen.path).toBe(generic ? '/base/me' : connector.test?.path)
      if (connector.test?.body !== undefined) {
        expect(JSON.parse(seen.body)).toEqual(connector.test.body)
        expect(seen.headers['content-type']).toBe('application/json')
      }
      assertExactRequest(seen, expectedRequest(connector, method, values), connector)
      for (const field of fieldsOf(connector, method)) {
        if (field.type === 'secret') expect(test.text).not.toContain(values[field.key])
      }
      expect((await h.call('DELETE', `${connections}/${created.body.id}`)).status).toBe(204)
    },
  )

  const templated = [...catalogue.values()].filter((c) => /\{\{/.test(c.baseUrl) && !/^\{\{\s*baseUrl\s*\}\}$/.test(c.baseUrl))
  it.each(templated.map((c) => [c.id, c] as const))('%s renders its templated base URL from the fields', async (_, connector) => {
    const method = connector.auth.find((m) => m.type !== 'oauth2') ?? connector.auth[0]!
    const values: Record<string, string> = {}
    for (const field of fieldsOf(connector, method))
      if (field.type !== 'secret') values[field.key] = markerFor(connector, field, upstream.origin)
    const res = await h.call('POST', connections, {
      body: { connectorId: connector.id, authMethod: method.id, name: `${connector.id} template`, values },
    })
    expect(res.status, res.text).toBe(201)
    expect(res.body.baseUrlOverride).toBe(false)
    expect(res.body.baseUrl).toBe(render(connector.baseUrl, values, encodeURIComponent)!.replace(/\/$/, ''))
    await h.call('DELETE', `${connections}/${res.body.id}`)
  })
})

/** Creates a connection against the upstream, tests it, and returns what the upstream saw. */
async function run(
  connectorId: string,
  values: Record<string, string>,
  options: { authMethod?: string; baseUrl?: string | null } = {},
): Promise<{ seen: SeenRequest; test: any; view: any }> {
  const baseUrl = options.baseUrl === undefined ? upstream.origin : options.baseUrl
  const created = await h.call('POST', connections, {
    body: {
      connectorId,
      name: `${connectorId} ${hex(3)}`,
      values,
      ...(options.authMethod ? { authMethod: options.authMethod } : {}),
      ...(baseUrl === null ? {} : { baseUrl }),
    },
  })
  expect(created.status, created.text).toBe(201)
  const before = upstream.requests.length
  const test = await h.call('POST', `${connections}/${created.body.id}/test`)
  expect(upstream.requests.length, 'one request upstream').toBe(before + 1)
  const view = (await h.call('GET', `${connections}/${created.body.id}`)).body
  await h.call('DELETE', `${connections}/${created.body.id}`)
  return { seen: upstream.last(), test: test.body, view }
}

describe('the real-world patterns, written out', () => {
  it('GitHub: bearer plus Accept, X-GitHub-Api-Version and User-Agent; label from login', async () => {
    upstream.answer(() => ({ body: { login: 'octocat' } }))
    const { seen, test } = await run('github', { token: 'ghp_RealWorld123' })
    expect(seen.path).toBe('/user')
    expect(seen.headers.authorization).toBe('Bearer ghp_RealWorld123')
    expect(seen.headers.accept).toBe('application/vnd.github+json')
    expect(seen.headers['x-github-api-version']).toBe('2022-11-28')
    expect(seen.headers['user-agent']).toBe('Switchboard')
    expect(test).toMatchObject({ ok: true, label: 'octocat' })
  })

  it('Zendesk: Basic with {{email}}/token, and the subdomain renders the host', async () => {
    upstream.answer(() => ({ body: { user: { id: 7, name: 'Ann', email: 'ann@acme.test' } } }))
    const { seen, test } = await run('zendesk', { subdomain: 'acme', email: 'ann@acme.test', apiToken: 'zdTok3n-live' })
    expect(seen.path).toBe('/api/v2/users/me.json')
    expect(basicOf(seen.headers.authorization)).toEqual({ username: 'ann@acme.test/token', password: 'zdTok3n-live' })
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('ann@acme.test/token:zdTok3n-live').toString('base64')}`)
    expect(test.label).toBe('Ann (ann@acme.test)')
    const templated = await h.call('POST', connections, {
      body: { connectorId: 'zendesk', name: 'Zendesk template', values: { subdomain: 'acme-support', email: 'ann@acme.test' } },
    })
    expect(templated.body.baseUrl).toBe('https://acme-support.zendesk.com')
    await h.call('DELETE', `${connections}/${templated.body.id}`)
  })

  it('Zendesk: a subdomain that tries to move the host is refused', async () => {
    const res = await h.call('POST', connections, {
      body: { connectorId: 'zendesk', name: 'Zendesk evil', values: { subdomain: 'evil.test/x', email: 'ann@acme.test' } },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.details.errors[0].path).toBe('/values/subdomain')
  })

  it('Freshdesk: Basic with the key as username and the constant password X', async () => {
    upstream.answer(() => ({ body: { contact: { name: 'Fred', email: 'fred@acme.test' } } }))
    const { seen, test } = await run('freshdesk', { domain: 'acme', apiKey: 'FreshKey42' })
    expect(seen.path).toBe('/api/v2/agents/me')
    expect(basicOf(seen.headers.authorization)).toEqual({ username: 'FreshKey42', password: 'X' })
    expect(test.label).toBe('Fred (fred@acme.test)')
    // The constant password is not a secret and stays readable; the key is masked.
    expect(test.request.headers.Authorization).toBe('Basic ••••')
  })

  it("Trello: key and token as two query parameters, next to the test's own", async () => {
    upstream.answer(() => ({ body: { fullName: 'Tess', username: 'tess' } }))
    const key = 'a'.repeat(32)
    const { seen, test } = await run('trello', { apiKey: key, token: 'ATTAtrelloToken' })
    expect(seen.path).toBe('/1/members/me')
    expect(Object.fromEntries(seen.query)).toEqual({ fields: 'fullName,username', key, token: 'ATTAtrelloToken' })
    expect(seen.headers.authorization).toBeUndefined()
    expect(test.label).toBe('Tess (@tess)')
    expect(test.request.url).not.toContain(key)
    expect(test.request.url).not.toContain('ATTAtrelloToken')
  })

  it('Datadog: two headers, and an empty optional application key sends no header at all', async () => {
    upstream.answer(() => ({ body: { valid: true } }))
    const api = 'b'.repeat(32)
    const app = 'c'.repeat(40)
    const both = await run('datadog', { site: 'datadoghq.eu', apiKey: api, applicationKey: app })
    expect(both.seen.path).toBe('/api/v1/validate')
    expect(both.seen.headers['dd-api-key']).toBe(api)
    expect(both.seen.headers['dd-application-key']).toBe(app)

    const only = await run('datadog', { site: 'datadoghq.eu', apiKey: api })
    expect(only.seen.headers['dd-api-key']).toBe(api)
    expect(only.seen.headers).not.toHaveProperty('dd-application-key')
    expect(only.test.ok).toBe(true)

    const empty = await run('datadog', { site: 'datadoghq.eu', apiKey: api, applicationKey: '' })
    expect(empty.seen.headers).not.toHaveProperty('dd-application-key')

    const site = await h.call('POST', connections, {
      body: { connectorId: 'datadog', name: 'Datadog EU', values: { site: 'datadoghq.eu' } },
    })
    expect(site.body.baseUrl).toBe('https://api.datadoghq.eu')
    const byDefault = await h.call('POST', connections, { body: { connectorId: 'datadog', name: 'Datadog US' } })
    expect(byDefault.body.baseUrl).toBe('https://api.datadoghq.com')
  })

  it('Datadog: the body rule /valid must be true', async () => {
    upstream.answer(() => ({ body: { valid: false } }))
    const { test } = await run('datadog', { apiKey: 'd'.repeat(32) })
    expect(test).toMatchObject({ ok: false, problem: 'body_rule_failed' })
  })

  it('Linear: the key is the whole Authorization header, no prefix; POST /graphql', async () => {
    upstream.answer(() => ({ body: { data: { viewer: { id: 'u1', name: 'Lin' } } } }))
    const { seen, test } = await run('linear', { apiKey: 'lin_api_Abc123' })
    expect(seen.method).toBe('POST')
    expect(seen.path).toBe('/graphql')
    expect(seen.headers.authorization).toBe('lin_api_Abc123')
    expect(JSON.parse(seen.body)).toEqual({ query: '{ viewer { id name email } }' })
    expect(test).toMatchObject({ ok: true, label: 'Lin' })
  })

  it('Notion: bearer plus Notion-Version', async () => {
    upstream.answer(() => ({ body: { bot: { workspace_name: 'Acme Docs' } } }))
    const { seen, test } = await run('notion', { token: 'ntn_Secret1' })
    expect(seen.path).toBe('/v1/users/me')
    expect(seen.headers.authorization).toBe('Bearer ntn_Secret1')
    expect(seen.headers['notion-version']).toBe('2022-06-28')
    expect(test.label).toBe('Acme Docs')
  })

  it('PagerDuty: Authorization: Token token=<key>, and its Accept header', async () => {
    upstream.answer(() => ({ body: { abilities: ['teams'] } }))
    const { seen, test } = await run('pagerduty', { apiKey: 'pdKey+/=' })
    expect(seen.path).toBe('/abilities')
    expect(seen.headers.authorization).toBe('Token token=pdKey+/=')
    expect(seen.headers.accept).toBe('application/vnd.pagerduty+json;version=2')
    expect(test.ok).toBe(true)
    expect(test.request.headers.Authorization).toBe('Token ••••')
  })

  it('Slack: a 200 with "ok": false fails the body rule, quoting it and the API\'s error', async () => {
    upstream.answer(() => ({ body: { ok: false, error: 'invalid_auth' } }))
    const { seen, test, view } = await run('slack', { token: 'xoxb-1-bad' }, { authMethod: 'botToken' })
    expect(seen.method).toBe('POST')
    expect(seen.path).toBe('/api/auth.test')
    expect(seen.headers.authorization).toBe('Bearer xoxb-1-bad')
    expect(test).toMatchObject({ ok: false, status: 200, problem: 'body_rule_failed' })
    expect(test.diagnosis).toContain('"/ok" equals true')
    expect(test.diagnosis).toContain('invalid_auth')
    expect(view.status).toBe('error')

    upstream.answer(() => ({ body: { ok: true, team: 'Acme', user: 'bot' } }))
    const good = await run('slack', { token: 'xoxb-1-good' }, { authMethod: 'botToken' })
    expect(good.test).toMatchObject({ ok: true, label: 'Acme / bot' })
  })

  it('generic Basic, API key and Bearer: base URL and test URL come from the fields', async () => {
    upstream.answer(() => ({ status: 204 }))
    const base = `${upstream.origin}/v1`
    const basic = await run(
      'generic-basic',
      { baseUrl: base, testUrl: `${base}/whoami`, username: 'gen-user', password: 'gen-pass:with:colons' },
      { baseUrl: null },
    )
    expect(basic.seen.path).toBe('/v1/whoami')
    expect(basicOf(basic.seen.headers.authorization)).toEqual({ username: 'gen-user', password: 'gen-pass:with:colons' })
    expect(basic.test).toMatchObject({ ok: true, status: 204 })
    expect(basic.view.baseUrl).toBe(base)

    const header = await run(
      'generic-api-key',
      { baseUrl: base, testUrl: `${base}/me`, apiKey: 'gen-key-0001' },
      { authMethod: 'header', baseUrl: null },
    )
    expect(header.seen.headers['x-api-key']).toBe('gen-key-0001')
    const raw = await run(
      'generic-api-key',
      { baseUrl: base, testUrl: `${base}/me`, authorization: 'ApiKey gen-raw' },
      { authMethod: 'authorizationHeader', baseUrl: null },
    )
    expect(raw.seen.headers.authorization).toBe('ApiKey gen-raw')
    const query = await run(
      'generic-api-key',
      { baseUrl: base, testUrl: `${base}/me?page=1`, queryApiKey: 'gen q&key' },
      { authMethod: 'query', baseUrl: null },
    )
    expect(Object.fromEntries(query.seen.query)).toEqual({ page: '1', api_key: 'gen q&key' })

    const bearer = await run('generic-bearer', { baseUrl: base, testUrl: `${base}/me`, token: 'gen-bearer' }, { baseUrl: null })
    expect(bearer.seen.headers.authorization).toBe('Bearer gen-bearer')
  })

  it('generic connectors: a test URL on another origin than the base URL gets no credentials', async () => {
    const other = await startUpstream()
    try {
      const before = upstream.requests.length
      const values = { baseUrl: `${upstream.origin}/v1`, testUrl: `${other.origin}/me`, token: 'gen-cross' }
      // Refused when saved, naming the field…
      const created = await h.call('POST', connections, { body: { connectorId: 'generic-bearer', name: 'cross origin', values } })
      expect(created.status).toBe(400)
      expect(created.body.error.code).toBe('test_url_other_origin')
      expect(created.body.error.details.errors.map((e: { path: string }) => e.path)).toEqual(['/values/testUrl'])
      expect(created.text).not.toContain('gen-cross')
      // …and when sent, for a draft whose values are never saved.
      const { connector } = (await h.call('GET', '/api/connectors/generic-bearer')).body
      const test = await h.call('POST', '/api/connectors/test', { body: { connector, values } })
      expect(test.body).toMatchObject({ ok: false, problem: 'invalid_url' })
      expect(other.requests).toHaveLength(0)
      expect(upstream.requests.length).toBe(before)
    } finally {
      await other.close()
    }
  })
})
