import { SwitchboardError } from '../../errors.ts'
import type { AppRecord, AppRole, UserRecord } from '../../types.ts'

const RANK: Record<AppRole, number> = { member: 1, admin: 2 }

/**
 * Whether a role is at least another.
 *
 * @example
 * atLeast('admin', 'member') // true
 */
export function atLeast(role: AppRole, needed: AppRole): boolean {
  return RANK[role] >= RANK[needed]
}

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

/**
 * The 404 for an app that does not exist, and for one the user is not a member of: both look the same.
 *
 * @example
 * throw appNotFound('default')
 */
export function appNotFound(appId: string): SwitchboardError {
  return new SwitchboardError(404, 'app_not_found', `There is no app "${appId}". GET /api/apps lists them.`)
}

/**
 * The one refusal for a missing role: 403 `forbidden`, the role required in the details.
 *
 * @example
 * throw forbidden('Only the workspace owner can invite users.', { required: 'owner' })
 */
export function forbidden(message: string, details: { required: AppRole | 'owner'; role?: AppRole }): SwitchboardError {
  return new SwitchboardError(403, 'forbidden', message, { details })
}
