import { type Store, scanAll } from '../../platform/store/index.ts'
import type { ConnectionRecord } from '../../types.ts'
import { nameKey } from '../connections/index.ts'

/**
 * Gives connections from older data directories their name key, which the store's `byName` index (one name
 * per app and connector) reads. Idempotent.
 *
 * @example
 * await upgradeConnectionNames(store)
 */
export async function upgradeConnectionNames(store: Store): Promise<number> {
  let changed = 0
  for await (const record of scanAll<ConnectionRecord>(store, 'connections')) {
    if (record.nameKey !== undefined) continue
    await store.update<ConnectionRecord>('connections', record.id, (current) => current && { ...current, nameKey: nameKey(current.name) })
    changed++
  }
  return changed
}
