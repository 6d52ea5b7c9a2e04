/**
 * Each route declares its policy where it is defined. An app with a route that does not fails when it is
 * built; the routes the runtime registers are the routes the API contract lists; a route and its policy
 * share what the policy read, so a connection test reads the app once.
 */
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../runtime/app.ts'
import { assertEveryRouteDeclared, createPolicy, declaredRoutes } from '../../runtime/inbound/access/index.ts'
import { createAuditLog } from '../../runtime/inbound/audit/index.ts'
import { HOW_TO_DESCRIBE, undescribedRoutes } from '../../runtime/inbound/openapi/index.ts'
import { createLogger } from '../../runtime/platform/log/index.ts'
import type { Store } from '../../runtime/platform/store/index.ts'
import { apiSchema } from '../../schemas/validate/index.ts'
import { createHarness, type Harness, PUBLIC_URL, startUpstream } from '../runtime/harness.ts'
import { canary, labConnector } from './fixture.ts'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const policyFor = (h: Harness) =>
  createPolicy({ store: h.store, catalogue: h.catalogue, audit: createAuditLog({ store: h.store }), clock: () => new Date() })

describe('the start-up check', () => {
  it('refuses an app with a route that declares no policy, naming it', () => {
    const app = new Hono().get('/api/ping', (c) => c.text('pong'))
    expect(() => assertEveryRouteDeclared(app)).toThrow(/GET \/api\/ping/)
  })

  it('refuses a handler registered before its policy: it would run unchecked', () => {
    const policy = policyFor(h)
    const app = new Hono().post('/api/x', (c) => c.text('x')).post('/api/x', policy({ role: 'owner', what: 'x' }))
    expect(() => assertEveryRouteDeclared(app)).toThrow(/POST \/api\/x/)
  })

  it('finds policies of sub-apps mounted with app.route', () => {
    const policy = policyFor(h)
    const app = new Hono().route(
      '/api/things',
      new Hono().get('/:id', policy({ role: 'signed-in', what: 'read things' }), (c) => c.text('thing')),
    )
    expect(() => assertEveryRouteDeclared(app)).not.toThrow()
    expect(declaredRoutes(app)).toMatchObject([{ method: 'GET', path: '/api/things/:id', policy: { role: 'signed-in' } }])
  })

  it('refuses a policy that cannot mean anything, when it is declared', () => {
    const policy = policyFor(h)
    expect(() => policy({ role: 'owner', shared: 'admin', what: 'x' })).toThrow(/shared/)
    expect(() => policy({ role: 'admin', orSelf: 'userId', what: 'x' })).toThrow(/orSelf/)
    expect(() => policy({ role: 'signed-in', what: 'x', audit: 'member.set' })).toThrow(/audit/)
    expect(() => policy({ role: 'admin', what: ' ' })).toThrow(/what/)
  })
})

describe('the routes and the contract', () => {
  const routes = () =>
    declaredRoutes(h.app).filter(
      (r) => (r.path.startsWith('/api/') && !r.path.endsWith('/*')) || r.path.endsWith('/proxy/*') || r.path === '/metrics',
    )
  const contract = Object.keys((apiSchema as unknown as { $defs: { Routes: { properties: object } } }).$defs.Routes.properties)

  it('every route the runtime registers is in api.schema.json, and every route there is registered', () => {
    const missing = undescribedRoutes(declaredRoutes(h.app))
    expect(missing, `Served but not described: ${missing.join(', ')}.\n${HOW_TO_DESCRIBE}\n`).toEqual([])
    const registered = new Set(declaredRoutes(h.app).map((r) => `${r.method} ${r.path}`))
    expect(
      contract.filter((r) => !registered.has(r)),
      'registered nowhere',
    ).toEqual([])
  })

  it('every API route but health, the session and the API reference needs a sign-in (metrics ask for their own token)', () => {
    const open = routes()
      .filter((r) => r.policy.role === 'public')
      .map((r) => `${r.method} ${r.path}`)
    expect(open.sort()).toEqual([
      'GET /api/docs',
      'GET /api/docs/assets/:file',
      'GET /api/health',
      'GET /api/openapi.json',
      'GET /api/session',
      'GET /metrics',
      'POST /api/session',
      'POST /api/session/signout',
    ])
  })

  it('only app routes record audit entries, and every connection change declares what it records', () => {
    const audited = routes().filter((r) => r.policy.audit !== undefined)
    expect(audited.every((r) => r.path.startsWith('/api/apps/:appId/'))).toBe(true)
    for (const path of ['', '/:id', '/:id/credentials', '/:id/clone', '/:id/test', '/:id/actions/:actionKey']) {
      const writes = routes().filter((r) => r.path === `/api/apps/:appId/connections${path}` && r.method !== 'GET')
      expect(writes.length, path).toBeGreaterThan(0)
      for (const route of writes) expect(route.policy.audit, `${route.method} ${route.path}`).toBeDefined()
    }
  })
})

describe('what the policy read, the route uses', () => {
  it('a connection test reads the app once, and the connection once in the inbound layer', async () => {
    const upstream = await startUpstream()
    expect((await h.call('POST', '/api/connectors', { body: labConnector(upstream.origin) })).status).toBe(201)
    const created = await h.call('POST', '/api/apps/default/connections', {
      body: { connectorId: 'acl-lab', name: 'Counted', values: { baseUrl: upstream.origin, token: canary('owner') } },
    })
    expect(created.status, created.text).toBe(201)
    // Tested once before counting: a first passing test also tells the health schedule (`connection.connected`),
    // whose read is the runtime's, not the route's.
    expect((await h.call('POST', `/api/apps/default/connections/${created.body.id}/test`)).body.ok).toBe(true)
    const reads: string[] = []
    // The real store, with its reads noted: nothing it answers is changed.
    const counted = new Proxy(h.store, {
      get(target, key, receiver) {
        if (key === 'get') return (collection: string, id: string) => (reads.push(collection), target.get(collection as never, id))
        const value = Reflect.get(target, key, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      },
    }) as Store
    const app = createApp({
      store: counted,
      catalogue: h.catalogue,
      keyRing: h.keyRing,
      http: h.http,
      publicUrl: PUBLIC_URL,
      logger: createLogger({ level: 'silent' }),
    })
    const res = await app.request(`/api/apps/default/connections/${created.body.id}/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}` },
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true)
    await upstream.close()
    expect(reads.filter((c) => c === 'apps')).toHaveLength(1)
    // One read by the route (for the audit entry), one by the connection-use core that runs the test.
    expect(reads.filter((c) => c === 'connections')).toHaveLength(2)
  })
})
