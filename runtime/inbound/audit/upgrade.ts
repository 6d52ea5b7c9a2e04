import { nextSequence, type Store, scanAll } from '../../platform/store/index.ts'
import type { AuditEntry } from './audit-log.ts'

/** How data directories written before one record per entry kept an app's trail: one record, every entry in it. */
interface TrailRecord {
  [k: string]: unknown
  id: string
  entries: AuditEntry[]
}

/**
 * Moves audit trails kept as one record per app (older data directories) to one record per entry, oldest
 * first, with new store-wide numbers. Idempotent: a store without such records is left as it is.
 *
 * @example
 * await upgradeAuditTrails(store)
 */
export async function upgradeAuditTrails(store: Store): Promise<number> {
  const trails: TrailRecord[] = []
  for await (const record of scanAll<TrailRecord>(store, 'audit')) if (Array.isArray(record.entries)) trails.push(record)
  let moved = 0
  for (const trail of trails) {
    await store.transaction(async (tx) => {
      for (const entry of [...trail.entries].sort((a, b) => a.seq - b.seq)) {
        const seq = await nextSequence(tx, 'audit')
        await tx.insert('audit', { ...entry, id: `a_${seq}`, seq })
        moved++
      }
      await tx.delete('audit', trail.id)
    })
  }
  return moved
}
