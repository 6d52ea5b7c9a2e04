import { Hono } from 'hono'
import type { Health } from '../../../schemas/types/api.ts'
import type { Policy, RouteEnv } from '../access/index.ts'

/**
 * Liveness, without authentication.
 *
 * @example
 * await app.request('/api/health') // 200 { ok: true }
 */
export function healthRoutes(version: string, policy: Policy) {
  return new Hono<RouteEnv>().get('/', policy({ role: 'public', what: 'check liveness' }), (c) => c.json<Health>({ ok: true, version }))
}
