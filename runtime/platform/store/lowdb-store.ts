import { mkdir } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { Low } from 'lowdb'
import { DurableJsonFile } from './durable-json-file.ts'
import { createBackupKeeper } from './internal/backup.ts'
import { acquireDataDirLock } from './internal/data-dir-lock.ts'
import { removeStaleTempFiles } from './internal/durable-write.ts'
import { loadStoreFile } from './internal/load-store-file.ts'
import { restrictModes } from './internal/restrict-modes.ts'
import { createStoreEngine } from './internal/store-engine.ts'
import type { LowdbStoreOptions, Store, StoreLog } from './types.ts'

const defaultLog: StoreLog = (level, message) => {
  if (level === 'warn') console.warn(`[store] ${message}`)
  else console.info(`[store] ${message}`)
}

/**
 * Opens the embedded store: one JSON file in a data directory, owned by this process alone (a lock file),
 * written atomically and durably, with a last-good backup that is restored (loudly) if the file is damaged.
 * A directory or store file other users can read is restricted to 0700/0600, with a warning in the log.
 * Rejects bad options before touching the disk, and fails with a SwitchboardError when another process holds
 * the directory ('store_locked'), the file is damaged without a usable backup ('store_damaged'), or it comes
 * from a newer version ('store_format_unsupported').
 *
 * @example
 * const store = await createLowdbStore({ dir: process.env.SWITCHBOARD_DATA_DIR ?? './data' })
 * await store.insert('apps', { id: 'app_1', name: 'Demo' })
 * process.on('SIGTERM', () => void store.close().then(() => process.exit(0)))
 */
export async function createLowdbStore(options: LowdbStoreOptions): Promise<Store> {
  const { dir, fileName, log, backupIntervalMs } = checkOptions(options)
  // 0o700 applies only if we create it: the directory will hold users and credentials.
  await mkdir(dir, { recursive: true, mode: 0o700 })
  // mkdir's mode does not touch a directory that exists: one made by hand or restored may be readable.
  await restrictModes(dir, [fileName, `${fileName}.bak`], log)
  const lock = await acquireDataDirLock(dir, log)
  try {
    await removeStaleTempFiles(dir, fileName)
    const path = join(dir, fileName)
    const backup = createBackupKeeper({ path: `${path}.bak`, intervalMs: backupIntervalMs, log })
    const file = new DurableJsonFile(path, { onWritten: (text) => backup.written(text) })
    const loaded = await loadStoreFile({ file, backup: new DurableJsonFile(`${path}.bak`), log })
    if (loaded.backupFresh) backup.markFresh()
    return createStoreEngine(new Low(file, loaded.data), { path, backup, release: () => lock.release() })
  } catch (error) {
    await lock.release()
    throw error
  }
}

function checkOptions(options: LowdbStoreOptions): Required<LowdbStoreOptions> {
  if (typeof options !== 'object' || options === null) throw new TypeError('createLowdbStore: options are required.')
  const { dir, fileName = 'store.json', log = defaultLog, backupIntervalMs = 60_000 } = options
  if (typeof dir !== 'string' || dir.trim() === '') {
    throw new TypeError('createLowdbStore: "dir" must be a non-empty path to the data directory.')
  }
  if (typeof fileName !== 'string' || fileName === '' || basename(fileName) !== fileName || fileName.startsWith('.')) {
    throw new TypeError(`createLowdbStore: "fileName" must be a plain file name such as "store.json", not "${fileName}".`)
  }
  if (fileName.endsWith('.tmp') || fileName.endsWith('.bak') || fileName.endsWith('.lock')) {
    throw new TypeError(`createLowdbStore: "fileName" must not end in .tmp, .bak or .lock: the store uses those names itself.`)
  }
  if (typeof log !== 'function') throw new TypeError('createLowdbStore: "log" must be a function (level, message).')
  if (typeof backupIntervalMs !== 'number' || !(backupIntervalMs >= 0)) {
    throw new TypeError('createLowdbStore: "backupIntervalMs" must be a number of milliseconds, 0 or more.')
  }
  return { dir: resolve(dir), fileName, log, backupIntervalMs }
}
