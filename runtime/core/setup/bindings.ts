import type { Store } from '../../platform/store/index.ts'
import type { BindingRecord } from '../../types.ts'

/** The id of an app's binding for a connector, or of a member's own. */
export function bindingId(appId: string, connectorId: string, userId?: string): string {
  return userId === undefined ? `${appId}~${connectorId}` : `${appId}~${connectorId}~${userId}`
}

/** What one caller may know of an app's bindings for a connector: the app's, and their own. */
export interface Bound {
  app?: string
  mine?: string
}

/**
 * The app's bindings and the actor's own, by connector: nobody else's personal picks.
 *
 * @example
 * const bound = await boundFor(store, 'default', 'u_1')
 * bound.get('github') // { app: 'c_1', mine: 'c_2' }
 */
export async function boundFor(store: Store, appId: string, userId: string): Promise<Map<string, Bound>> {
  const records = await store.find<BindingRecord>('bindings', 'byApp', { equals: [appId] })
  const bound = new Map<string, Bound>()
  for (const record of records) {
    if (record.userId !== undefined && record.userId !== userId) continue
    const entry = bound.get(record.connectorId) ?? {}
    if (record.userId === undefined) entry.app = record.connectionId
    else entry.mine = record.connectionId
    bound.set(record.connectorId, entry)
  }
  return bound
}
