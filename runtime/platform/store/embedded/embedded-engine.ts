import type { Low } from 'lowdb'
import { SwitchboardError } from '../../../errors.ts'
import type {
  AnyIndexName,
  CollectionName,
  IndexQuery,
  ReadOptions,
  Store,
  StoreChange,
  StoreRecord,
  StoreTx,
  WriteOptions,
} from '../contract.ts'
import type { BackupKeeper } from '../internal/backup.ts'
import { toStored } from '../internal/records.ts'
import type { StoreFile, StoreLog } from '../types.ts'
import { copyRecord } from './copy-record.ts'
import { createEmbeddedTx } from './embedded-tx.ts'
import { createFileWriter } from './file-writer.ts'
import { createKeyLocks } from './key-locks.ts'
import type { SegmentedStoreFile } from './segmented-store-file.ts'
import { type Change, checkCollection, Tables } from './tables.ts'

/** What the engine runs on, once the data directory is locked and the file loaded. */
export interface EngineParts {
  db: Low<StoreFile>
  /** The adapter `db` writes through, told of every changed record. */
  file: SegmentedStoreFile
  path: string
  log: StoreLog
  backup: BackupKeeper
  /** Lets go of the data directory. */
  release: () => Promise<void>
}

type Outcome<R> = { result: R; record?: StoreRecord | null }

/**
 * The embedded {@link Store} over a loaded lowdb database. A change is applied to the records and indexes in
 * memory while its record's lock is held (so an `update` cannot lose a concurrent one), a write of the file is
 * asked for while still holding it (so the change is in that write, and `close` cannot miss it), and the caller
 * waits for that write after letting go: concurrent callers share writes (group commit). Transactions take the
 * same record locks for what they touch and run one at a time; single-record operations on other records go on
 * beside them.
 *
 * @example
 * const store = createEmbeddedEngine({ db, path, log, backup, release: () => lock.release() })
 */
export function createEmbeddedEngine(parts: EngineParts): Store {
  const { log } = parts
  const tables = new Tables(parts.db.data)
  const writer = createFileWriter(parts.db, parts.path, log)
  const records = createKeyLocks()
  const named = createKeyLocks()
  const transactions = createKeyLocks()
  const listeners = new Set<(change: StoreChange) => void>()
  const running = new Set<Promise<unknown>>()
  let closing: Promise<void> | undefined

  const ready = (collection?: string) => {
    if (closing) throw new SwitchboardError(503, 'store_closed', 'The store is closed.')
    if (collection !== undefined) checkCollection(collection)
  }
  /** Remembers work that `close` must wait for. */
  const track = <R>(work: Promise<R>): Promise<R> => {
    running.add(work)
    const done = () => void running.delete(work)
    work.then(done, done)
    return work
  }
  const notify = (change: StoreChange) => {
    for (const listener of listeners) {
      try {
        listener(change)
      } catch (error) {
        log('warn', `A store change listener failed: ${(error as Error).message}`)
      }
    }
  }
  /** Applies changes (all or nothing) and returns the write to wait for, if the caller waits. */
  const commit = (changes: Change[], options?: WriteOptions): Promise<void> | undefined => {
    const applied = tables.commit(changes)
    if (applied.length === 0) return undefined
    for (const { collection, id, record } of applied) {
      parts.file.changed(collection, id, record !== null)
      notify({ collection, id })
    }
    if (options?.durability === 'relaxed') return void writer.soon()
    return writer.flush()
  }
  /** Runs `decide` on a record under its lock, commits what it returns, then waits for the write unlocked. */
  const locked = async <R>(
    collection: CollectionName,
    id: string,
    options: WriteOptions | undefined,
    decide: (current: StoreRecord | undefined) => Outcome<R> | Promise<Outcome<R>>,
  ): Promise<R> => {
    const release = await records.acquire(`${collection}\u0000${id}`)
    let flushed: Promise<void> | undefined
    let outcome: Outcome<R>
    try {
      outcome = await decide(tables.get(collection, id))
      if (outcome.record !== undefined) flushed = commit([{ collection, id, record: outcome.record }], options)
    } finally {
      release()
    }
    await flushed
    return outcome.result
  }

  return {
    engine: 'embedded',

    async get<T extends StoreRecord>(collection: CollectionName, id: string, options?: ReadOptions) {
      ready(collection)
      const record = tables.get(collection, id)
      if (record === undefined) return undefined
      // Stored records are deep-frozen: shared as they are with a reader that only reads.
      return options?.shared === true ? (record as T) : copyRecord<T>(record)
    },

    async find<T extends StoreRecord = StoreRecord>(collection: CollectionName, index: AnyIndexName, query: IndexQuery) {
      ready(collection)
      return tables.find(collection, index, query).map((record) => copyRecord<T>(record))
    },

    async count(collection: CollectionName, index: AnyIndexName, query: IndexQuery) {
      ready(collection)
      return tables.count(collection, index, query)
    },

    async scan<T extends StoreRecord>(collection: CollectionName, page: { after?: string; limit: number }) {
      ready(collection)
      checkPage(page)
      return tables.scan(collection, page.after, page.limit).map((record) => copyRecord<T>(record))
    },

    async insert<T extends StoreRecord>(collection: CollectionName, record: T, options?: WriteOptions) {
      ready(collection)
      checkOptions(options)
      const stored = toStored(collection, record)
      return track(
        locked(collection, stored.id, options, (current) => {
          if (current !== undefined) {
            throw new SwitchboardError(409, 'conflict', `A record with id "${stored.id}" already exists in ${collection}.`)
          }
          return { result: copyRecord<T>(stored), record: stored }
        }),
      )
    },

    async put<T extends StoreRecord>(collection: CollectionName, record: T, options?: WriteOptions) {
      ready(collection)
      checkOptions(options)
      const stored = toStored(collection, record)
      return track(locked(collection, stored.id, options, () => ({ result: copyRecord<T>(stored), record: stored })))
    },

    async update<T extends StoreRecord>(
      collection: CollectionName,
      id: string,
      updater: (current: T | undefined) => T | undefined | Promise<T | undefined>,
      options?: WriteOptions,
    ) {
      ready(collection)
      checkOptions(options)
      return track(
        locked(collection, id, options, async (current): Promise<Outcome<T | undefined>> => {
          const next = await updater(current && copyRecord<T>(current))
          if (next === undefined) return { result: undefined, record: current === undefined ? undefined : null }
          const stored = toStored(collection, next, id)
          return { result: copyRecord<T>(stored), record: stored }
        }),
      )
    },

    async delete(collection: CollectionName, id: string, options?: WriteOptions) {
      ready(collection)
      checkOptions(options)
      return track(locked(collection, id, options, (current) => ({ result: current !== undefined, record: current && null })))
    },

    async transaction<R>(fn: (tx: StoreTx) => Promise<R>, options?: WriteOptions) {
      ready()
      checkOptions(options)
      return track(
        transactions
          .with('', async () => {
            const { tx, changes, end } = createEmbeddedTx(tables, records)
            let flushed: Promise<void> | undefined
            let result: R
            try {
              result = await fn(tx)
              flushed = commit(changes(), options)
            } finally {
              end()
            }
            // Not waited for inside the turn: the next transaction runs meanwhile and shares the write.
            return { result, flushed }
          })
          .then(async ({ result, flushed }) => {
            await flushed
            return result
          }),
      )
    },

    async lock<R>(name: string, fn: () => Promise<R>) {
      ready()
      if (typeof name !== 'string' || name === '') throw new TypeError('store.lock: the lock needs a non-empty name.')
      return track(named.with(name, fn))
    },

    subscribe(listener: (change: StoreChange) => void) {
      ready()
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },

    close() {
      closing ??= (async () => {
        try {
          // Work already started finishes, including the transactions and updates queued behind it.
          while (running.size > 0) await Promise.allSettled([...running])
          await writer.finish()
          await parts.backup.finish()
        } finally {
          await parts.release()
        }
      })()
      return closing
    },
  }
}

function checkOptions(options: WriteOptions | undefined): void {
  const durability = options?.durability
  if (durability !== undefined && durability !== 'durable' && durability !== 'relaxed') {
    throw new SwitchboardError(500, 'store_invalid_options', `Write durability "${String(durability)}" is neither "durable" nor "relaxed".`)
  }
}

function checkPage(page: { after?: string; limit: number }): void {
  if (typeof page !== 'object' || page === null || !Number.isInteger(page.limit) || page.limit < 1) {
    throw new SwitchboardError(500, 'store_invalid_query', 'A scan needs a page { after?, limit } with a whole-number limit of 1 or more.')
  }
  if (page.after !== undefined && typeof page.after !== 'string') {
    throw new SwitchboardError(500, 'store_invalid_query', 'A scan page\'s "after" must be the id of the last record of the previous page.')
  }
}
