import type { ActionResult, RunEntry } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import { createSequence, type Store } from '../../platform/store/index.ts'
import { entryOf, queryRuns, type RunPage, type RunQuery, type RunRecord, sortKeyOf } from './run-query.ts'

export type { RunEntry, RunPage, RunQuery }

/** What a caller records; the log adds `seq` and `at`. */
export type NewRun = Omit<RunEntry, 'seq' | 'at'>

/**
 * The durable run history: every action run and proxied call (method, path, status, duration, attempts, who,
 * which connection — never bodies or secrets), in the store's `runs` collection, read newest first per
 * connection or app, by time. Writing a run never holds up the call it describes: runs are buffered and written together
 * every `flushMs` (with relaxed durability: a crash may lose the last few), and read back after a flush.
 * Bounded: each connection keeps its newest `capacity` runs, and runs older than `maxAgeMs` are dropped.
 *
 * @example
 * const runs = createRunLog({ store, capacity: 1000 })
 * const run = { kind: 'action', appId, connectionId, userId, mode: 'user', action: 'createIssue', outcome: 'ok', durationMs: 84 }
 * const entry = await runs.record(run)
 * await runs.list(appId, connectionId) // newest first
 * await runs.query(appId, { outcome: 'failed', since: '2026-11-22T00:00:00.000Z' }) // { runs, next? }
 */
const RELAXED = { durability: 'relaxed' } as const
/**
 * Runs written (or dropped) per transaction. A busy proxy buffers thousands a second, and one transaction over all
 * of them held the event loop for tens of milliseconds, which every request waiting then paid (the p99 of a busy
 * proxy); in slices, with requests served between them, the wait is a few milliseconds at most.
 */
const SLICE = 200
const yieldToRequests = () => new Promise<void>((done) => setImmediate(done))

export function createRunLog(options: { store: Store; capacity?: number; maxAgeMs?: number; flushMs?: number; clock?: () => Date }) {
  const { store } = options
  const capacity = options.capacity ?? 1000
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new TypeError(`createRunLog: capacity must be a positive whole number (got ${capacity}).`)
  const maxAgeMs = options.maxAgeMs ?? 30 * 24 * 60 * 60 * 1000
  // Once a second: a write of the embedded store rewrites its file, and a busy proxy records thousands of runs a
  // second; they go out together, and listing runs writes what is buffered first.
  const flushMs = options.flushMs ?? 1000
  const clock = options.clock ?? (() => new Date())
  const pending = new Map<string, RunRecord>()
  const sequence = createSequence(store, 'runs')
  let flushing: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  let lastPrune = 0

  function schedule(): void {
    timer ??= setTimeout(() => {
      timer = undefined
      void flush().catch(() => {})
    }, flushMs)
    timer.unref?.()
  }

  /**
   * Writes what is buffered, and the connections it touched keep their newest `capacity` runs. The batch and the
   * runs it pushes out each go in one relaxed transaction (a crash may lose the last second of history, never
   * more): a durable write of the embedded store is a write of its file, and it was one per run pushed out.
   */
  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      if (pending.size === 0) return
      const batch = [...pending.values()]
      pending.clear()
      const touched = new Map(batch.map((r) => [`${r.appId}\u0000${r.connectionId}`, [r.appId, r.connectionId] as const]))
      const prune = clock().getTime() - lastPrune > 60_000
      if (prune) lastPrune = clock().getTime()
      for (let i = 0; i < batch.length; i += SLICE) {
        await store.transaction(async (tx) => {
          for (const record of batch.slice(i, i + SLICE)) await tx.put<RunRecord>('runs', record)
        }, RELAXED)
        await yieldToRequests()
      }
      const drop: string[] = []
      for (const [appId, connectionId] of touched.values()) {
        const excess = (await store.count('runs', 'byConnection', { equals: [appId, connectionId] })) - capacity
        if (excess <= 0) continue
        const old = await store.find<RunRecord>('runs', 'byConnection', { equals: [appId, connectionId], order: 'asc', limit: excess })
        drop.push(...old.map((record) => record.id))
      }
      if (prune) {
        const cutoff = new Date(clock().getTime() - maxAgeMs).toISOString()
        const expired = await store.find<RunRecord>('runs', 'byTime', { equals: [], range: { lt: cutoff }, limit: 1000 })
        drop.push(...expired.map((record) => record.id))
      }
      for (let i = 0; i < drop.length; i += SLICE) {
        await store.transaction(async (tx) => {
          for (const id of drop.slice(i, i + SLICE)) await tx.delete('runs', id)
        }, RELAXED)
        await yieldToRequests()
      }
    })
    return flushing
  }

  return {
    capacity,
    /** Records a run; its entry can change afterwards (a streamed answer ends) and be recorded again with `update`. */
    async record(run: NewRun): Promise<RunEntry> {
      const seq = await sequence.next()
      const at = clock().toISOString()
      const entry: RunRecord = { id: `r_${seq}`, seq, at, sortKey: sortKeyOf(at, seq), ...run }
      pending.set(entry.id, entry)
      schedule()
      return entry
    },
    /** Records an entry again after it changed. */
    update(entry: RunEntry): void {
      pending.set(`r_${entry.seq}`, { ...entry, id: `r_${entry.seq}`, sortKey: sortKeyOf(entry.at, entry.seq) })
      schedule()
    },
    /** The runs of one connection, newest first. */
    async list(appId: string, connectionId: string, limit = capacity): Promise<RunEntry[]> {
      await flush()
      const records = await store.find<RunRecord>('runs', 'byConnection', { equals: [appId, connectionId], order: 'desc', limit })
      return records.map(entryOf)
    },
    /** A page of an app's runs (or one connection's), newest first, filtered by kind, outcome and time. */
    async query(appId: string, query: RunQuery = {}): Promise<RunPage> {
      await flush()
      return queryRuns(store, appId, query)
    },
    /** How long runs are kept, in ms. */
    maxAgeMs,
    /** Writes what is buffered (at shutdown). */
    flush,
  }
}

/** The run log's type. */
export type RunLog = ReturnType<typeof createRunLog>

/**
 * Runs an action and records how it went, failures included (invalid inputs, missing credentials,
 * timeouts), with the number of attempts when the error knows it.
 *
 * @example
 * return c.json(await recordAction(runs, { appId, connectionId, userId, mode, action: key }, () => runAction(…)))
 */
export async function recordAction(
  runs: RunLog,
  run: Pick<RunEntry, 'appId' | 'connectionId' | 'userId' | 'mode' | 'action'>,
  work: () => Promise<ActionResult>,
): Promise<ActionResult> {
  const started = performance.now()
  const kind = 'action' as const
  try {
    const result = await work()
    await runs.record({
      kind,
      ...run,
      method: result.request.method,
      outcome: result.status < 400 ? 'ok' : 'http_error',
      status: result.status,
      durationMs: Math.round(performance.now() - started),
      attempts: result.attempts,
    })
    return result
  } catch (error) {
    const code = error instanceof SwitchboardError ? error.code : 'internal_error'
    const attempts = error instanceof SwitchboardError ? (error.details as { attempts?: unknown } | undefined)?.attempts : undefined
    await runs.record({
      kind,
      ...run,
      outcome: 'failed',
      code,
      durationMs: Math.round(performance.now() - started),
      ...(typeof attempts === 'number' ? { attempts } : {}),
    })
    throw error
  }
}
