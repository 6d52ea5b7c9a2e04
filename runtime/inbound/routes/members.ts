import { Hono } from 'hono'
import type { App, SetMember } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRecord } from '../../types.ts'
import { appOf, audited, idParam, type Policy, type RouteEnv } from '../access/index.ts'
import { requireUser } from '../callers/index.ts'
import { readBody } from './body.ts'

/**
 * `PUT/DELETE /api/apps/:appId/members/:userId`: add a user to an app or change their role, and remove
 * them; app admins only, recorded in the audit trail. An app always keeps an admin.
 *
 * @example
 * app.route('/api/apps/:appId/members', memberRoutes({ policy, store }))
 */
export function memberRoutes(deps: { policy: Policy; store: Store }) {
  const { store, policy } = deps
  const lastAdmin = (app: AppRecord) =>
    new SwitchboardError(409, 'last_admin', `App "${app.name}" would have no admin left. Make someone else an admin first.`)

  return new Hono<RouteEnv>()
    .put('/:userId', policy({ role: 'admin', what: 'add members or change their role', audit: 'member.set' }), async (c) => {
      const user = await requireUser(store, idParam(c, 'userId', 'user'))
      const { role } = await readBody<SetMember>(c, 'SetMember')
      const app = await store.update<AppRecord>('apps', appOf(c).id, (current) => {
        if (!current) return current
        const members = current.members.filter((m) => m.userId !== user.id)
        if (role !== 'admin' && !members.some((m) => m.role === 'admin')) throw lastAdmin(current)
        return { ...current, members: [...members, { userId: user.id, role }] }
      })
      await audited(c, { event: 'member.set', details: { member: user.id, role } })
      return c.json<App>(app!)
    })
    .delete('/:userId', policy({ role: 'admin', what: 'remove members', audit: 'member.removed' }), async (c) => {
      const userId = idParam(c, 'userId', 'user')
      let found = false
      const app = await store.update<AppRecord>('apps', appOf(c).id, (current) => {
        if (!current) return current
        const members = current.members.filter((m) => m.userId !== userId)
        found = members.length !== current.members.length
        if (found && !members.some((m) => m.role === 'admin')) throw lastAdmin(current)
        return found ? { ...current, members } : current
      })
      if (!found) throw new SwitchboardError(404, 'member_not_found', `User "${userId}" is not a member of this app.`)
      await audited(c, { event: 'member.removed', details: { member: userId } })
      return c.json<App>(app!)
    })
}
