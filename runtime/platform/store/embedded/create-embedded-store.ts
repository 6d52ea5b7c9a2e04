import { mkdir } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { Low } from 'lowdb'
import type { Store } from '../contract.ts'
import { DurableJsonFile } from '../durable-json-file.ts'
import { createBackupKeeper } from '../internal/backup.ts'
import { acquireDataDirLock } from '../internal/data-dir-lock.ts'
import { removeStaleTempFiles } from '../internal/durable-write.ts'
import { loadStoreFile } from '../internal/load-store-file.ts'
import { restrictModes } from '../internal/restrict-modes.ts'
import type { StoreLog } from '../types.ts'
import { createEmbeddedEngine } from './embedded-engine.ts'
import { SegmentedStoreFile } from './segmented-store-file.ts'

/**
 * Options of {@link createEmbeddedStore}.
 *
 * @example
 * const options: EmbeddedStoreOptions = { dir: process.env.SWITCHBOARD_DATA_DIR ?? './data' }
 */
export interface EmbeddedStoreOptions {
  /** The data directory; created (0700) if missing. Only one process may use it at a time. */
  dir: string
  /** Name of the store file inside `dir`. Default `store.json`. */
  fileName?: string
  /** Default: `console.warn` / `console.info` with a `[store]` prefix. */
  log?: StoreLog
  /**
   * How often, at most, the last-good backup (`<fileName>.bak`) is refreshed after a successful write. It is
   * also refreshed when the store opens and when it closes. Default 60 000 ms; 0 means after every write.
   */
  backupIntervalMs?: number
}

const defaultLog: StoreLog = (level, message) => {
  if (level === 'warn') console.warn(`[store] ${message}`)
  else console.info(`[store] ${message}`)
}

/**
 * Opens the embedded store: lowdb over one JSON file in a data directory, owned by this process alone (a lock
 * file), written atomically and durably with group commit, with a last-good backup restored loudly when the file
 * is damaged, and every index of the collections kept in memory. It reads and writes the same file format as
 * the synchronous engine it replaces, so an existing data directory opens as it is. Rejects bad options before
 * touching the disk; fails with a SwitchboardError when another process holds the directory ('store_locked'),
 * the file is damaged without a usable backup ('store_damaged'), or it comes from a newer version
 * ('store_format_unsupported').
 *
 * @example
 * const store = await createEmbeddedStore({ dir: process.env.SWITCHBOARD_DATA_DIR ?? './data' })
 * await store.insert('apps', { id: 'app_1', name: 'Demo', members: [{ userId: 'u1', role: 'admin' }] })
 * const mine = await store.find('apps', 'byMember', { equals: ['u1'] })
 * process.on('SIGTERM', () => void store.close().then(() => process.exit(0)))
 */
export async function createEmbeddedStore(options: EmbeddedStoreOptions): Promise<Store> {
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
    const loaded = await loadStoreFile({ file: new DurableJsonFile(path), backup: new DurableJsonFile(`${path}.bak`), log })
    if (loaded.backupFresh) backup.markFresh()
    const file = new SegmentedStoreFile(path, loaded.data, { onWritten: (bytes) => backup.written(bytes) })
    const db = new Low(file, loaded.data)
    return createEmbeddedEngine({ db, file, path, log, backup, release: () => lock.release() })
  } catch (error) {
    await lock.release()
    throw error
  }
}

function checkOptions(options: EmbeddedStoreOptions): Required<EmbeddedStoreOptions> {
  if (typeof options !== 'object' || options === null) throw new TypeError('createEmbeddedStore: options are required.')
  const { dir, fileName = 'store.json', log = defaultLog, backupIntervalMs = 60_000 } = options
  if (typeof dir !== 'string' || dir.trim() === '') {
    throw new TypeError('createEmbeddedStore: "dir" must be a non-empty path to the data directory.')
  }
  if (typeof fileName !== 'string' || fileName === '' || basename(fileName) !== fileName || fileName.startsWith('.')) {
    throw new TypeError(`createEmbeddedStore: "fileName" must be a plain file name such as "store.json", not "${fileName}".`)
  }
  if (fileName.endsWith('.tmp') || fileName.endsWith('.bak') || fileName.endsWith('.lock')) {
    throw new TypeError('createEmbeddedStore: "fileName" must not end in .tmp, .bak or .lock: the store uses those names itself.')
  }
  if (typeof log !== 'function') throw new TypeError('createEmbeddedStore: "log" must be a function (level, message).')
  if (typeof backupIntervalMs !== 'number' || !(backupIntervalMs >= 0)) {
    throw new TypeError('createEmbeddedStore: "backupIntervalMs" must be a number of milliseconds, 0 or more.')
  }
  return { dir: resolve(dir), fileName, log, backupIntervalMs }
}
