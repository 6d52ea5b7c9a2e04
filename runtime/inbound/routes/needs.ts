import { Hono } from 'hono'
import type { Needs } from '../../../schemas/types/api.ts'
import type { Catalogue } from '../../core/catalogue/index.ts'
import { isUsable } from '../../core/connections/index.ts'
import type { ConnectionService } from '../../core/lifecycle/index.ts'
import { SwitchboardError } from '../../errors.ts'
import { appOf, type Policy, type RouteEnv } from '../access/index.ts'

/**
 * `GET /api/apps/:appId/needs?connector=<id>`: whether the app has a connection to a connector that the
 * signed-in user can use now (shared with credentials, or personal with their own), and if
 * not, where to complete it: the connect page of the existing connection, or the designer's page that
 * adds one.
 *
 * @example
 * // { connectorId: 'github', connected: false, connectUrl: 'http://localhost:8787/#/apps/default/connections/new?connector=github' }
 * app.route('/api/apps/:appId/needs', needsRoutes({ policy, catalogue, connections, publicUrl }))
 */
export function needsRoutes(deps: { policy: Policy; catalogue: Catalogue; connections: ConnectionService; publicUrl: string }) {
  return new Hono<RouteEnv>().get('/', deps.policy({ role: 'member', what: 'check which connections the app has' }), async (c) => {
    const appId = appOf(c).id
    const connectorId = c.req.query('connector')
    if (!connectorId) throw new SwitchboardError(400, 'connector_required', 'Say which connector the app needs: ?connector=<id>.')
    const { connector } = await deps.catalogue.get(connectorId)
    const mine = (await deps.connections.list(appId, { userId: c.get('user').id })).filter((v) => v.connectorId === connector.id)
    // A tested connection first; typed credentials not tested yet are usable too.
    const usable = mine.find((v) => v.status === 'connected') ?? mine.find((v) => isUsable(v.status))
    if (usable) return c.json<Needs>({ connectorId: connector.id, connected: true, connectionId: usable.id })
    const existing = mine[0]
    if (existing?.connectUrl)
      return c.json<Needs>({ connectorId: connector.id, connected: false, connectionId: existing.id, connectUrl: existing.connectUrl })
    const connectUrl = `${deps.publicUrl}/#/apps/${encodeURIComponent(appId)}/connections/new?connector=${encodeURIComponent(connector.id)}`
    return c.json<Needs>({ connectorId: connector.id, connected: false, connectUrl })
  })
}
