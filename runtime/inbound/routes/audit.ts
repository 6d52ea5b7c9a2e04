import { Hono } from 'hono'
import type { AuditPage } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import { appOf, type Policy, type RouteEnv } from '../access/index.ts'
import type { AuditLog } from '../audit/index.ts'

/**
 * `GET /api/apps/:appId/audit[?connection=<id>][&limit=50][&before=<seq>]`: the app's audit trail, newest
 * first, a page at a time (`next` is the `before` of the following page). App admins only.
 *
 * @example
 * app.route('/api/apps/:appId/audit', auditRoutes({ policy, audit }))
 */
export function auditRoutes(deps: { policy: Policy; audit: AuditLog }) {
  return new Hono<RouteEnv>().get('/', deps.policy({ role: 'admin', what: 'read the audit trail' }), async (c) => {
    const number = (name: string) => {
      const raw = c.req.query(name)
      if (raw === undefined) return undefined
      if (!/^[1-9]\d{0,8}$/.test(raw)) throw new SwitchboardError(400, 'invalid_query', `?${name} must be a positive whole number.`)
      return Number(raw)
    }
    const connectionId = c.req.query('connection')
    const limit = number('limit')
    const before = number('before')
    const page = await deps.audit.list(appOf(c).id, {
      ...(connectionId ? { connectionId } : {}),
      ...(limit ? { limit } : {}),
      ...(before ? { before } : {}),
    })
    return c.json<AuditPage>({ ...page, capacity: deps.audit.limit })
  })
}
