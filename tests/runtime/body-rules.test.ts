/**
 * Body rules (`equals`, `notEquals`, `oneOf`, `exists` with `null` as absent, `notNull`, `matches`) and declared
 * diagnoses, through connection tests against loopback APIs that answer failures the way real ones do: Zendesk's
 * anonymous user (200, `id: null`) for a wrong token, Azure DevOps's sign-in page (203, HTML).
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ruleHolds } from '../../runtime/core/requests/index.ts'
import { validateConnector } from '../../schemas/validate/index.ts'
import { basicOf, createHarness, type Harness, marker, repo, startUpstream, type Upstream } from './harness.ts'

let h: Harness
let zendesk: Upstream
const goodToken = marker('ZDTOKEN')
const wrongToken = marker('ZDWRONG')

beforeAll(async () => {
  h = await createHarness()
  // Zendesk answers a request whose Basic credentials it does not accept with 200 and an anonymous user.
  zendesk = await startUpstream((req) => {
    const basic = basicOf(req.headers.authorization)
    const known = basic?.username === 'agent@acme.test/token' && basic.password === goodToken
    return {
      body: known
        ? { user: { id: 3610, name: 'Ada Agent', email: 'agent@acme.test', role: 'admin' } }
        : { user: { id: null, url: null, name: 'Anonymous user', email: 'invalid@example.com', role: 'end-user' } },
    }
  })
  const builtIn = JSON.parse(await readFile(`${repo}/connectors/zendesk.json`, 'utf8')) as Record<string, unknown>
  const standIn: Record<string, unknown> = { ...builtIn, id: 'zendesk-stand-in', baseUrl: zendesk.origin, fields: [] }
  delete standIn.allowedHosts
  delete standIn.$schema
  standIn.auth = (builtIn.auth as Array<{ type: string }>).filter((m) => m.type === 'basic')
  expect((await h.call('POST', '/api/connectors', { body: standIn })).status).toBe(201)
})

afterAll(async () => {
  await zendesk.close()
  await h.close()
})

async function connectAndTest(connectorId: string, values: Record<string, string>) {
  const created = await h.call('POST', '/api/apps/default/connections', { body: { connectorId, name: marker('conn'), values } })
  expect(created.status, created.text).toBe(201)
  return (await h.call('POST', `/api/apps/default/connections/${created.body.id}/test`)).body
}

describe('the built-in Zendesk connector', () => {
  it('connects with the right email and token, naming the agent', async () => {
    const result = await connectAndTest('zendesk-stand-in', { email: 'agent@acme.test', apiToken: goodToken })
    expect(result).toMatchObject({ ok: true, label: 'Ada Agent (agent@acme.test)' })
  })

  it('never connects with a wrong token, though Zendesk answers 200 (an anonymous user whose id is null)', async () => {
    const result = await connectAndTest('zendesk-stand-in', { email: 'agent@acme.test', apiToken: wrongToken })
    expect(result).toMatchObject({ ok: false, status: 200, problem: 'credentials_rejected' })
    expect(result.diagnosis).toContain('anonymous user')
    expect(JSON.stringify(result)).not.toContain(wrongToken)
  })
})

describe('declared diagnoses', () => {
  let devops: Upstream
  const pat = marker('PAT')

  beforeAll(async () => {
    // Azure DevOps answers a wrong personal access token with 203 and its HTML sign-in page.
    devops = await startUpstream((req) => {
      const basic = basicOf(req.headers.authorization)
      if (basic?.password === pat) return { body: { count: 1, value: [{ name: 'Fabrikam' }] } }
      return { status: 203, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html><title>Sign in</title></html>' }
    })
    const connector = {
      id: 'devops-stand-in',
      name: 'Azure DevOps',
      baseUrl: devops.origin,
      auth: [
        {
          type: 'basic',
          id: 'pat',
          fields: [{ key: 'pat', label: 'Personal access token', type: 'secret', required: true }],
          username: '',
          password: '{{pat}}',
        },
      ],
      test: {
        path: '/_apis/projects',
        successStatus: [200, 203],
        diagnoses: [
          {
            status: [203],
            contentType: 'text/html',
            problem: 'credentials_rejected',
            message: 'Azure DevOps showed its sign-in page: the personal access token was not accepted.',
          },
        ],
        bodyRules: [{ pointer: '/count', matches: '^[0-9]+$' }],
        label: '{{body.value.0.name}}',
      },
    }
    const saved = await h.call('POST', '/api/connectors', { body: connector })
    expect(saved.status, saved.text).toBe(201)
  })

  afterAll(() => devops.close())

  it('turn a 203 sign-in page into "credentials rejected", even where 203 counts as success', async () => {
    const wrong = await connectAndTest('devops-stand-in', { pat: marker('WRONGPAT') })
    expect(wrong).toMatchObject({ ok: false, status: 203, problem: 'credentials_rejected' })
    expect(wrong.diagnosis).toBe('Azure DevOps showed its sign-in page: the personal access token was not accepted.')
    const right = await connectAndTest('devops-stand-in', { pat })
    expect(right).toMatchObject({ ok: true, label: 'Fabrikam' })
  })
})

describe('body rules', () => {
  const body = { ok: true, user: { id: null, role: 'admin', seats: 12, name: 'Ada' }, plan: 'pro' }
  it.each([
    [{ pointer: '/user/id', exists: true }, false],
    [{ pointer: '/user/id', exists: false }, true],
    [{ pointer: '/user/id', notNull: true }, false],
    [{ pointer: '/user/role', notNull: true }, true],
    [{ pointer: '/missing', exists: false }, true],
    [{ pointer: '/ok', equals: true }, true],
    [{ pointer: '/ok', notEquals: false }, true],
    [{ pointer: '/user/role', notEquals: 'admin' }, false],
    [{ pointer: '/missing', notEquals: 'x' }, true],
    [{ pointer: '/plan', oneOf: ['pro', 'enterprise'] }, true],
    [{ pointer: '/plan', oneOf: ['free'] }, false],
    [{ pointer: '/user/seats', matches: '^[0-9]+$' }, true],
    [{ pointer: '/user/name', matches: 'd' }, false],
    [{ pointer: '/user/name', matches: 'A.a' }, true],
    [{ pointer: '/user', matches: '.*' }, false],
  ] as const)('%j holds: %s', (rule, holds) => {
    expect(ruleHolds(rule as never, body)).toBe(holds)
  })

  it('refuse a pattern the linear-time engine cannot run, at its place', () => {
    const { errors } = validateConnector({
      id: 'acme',
      name: 'Acme',
      baseUrl: 'https://api.acme.example',
      auth: [{ type: 'none', id: 'public' }],
      test: {
        path: '/me',
        bodyRules: [{ pointer: '/name', matches: '^(a)\\1$' }],
        diagnoses: [{ status: [200], problem: 'credentials_rejected', message: 'Never connects' }],
      },
    })
    expect(errors.map((e) => `${e.path} ${e.keyword}`)).toEqual(['/test/bodyRules/0/matches regexUnsupported'])
  })

  it('warn about a diagnosis that would fail every successful test', () => {
    const { warnings } = validateConnector({
      id: 'acme',
      name: 'Acme',
      baseUrl: 'https://api.acme.example',
      auth: [{ type: 'none', id: 'public' }],
      test: { path: '/me', diagnoses: [{ status: [200], problem: 'credentials_rejected', message: 'Never connects' }] },
    })
    expect(warnings.map((w) => `${w.path} ${w.keyword}`)).toEqual(['/test/diagnoses/0/status diagnosisHidesSuccess'])
  })
})
