import type { Low } from 'lowdb'
import { SwitchboardError } from '../../../errors.ts'
import { createWriteCoalescer } from '../internal/write-coalescer.ts'
import type { StoreFile, StoreLog } from '../types.ts'

/** How long after a failed write the next attempt starts when nobody writes meanwhile. */
const RETRY_MS = 1000
/**
 * How long a relaxed write waits for company. Under a steady stream of them (audit entries of action runs,
 * run history, last-used times) the file is written about ten times a second rather than back to back: each
 * write renders the changed blocks and syncs the file, which cost the busy runtime a fifth of an action's CPU.
 */
const RELAXED_MS = 100

/** What {@link createFileWriter} returns. */
export interface FileWriter {
  /** Resolves once a durable write holding every change made before the call has completed (group commit). */
  flush(): Promise<void>
  /** Asks for such a write without waiting for it: for relaxed writes. A failure is logged and retried. */
  soon(): void
  /** Waits for writes in flight, and tries once more if the last one failed (throwing if that fails too). */
  finish(): Promise<void>
}

/**
 * The store file's writes: lowdb's `write` (the durable adapter) through the write coalescer, so concurrent
 * changes share one write. A failed write leaves its changes in memory, where later changes may already build
 * on them; they go out with the next write, or with a retry a second later, since relaxed writes have nobody
 * waiting who would otherwise ask again.
 *
 * @example
 * const writer = createFileWriter(db, path, log)
 * tables.commit(changes)
 * await writer.flush() // durable now
 */
export function createFileWriter(db: Low<StoreFile>, path: string, log: StoreLog): FileWriter {
  let lastFailed = false
  let retry: NodeJS.Timeout | undefined
  let finishing = false
  const coalescer = createWriteCoalescer(async () => {
    try {
      await db.write()
      lastFailed = false
    } catch (cause) {
      lastFailed = true
      const message =
        `Could not write ${path} (${(cause as Error).message}); the change is not durable yet and will be retried with ` + `the next write.`
      log('warn', message)
      if (!finishing) retry ??= setTimeout(() => ((retry = undefined), soon()), RETRY_MS).unref()
      throw new SwitchboardError(503, 'store_write_failed', message, { cause })
    }
  })
  // Its failure is already logged and retried; nobody waits for it.
  let relaxed: NodeJS.Timeout | undefined
  const soon = () => {
    relaxed ??= setTimeout(() => {
      relaxed = undefined
      void coalescer.flush().catch(() => {})
    }, RELAXED_MS)
  }
  // A durable write takes every change made so far, the relaxed ones waiting included.
  const settleRelaxed = () => {
    clearTimeout(relaxed)
    const waiting = relaxed !== undefined
    relaxed = undefined
    return waiting
  }

  return {
    flush: () => {
      settleRelaxed()
      return coalescer.flush()
    },
    soon,
    async finish() {
      finishing = true
      clearTimeout(retry)
      const waiting = settleRelaxed()
      await coalescer.idle()
      if (lastFailed || waiting) await coalescer.flush()
    },
  }
}
