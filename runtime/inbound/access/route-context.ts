import type { Context } from 'hono'
import { type Loaded, loadConnection } from '../../core/connections/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { AppRecord, AppRole } from '../../types.ts'
import type { NewAuditEntry } from '../audit/index.ts'
import type { RouteEnv, RouteState } from './types.ts'

type Ctx = Context<RouteEnv>

function state(c: Ctx): RouteState {
  const found = c.get('route') as RouteState | undefined
  // Every route is registered with a policy (checked when the app is built): this is a wiring mistake.
  if (!found) throw new Error(`${c.req.method} ${c.req.path}: the route has no policy`)
  return found
}

/**
 * The app of an app route (`/api/apps/:appId/…`), as its policy read it.
 *
 * @example
 * const appId = appOf(c).id
 */
export function appOf(c: Ctx): AppRecord {
  const { app } = state(c)
  if (!app) throw new Error(`${c.req.method} ${c.req.path}: appOf() on a route whose policy is not an app role`)
  return app
}

/**
 * The caller's role in the app of an app route.
 *
 * @example
 * if (roleOf(c) !== 'admin') assertOwnCredentialsOnly(loaded, body)
 */
export function roleOf(c: Ctx): AppRole {
  const { role } = state(c)
  if (!role) throw new Error(`${c.req.method} ${c.req.path}: roleOf() on a route whose policy is not an app role`)
  return role
}

/**
 * The connection of `:id` in the route's app, with its connector and auth method: read on first use
 * and kept for the rest of the request; 404 `connection_not_found` when the app has no such connection.
 *
 * @example
 * const { record } = await connectionOf(c)
 */
export function connectionOf(c: Ctx): Promise<Loaded> {
  const current = state(c)
  current.connection ??= loadConnection(current.deps, appOf(c).id, idParam(c, 'id', 'connection'))
  return current.connection
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/**
 * A path parameter that must be an id; anything else (dots, slashes, encoded tricks) is a 404
 * `<what>_not_found`.
 *
 * @example
 * const userId = idParam(c, 'userId', 'user')
 */
export function idParam(c: Context, name: string, what: string): string {
  const value = c.req.param(name)
  if (value === undefined || !ID.test(value)) throw new SwitchboardError(404, `${what}_not_found`, `There is no ${what} with that id.`)
  return value
}

/**
 * Records what the route did in its app's audit trail, as the caller. The event must be one the route's
 * policy declares, so the policy is the list of what a route can record.
 *
 * @example
 * await audited(c, { event: 'connection.deleted', connectionId, connectorId, connectionName, details: { credentialsDropped: 1 } })
 */
export async function audited(c: Ctx, entry: Omit<NewAuditEntry, 'userId'>): Promise<void> {
  const { policy, deps } = state(c)
  const declared = [policy.audit ?? []].flat()
  if (!declared.includes(entry.event)) {
    throw new Error(
      `${c.req.method} ${c.req.path}: records "${entry.event}", which its policy does not declare (${declared.join(', ') || 'none'})`,
    )
  }
  await deps.audit.record(appOf(c).id, { ...entry, userId: c.get('user').id })
}
