import type { Context } from 'hono'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRecord, AppRole, UserRecord } from '../../types.ts'
import type { AuthVariables } from '../callers/index.ts'

type Ctx = Context<{ Variables: AuthVariables }>

const RANK: Record<AppRole, number> = { member: 1, admin: 2 }

/**
 * A user's role in an app: the workspace owner is an admin of every app; others have the role their
 * membership gives, or none.
 *
 * @example
 * roleIn(app, user) // 'admin' | 'member' | undefined
 */
export function roleIn(app: Pick<AppRecord, 'members'>, user: Pick<UserRecord, 'id' | 'owner'>): AppRole | undefined {
  if (user.owner) return 'admin'
  return app.members.find((m) => m.userId === user.id)?.role
}

/** The 404 for an app that does not exist, and for one the user is not a member of: both look the same. */
export function appNotFound(appId: string): SwitchboardError {
  return new SwitchboardError(404, 'app_not_found', `There is no app "${appId}". GET /api/apps lists them.`)
}

/**
 * Checks that the signed-in user holds at least `role` in an app. Someone who is not a member gets the
 * same 404 as for an app that does not exist (an app's existence is not revealed); a member short of
 * the role gets 403 `forbidden` saying which role is needed.
 *
 * @example
 * const { app, role } = await requireRole(c, store, 'default', 'admin', 'delete connections')
 */
export async function requireRole(c: Ctx, store: Store, appId: string, needed: AppRole, what = 'do this'): Promise<{ app: AppRecord; role: AppRole }> {
  const app = await store.get<AppRecord>('apps', appId)
  const role = app && roleIn(app, c.get('user'))
  if (!app || !role) throw appNotFound(appId)
  if (RANK[role] < RANK[needed]) throw forbidden(`To ${what} in app "${app.name}" you need the app ${needed} role; you are a ${role}. Ask an app admin.`, { required: needed, role })
  return { app, role }
}

/**
 * Checks that the signed-in user is the workspace owner.
 *
 * @example
 * requireOwner(c, 'create custom connectors')
 */
export function requireOwner(c: Ctx, what: string): void {
  if (!c.get('user').owner) throw forbidden(`Only the workspace owner can ${what}.`, { required: 'owner' })
}

/**
 * Checks that the signed-in user is the owner or holds a role in at least one app.
 *
 * @example
 * await requireSomeRole(c, store, 'test draft connectors')
 */
export async function requireSomeRole(c: Ctx, store: Store, what: string): Promise<void> {
  const user = c.get('user')
  if (user.owner) return
  const apps = await store.list<AppRecord>('apps', (app) => app.members.some((m) => m.userId === user.id))
  if (apps.length === 0) throw forbidden(`To ${what} you need a role in an app (member or admin). Ask an app admin to add you.`, { required: 'member' })
}

/** The one refusal for a missing role. */
export function forbidden(message: string, details: { required: AppRole | 'owner'; role?: AppRole }): SwitchboardError {
  return new SwitchboardError(403, 'forbidden', message, { details })
}
