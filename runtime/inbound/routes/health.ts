import { Hono } from 'hono'

/**
 * Liveness, without authentication.
 *
 * @example
 * await app.request('/api/health') // 200 { ok: true }
 */
export function healthRoutes(version: string) {
  return new Hono().get('/', (c) => c.json({ ok: true, version }))
}
