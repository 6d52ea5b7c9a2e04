import type { AuditDetails, AuditEntry, AuditEvent } from '../../../schemas/types/api.ts'
import type { Store } from '../../platform/store/index.ts'

export type { AuditDetails, AuditEntry, AuditEvent }

/** What a caller records; the log adds `seq`, `at` and `appId`. */
export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at' | 'appId'>

/** One app's trail as stored: a single record per app, oldest entry first. */
interface AuditRecord {
  [k: string]: unknown
  id: string
  nextSeq: number
  entries: AuditEntry[]
}

/** Default number of entries kept per app. */
export const DEFAULT_AUDIT_LIMIT = 1000

/**
 * The audit trail of each app, in the store's `audit` collection: one record per app holding its
 * newest `limit` entries (default {@link DEFAULT_AUDIT_LIMIT}); appending past it drops the oldest, so
 * the store stays bounded however long the runtime runs.
 *
 * @example
 * const audit = createAuditLog({ store, clock })
 * await audit.record('default', { userId: 'owner', event: 'connection.deleted', connectionId: 'c_1' })
 * const { entries } = await audit.list('default', { connectionId: 'c_1', limit: 20 })
 */
export function createAuditLog(options: { store: Store; clock?: () => Date; limit?: number }) {
  const { store } = options
  const limit = options.limit ?? DEFAULT_AUDIT_LIMIT
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`createAuditLog: limit must be a positive whole number (got ${limit}).`)
  const clock = options.clock ?? (() => new Date())
  return {
    limit,
    async record(appId: string, entry: NewAuditEntry): Promise<AuditEntry> {
      let written: AuditEntry | undefined
      await store.update<AuditRecord>('audit', appId, (current) => {
        const trail = current ?? { id: appId, nextSeq: 1, entries: [] }
        written = { seq: trail.nextSeq, at: clock().toISOString(), appId, ...entry }
        return { ...trail, nextSeq: trail.nextSeq + 1, entries: [...trail.entries, written].slice(-limit) }
      })
      return written!
    },
    /** Newest first; `before` is the `seq` to continue below (the previous page's `next`). */
    async list(
      appId: string,
      query: { connectionId?: string; limit?: number; before?: number } = {},
    ): Promise<{ entries: AuditEntry[]; next?: number }> {
      const trail = await store.get<AuditRecord>('audit', appId)
      const pageSize = Math.min(Math.max(query.limit ?? 50, 1), 500)
      const entries: AuditEntry[] = []
      const all = trail?.entries ?? []
      let i = all.length - 1
      for (; i >= 0 && entries.length < pageSize; i--) {
        const entry = all[i]!
        if (query.before !== undefined && entry.seq >= query.before) continue
        if (query.connectionId !== undefined && entry.connectionId !== query.connectionId) continue
        entries.push(entry)
      }
      const more =
        entries.length === pageSize &&
        all.slice(0, i + 1).some((e) => query.connectionId === undefined || e.connectionId === query.connectionId)
      return more ? { entries, next: entries.at(-1)!.seq } : { entries }
    },
  }
}

/** The audit log's type. */
export type AuditLog = ReturnType<typeof createAuditLog>
