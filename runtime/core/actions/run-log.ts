import type { ActionResult, RunEntry } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'

export type { RunEntry }

/** What a caller records; the log adds `seq` and `at`. */
export type NewRun = Omit<RunEntry, 'seq' | 'at'>

/**
 * A bounded in-memory ring of recent runs: the newest `capacity` are kept, older ones fall out.
 * Memory, not the store, because a durable write per request would cost more than a run log is
 * worth, and a run log of the last few minutes is what people read it for.
 *
 * @example
 * const runs = createRunLog({ capacity: 1000 })
 * runs.record({ kind: 'action', appId, connectionId, userId, mode: 'user', action: 'createIssue', method: 'POST', outcome: 'ok', status:
 * 201, durationMs: 84, attempts: 1 })
 * runs.list(appId, connectionId) // newest first
 */
export function createRunLog(options: { capacity?: number; clock?: () => Date } = {}) {
  const capacity = options.capacity ?? 1000
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new TypeError(`createRunLog: capacity must be a positive whole number (got ${capacity}).`)
  const clock = options.clock ?? (() => new Date())
  const ring: Array<RunEntry | undefined> = new Array<RunEntry | undefined>(capacity)
  let seq = 0
  return {
    capacity,
    record(run: NewRun): RunEntry {
      const entry: RunEntry = { seq: ++seq, at: clock().toISOString(), ...run }
      ring[entry.seq % capacity] = entry
      return entry
    },
    /** The runs of one connection, newest first. */
    list(appId: string, connectionId: string, limit = capacity): RunEntry[] {
      const out: RunEntry[] = []
      for (let s = seq; s > seq - capacity && s > 0 && out.length < limit; s--) {
        const entry = ring[s % capacity]
        if (entry && entry.appId === appId && entry.connectionId === connectionId) out.push({ ...entry })
      }
      return out
    },
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
    runs.record({
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
    runs.record({
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
