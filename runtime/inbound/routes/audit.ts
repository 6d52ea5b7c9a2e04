import { Hono } from 'hono'
import type { AuditLog } from '../audit/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AuthVariables } from '../callers/index.ts'
import { requireApp } from './apps.ts'
import { idParam } from './body.ts'

/**
 * `GET /api/apps/:appId/audit[?connection=<id>][&limit=50][&before=<seq>]`: the app's audit trail, newest
 * first, a page at a time (`next` is the `before` of the following page). App admins only (see
 * `runtime/access`).
 *
 * @example
 * app.route('/api/apps/:appId/audit', auditRoutes({ store, audit }))
 */
export function auditRoutes(deps: { store: Store; audit: AuditLog }) {
  return new Hono<{ Variables: AuthVariables }>().get('/', async (c) => {
    const appId = (await requireApp(deps.store, idParam(c, 'appId', 'app'))).id
    const number = (name: string) => {
      const raw = c.req.query(name)
      if (raw === undefined) return undefined
      if (!/^[1-9]\d{0,8}$/.test(raw)) throw new SwitchboardError(400, 'invalid_query', `?${name} must be a positive whole number.`)
      return Number(raw)
    }
    const connectionId = c.req.query('connection')
    const limit = number('limit')
    const before = number('before')
    const page = await deps.audit.list(appId, { ...(connectionId ? { connectionId } : {}), ...(limit ? { limit } : {}), ...(before ? { before } : {}) })
    return c.json({ ...page, capacity: deps.audit.limit })
  })
}
