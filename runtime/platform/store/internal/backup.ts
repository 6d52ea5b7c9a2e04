import type { StoreLog } from '../types.ts'
import { type FileContent, writeFileDurably } from './durable-write.ts'

/** What {@link createBackupKeeper} returns; the store calls it after writes and on close. */
export interface BackupKeeper {
  /** Called with the text of every successful write; refreshes the backup when it is due. */
  written(text: FileContent): void
  /** The backup was just made from the current content (on open). */
  markFresh(): void
  /** Writes the last written text if the backup is behind it, and waits for any backup write. */
  finish(): Promise<void>
}

/**
 * Keeps `<store>.bak` as a recent known-good copy. It is only ever written from text this process has just
 * written successfully (or loaded and checked), never by copying the main file, so damage on disk cannot
 * spread into the backup. A failed refresh is logged, not thrown: the main write it follows did succeed.
 *
 * @example
 * const backup = createBackupKeeper({ path: 'data/store.json.bak', intervalMs: 60_000, log })
 * const file = new DurableJsonFile('data/store.json', { onWritten: (text) => backup.written(text) })
 */
export function createBackupKeeper(options: { path: string; intervalMs: number; log: StoreLog }): BackupKeeper {
  let lastRefresh = Number.NEGATIVE_INFINITY
  let behind: FileContent | undefined
  let inFlight: Promise<void> | undefined

  const refresh = (text: FileContent) => {
    lastRefresh = Date.now()
    behind = undefined
    inFlight = writeFileDurably(options.path, text)
      .catch((error: Error) => {
        options.log('warn', `Could not refresh the backup ${options.path}: ${error.message}`)
      })
      .finally(() => {
        inFlight = undefined
      })
  }

  return {
    written(text) {
      if (inFlight || Date.now() - lastRefresh < options.intervalMs) behind = text
      else refresh(text)
    },
    markFresh() {
      lastRefresh = Date.now()
    },
    async finish() {
      await inFlight
      if (behind !== undefined) refresh(behind)
      await inFlight
    },
  }
}
