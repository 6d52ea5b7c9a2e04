import { Hono } from 'hono'
import type { SetMember } from '../../../schemas/types/api.ts'
import type { AuditLog } from '../audit/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRecord } from '../../types.ts'
import { requireUser, type AuthVariables } from '../callers/index.ts'
import { requireApp } from './apps.ts'
import { idParam, readBody } from './body.ts'

/**
 * `PUT/DELETE /api/apps/:appId/members/:userId`: add a user to an app or change their role, and remove
 * them. An app always keeps an admin. The role needed (app admin) is checked in `runtime/access`.
 *
 * @example
 * app.route('/api/apps/:appId/members', memberRoutes({ store, audit }))
 */
export function memberRoutes(deps: { store: Store; audit: AuditLog }) {
  const { store } = deps
  const lastAdmin = (app: AppRecord) => new SwitchboardError(409, 'last_admin', `App "${app.name}" would have no admin left. Make someone else an admin first.`)

  return new Hono<{ Variables: AuthVariables }>()
    .put('/:userId', async (c) => {
      const appId = (await requireApp(store, idParam(c, 'appId', 'app'))).id
      const user = await requireUser(store, idParam(c, 'userId', 'user'))
      const { role } = await readBody<SetMember>(c, 'SetMember')
      const app = await store.update<AppRecord>('apps', appId, (current) => {
        if (!current) return current
        const members = current.members.filter((m) => m.userId !== user.id)
        if (role !== 'admin' && !members.some((m) => m.role === 'admin')) throw lastAdmin(current)
        return { ...current, members: [...members, { userId: user.id, role }] }
      })
      await deps.audit.record(appId, { userId: c.get('user').id, event: 'member.set', details: { member: user.id, role } })
      return c.json(app)
    })
    .delete('/:userId', async (c) => {
      const appId = (await requireApp(store, idParam(c, 'appId', 'app'))).id
      const userId = idParam(c, 'userId', 'user')
      let found = false
      const app = await store.update<AppRecord>('apps', appId, (current) => {
        if (!current) return current
        const members = current.members.filter((m) => m.userId !== userId)
        found = members.length !== current.members.length
        if (found && !members.some((m) => m.role === 'admin')) throw lastAdmin(current)
        return found ? { ...current, members } : current
      })
      if (!found) throw new SwitchboardError(404, 'member_not_found', `User "${userId}" is not a member of this app.`)
      await deps.audit.record(appId, { userId: c.get('user').id, event: 'member.removed', details: { member: userId } })
      return c.json(app)
    })
}
