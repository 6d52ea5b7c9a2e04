import type { RunEntry } from '../../../schemas/types/api.ts'
import type { Store } from '../../platform/store/index.ts'

/** Which runs to read: one connection's or the whole app's, filtered, a page at a time. */
export interface RunQuery {
  connectionId?: string | undefined
  kind?: RunEntry['kind'] | undefined
  outcome?: RunEntry['outcome'] | undefined
  /** ISO 8601: runs at or after. */
  since?: string | undefined
  /** ISO 8601: runs before. */
  until?: string | undefined
  /** The `next` of the page before. */
  before?: string | undefined
  /** Runs per page (default 50). */
  limit?: number | undefined
}

/** A page of runs, newest first; `next` reads on (absent at the end). */
export interface RunPage {
  runs: RunEntry[]
  next?: string
}

/** A run as stored: the entry, its record id, and the key it is ordered by in time. */
export interface RunRecord extends RunEntry {
  [k: string]: unknown
  id: string
  /** `<at>#<seq, 15 digits>`: ordered by time, ties by sequence; a page's `next`. */
  sortKey: string
}

/** What a page cursor looks like: a run's sort key. */
export const CURSOR = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#\d{15}$/

/**
 * The key a run is ordered by: its time, then its sequence number, so runs of the same millisecond keep an order
 * and a page boundary falls between two runs, never inside a tie.
 *
 * @example
 * sortKeyOf('2026-11-22T10:00:00.000Z', 7) // '2026-11-22T10:00:00.000Z#000000000000007'
 */
export function sortKeyOf(at: string, seq: number): string {
  return `${at}#${String(seq).padStart(15, '0')}`
}

/** How many records one page reads at most while filtering, so a filter that matches little stays bounded. */
const MAX_SCANNED = 2000

/**
 * Reads a page of runs, newest first, by the time index of the app or of one connection: the time window and the
 * cursor are a range on the index; kind and outcome are checked on the records read. A page with filters reads at
 * most {@link MAX_SCANNED} records; it may then hold fewer runs than asked for, with a `next` to read on.
 *
 * @example
 * const page = await queryRuns(store, 'default', { connectionId: 'c_1', outcome: 'failed', limit: 20 })
 */
export async function queryRuns(store: Store, appId: string, query: RunQuery): Promise<RunPage> {
  const limit = query.limit ?? 50
  const upper = [query.until, query.before].filter((v): v is string => v !== undefined).sort()[0]
  // A lower bound always: a record written before runs had a sort key has none and is left out.
  const range = { gte: query.since ?? '0', ...(upper === undefined ? {} : { lt: upper }) }
  const [index, equals] = query.connectionId
    ? (['byConnectionTime', [appId, query.connectionId]] as const)
    : (['byAppTime', [appId]] as const)
  const wanted = (r: RunRecord) =>
    (query.kind === undefined || r.kind === query.kind) && (query.outcome === undefined || r.outcome === query.outcome)
  const filtered = query.kind !== undefined || query.outcome !== undefined
  const runs: RunEntry[] = []
  let scanned = 0
  let last: string | undefined
  for (;;) {
    const batch = filtered ? Math.min(Math.max(limit * 4, 100), MAX_SCANNED - scanned) : limit + 1
    const records = await store.find<RunRecord>('runs', index, {
      equals,
      range: last === undefined ? range : { ...range, lt: last },
      order: 'desc',
      limit: batch,
    })
    for (const record of records) {
      // A run beyond the page: there is more, after the last one read.
      if (runs.length === limit) return { runs, next: last! }
      last = record.sortKey
      scanned++
      if (wanted(record)) runs.push(entryOf(record))
    }
    if (records.length < batch) return { runs }
    if (scanned >= MAX_SCANNED) return { runs, ...(last === undefined ? {} : { next: last }) }
  }
}

/** A stored run as the API shows it. */
export function entryOf(record: RunRecord): RunEntry {
  const { id: _id, sortKey: _key, ...entry } = record
  return entry as RunEntry
}
