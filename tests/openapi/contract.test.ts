/**
 * The published API description: `/api/openapi.json` is valid OpenAPI 3.1, every route the runtime serves is
 * in it (or is one of the few that are not part of the API, with the reason), and what the runtime answers
 * along a representative flow — successes and refusals — validates against the document for its status.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import SwaggerParser from '@apidevtools/swagger-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { declaredRoutes } from '../../runtime/inbound/access/index.ts'
import { HOW_TO_DESCRIBE, NOT_IN_API, undescribedRoutes } from '../../runtime/inbound/openapi/index.ts'
import { type CallOptions, createHarness, type Harness, PUBLIC_URL, repo, startUpstream, type Upstream } from '../runtime/harness.ts'
import { createContract, type Exchange } from './contract.ts'

let h: Harness
let upstream: Upstream
let doc: any
const exchanges: Exchange[] = []

/** A call through the harness, recorded for the contract check. */
async function call(method: string, path: string, options: CallOptions = {}) {
  const res = await h.call(method, path, options)
  exchanges.push({ method, path, status: res.status, contentType: res.headers.get('content-type') ?? '', body: res.body })
  return res
}

beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream((req) =>
    req.path === '/me' ? { body: { login: 'octo' } } : req.path === '/items' ? { status: 201, body: { id: 7 } } : { body: { ok: true } },
  )
  const res = await call('GET', '/api/openapi.json', { token: null })
  expect(res.status).toBe(200)
  doc = res.body
})
afterAll(async () => {
  await upstream?.close()
  await h?.close()
})

describe('the document', () => {
  it('is valid OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0')
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy()
  })

  it('describes every route the runtime serves', () => {
    const missing = undescribedRoutes(declaredRoutes(h.app))
    expect(missing, `These routes are served but not described: ${missing.join(', ')}.\n${HOW_TO_DESCRIBE}\n`).toEqual([])
  })

  it('lists as not part of the API only routes the runtime registers', () => {
    const registered = new Set(declaredRoutes(h.app).map((r) => `${r.method} ${r.path}`))
    // The designer's routes depend on whether it is built: `GET /` says how to build it, or its files are served.
    const designer = ['GET /', 'GET /*', 'GET /assets/*']
    expect(Object.keys(NOT_IN_API).filter((key) => !registered.has(key) && !designer.includes(key))).toEqual([])
  })

  it('says who may call each operation, and documents the error envelope for every other status', () => {
    for (const item of Object.values<Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>(doc.paths)) {
      for (const op of Object.values(item)) {
        expect(op.responses.default).toBeDefined()
        if (op.security) expect(op.security).toEqual([])
      }
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerToken', 'sessionCookie'])
  })

  it('every route group is in the README', async () => {
    const readme = await readFile(join(repo, 'README.md'), 'utf8')
    const listed = new Set(readme.split('\n').flatMap((line) => (line.startsWith('| ') ? line.split('|')[1]!.trim().split(', ') : [])))
    const missing = doc.tags.map((t: { name: string }) => t.name).filter((name: string) => !listed.has(name))
    expect(missing, 'Add these groups to the route-group table under README.md\'s "Using the API" (| group | routes |)').toEqual([])
  })

  it('is the same document on every request, and is served as JSON with the API security headers', async () => {
    const again = await h.app.request('/api/openapi.json')
    expect(await again.json()).toEqual(doc)
    expect(again.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(again.headers.get('x-frame-options')).toBe('DENY')
  })
})

describe('answers along a representative flow validate against the document', () => {
  it('catalogue, people, apps, connections, actions, proxy, runs, audit, refusals', async () => {
    const ok = async (method: string, path: string, status: number, options: CallOptions = {}) => {
      const res = await call(method, path, options)
      expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).toBe(status)
      return res.body
    }
    await ok('GET', '/api/health', 200, { token: null })
    await ok('GET', '/api/me', 200)
    await ok('GET', '/api/connectors?q=git', 200)
    await ok('GET', '/api/connectors/github', 200)
    await ok('GET', '/api/connectors/github/oauth-app', 200)
    await ok('POST', '/api/connectors/validate', 200, { body: { id: 'x' } })
    const secretField = { key: 'token', label: 'Token', type: 'secret', required: true }
    const connector = {
      id: 'contract-lab',
      name: 'Contract lab',
      baseUrl: upstream.origin,
      auth: [{ type: 'bearer', id: 'token', fields: [secretField], token: '{{token}}' }],
      test: { method: 'GET', path: '/me', successStatus: [200], label: '{{body.login}}' },
      actions: [
        {
          key: 'createItem',
          name: 'Create an item',
          method: 'POST',
          path: '/items',
          input: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
          body: { name: '{{input.name}}' },
        },
      ],
    }
    await ok('POST', '/api/connectors', 201, { body: connector })
    await ok('PUT', '/api/connectors/contract-lab', 200, { body: { ...connector, description: 'For the contract test.' } })
    await ok('POST', '/api/connectors/test', 200, { body: { connector, values: { token: 'contract-token-1' } } })
    const spec = { openapi: '3.0.3', info: { title: 'Mini', version: '1' }, servers: [{ url: 'https://api.mini.test' }], paths: {} }
    await ok('POST', '/api/connectors/import/openapi', 200, { body: { spec: JSON.stringify(spec) } })

    const user = await ok('POST', '/api/users', 201, { body: { name: 'Contract user' } })
    await ok('GET', '/api/users', 200)
    const issued = await ok('POST', `/api/users/${user.id}/tokens`, 201, { body: { name: 'ci' } })
    await ok('GET', `/api/users/${user.id}/tokens`, 200)
    await ok('DELETE', `/api/tokens/${issued.id}`, 200)

    await ok('GET', '/api/apps', 200)
    await ok('POST', '/api/apps', 201, { body: { id: 'contract', name: 'Contract' } })
    await ok('GET', '/api/apps/contract', 200)
    await ok('PATCH', '/api/apps/contract', 200, { body: { name: 'Contract app' } })
    await ok('PUT', `/api/apps/contract/members/${user.id}`, 200, { body: { role: 'member' } })
    await ok('DELETE', `/api/apps/contract/members/${user.id}`, 200)

    const base = '/api/apps/default/connections'
    const made = await ok('POST', base, 201, { body: { connectorId: 'contract-lab', name: 'Lab', sharing: 'shared' } })
    await ok('GET', `/api/apps/default/needs?connector=contract-lab`, 200)
    // No credentials yet: the typed refusal with its link.
    const required = await ok('POST', `${base}/${made.id}/actions/createItem`, 428, { body: { inputs: { name: 'x' } } })
    expect(required.error.code).toBe('connection_required')
    await ok('PUT', `${base}/${made.id}/credentials`, 200, { body: { authMethod: 'token', values: { token: 'contract-token-1' } } })
    await ok('GET', base, 200)
    await ok('GET', `${base}/${made.id}`, 200)
    await ok('PATCH', `${base}/${made.id}`, 200, { body: { name: 'Lab (renamed)' } })
    await ok('POST', `${base}/${made.id}/test`, 200)
    await ok('POST', `${base}/${made.id}/actions/createItem`, 200, { body: { inputs: { name: 'widget' } } })
    await ok('GET', `${base}/${made.id}/proxy/me`, 200)
    await ok('GET', `${base}/${made.id}/runs`, 200)
    const clone = await ok('POST', `${base}/${made.id}/clone`, 201, { body: { name: 'Lab (copy)' } })
    await ok('DELETE', `${base}/${made.id}/credentials`, 200)
    await ok('DELETE', `${base}/${clone.id}`, 204)
    await ok('GET', '/api/apps/default/audit?limit=5', 200)

    // Refusals and mistakes: each is the error envelope.
    await ok('GET', base, 401, { token: null })
    await ok('GET', base, 401, { token: 'not-a-token' })
    await ok('POST', '/api/apps', 400, { body: { name: 42 } })
    await ok('POST', '/api/apps', 415, { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    await ok('GET', `${base}/c_missing`, 404)
    await ok('GET', '/api/no-such-route', 404)
    await ok('GET', '/api/apps/default/needs', 400)
    await ok('GET', '/api/apps/default/audit?limit=zero', 400)

    // Outside /api: the sign-in link and the OAuth callbacks redirect; the reference page is HTML.
    await ok('GET', '/signin?token=abc', 303, { token: null })
    await ok('GET', '/oauth/callback?state=unknown&code=x', 302, { token: null })
    await ok('GET', '/oauth1/callback?state=unknown', 302, { token: null })
    await ok('POST', '/api/session', 200, { token: null, body: { token: h.token }, headers: { origin: 'http://localhost' } })
    await ok('POST', '/api/session/signout', 204, { token: null, headers: { origin: 'http://localhost' } })
    await ok('GET', '/api/docs', 200, { token: null })
    await ok('DELETE', '/api/connectors/contract-lab', 409)
    await ok('DELETE', `${base}/${made.id}`, 204)
    await ok('DELETE', '/api/connectors/contract-lab', 204)

    const contract = createContract(doc)
    const problems = exchanges.flatMap((x) => contract.problems(x))
    expect(problems).toEqual([])
  })

  it('the check itself catches an answer that is not what the document says', () => {
    const contract = createContract(doc)
    const me = { method: 'GET', path: '/api/me', contentType: 'application/json' }
    const real = exchanges.find((x) => x.path === '/api/me' && x.status === 200)!.body
    expect(contract.problems({ ...me, status: 200, body: real })).toEqual([])
    expect(contract.problems({ ...me, status: 200, body: { who: 'owner' } })).not.toEqual([])
    expect(contract.problems({ ...me, status: 201, body: {} })[0]).toMatch(/not documented/)
    expect(contract.problems({ ...me, status: 403, body: { error: { code: 'no_such_code', message: 'x' } } })).not.toEqual([])
  })

  it('the document says where the API is', () => {
    expect(doc.servers).toEqual([{ url: PUBLIC_URL }])
  })
})
