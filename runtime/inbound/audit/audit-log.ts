import type { AuditDetails, AuditEntry, AuditEvent } from '../../../schemas/types/api.ts'
import { createSequence, type Store } from '../../platform/store/index.ts'

export type { AuditDetails, AuditEntry, AuditEvent }

/** What a caller records; the log adds `seq`, `at` and `appId`. */
export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at' | 'appId'>

/** One entry as stored: the entry and a record id of its own. */
interface AuditRecord extends AuditEntry {
  [k: string]: unknown
  id: string
}

/** Events that record a use of a connection rather than a change to it. */
const USAGE_EVENTS: ReadonlySet<string> = new Set(['connection.tested', 'action.run'])

/** Default number of entries kept per app. */
export const DEFAULT_AUDIT_LIMIT = 1000

/**
 * The audit trail of each app: one record per entry in the store's `audit` collection, read newest first by
 * the app's index (or the app and connection's). `seq` increases across the store, so pages are stable. An
 * app keeps its newest `limit` entries (default {@link DEFAULT_AUDIT_LIMIT}); older ones are dropped as new
 * ones come (a tenth of the limit at a time), so the store stays bounded however long the runtime runs.
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
  const sequence = createSequence(store, 'audit')
  const slack = Math.max(1, Math.floor(limit / 10))

  // One trim per app at a time: entries recorded while it runs are trimmed by one more pass, not by a trim
  // each (a burst of a thousand entries would otherwise delete the same old entries a thousand times over).
  const trims = new Map<string, { again: boolean; done: Promise<void> }>()

  /** Drops the app's oldest entries beyond the limit. */
  function trim(appId: string): Promise<void> {
    const running = trims.get(appId)
    if (running) {
      running.again = true
      return running.done
    }
    const state = { again: false, done: Promise.resolve() }
    state.done = (async () => {
      try {
        do {
          state.again = false
          const excess = (await store.count('audit', 'byApp', { equals: [appId] })) - limit
          // Trimmed a tenth of the limit at a time, in one transaction: one commit per many entries, not per entry.
          if (excess < slack) continue
          const old = await store.find<AuditRecord>('audit', 'byApp', { equals: [appId], order: 'asc', limit: excess })
          // Relaxed: dropping old entries can wait for the next write to become durable.
          await store.transaction(
            async (tx) => {
              for (const record of old) await tx.delete('audit', record.id)
            },
            { durability: 'relaxed' },
          )
        } while (state.again)
      } finally {
        trims.delete(appId)
      }
    })()
    trims.set(appId, state)
    return state.done
  }

  return {
    limit,
    async record(appId: string, entry: NewAuditEntry): Promise<AuditEntry> {
      const seq = await sequence.next()
      const written: AuditEntry = { seq, at: clock().toISOString(), appId, ...entry }
      // Uses (a test, an action run) are frequent and cheap to lose in a crash: they do not wait for an fsync.
      // Changes to connections and members do.
      const durability = USAGE_EVENTS.has(entry.event) ? 'relaxed' : 'durable'
      await store.insert<AuditRecord>('audit', { id: `a_${seq}`, ...written }, { durability })
      await trim(appId)
      return written
    },
    /** Newest first; `before` is the `seq` to continue below (the previous page's `next`). */
    async list(
      appId: string,
      query: { connectionId?: string; limit?: number; before?: number } = {},
    ): Promise<{ entries: AuditEntry[]; next?: number }> {
      const pageSize = Math.min(Math.max(query.limit ?? 50, 1), 500)
      const range = query.before === undefined ? {} : { range: { lt: query.before } }
      const page = { order: 'desc' as const, limit: pageSize + 1, ...range }
      const found =
        query.connectionId === undefined
          ? await store.find<AuditRecord>('audit', 'byApp', { equals: [appId], ...page })
          : await store.find<AuditRecord>('audit', 'byConnection', { equals: [appId, query.connectionId], ...page })
      const entries = found.slice(0, pageSize).map(({ id: _id, ...entry }) => entry as AuditEntry)
      return found.length > pageSize ? { entries, next: entries.at(-1)!.seq } : { entries }
    },
  }
}

/** The audit log's type. */
export type AuditLog = ReturnType<typeof createAuditLog>
