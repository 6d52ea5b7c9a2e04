import type { Low } from 'lowdb'
import { SwitchboardError } from '../../../errors.ts'
import type { CollectionName, Store, StoreFile, StoreRecord, StoreTx } from '../types.ts'
import type { BackupKeeper } from './backup.ts'
import { createLockTable } from './lock-table.ts'
import { checkCollection, copyOut, emptyTable, toStored } from './records.ts'
import { createTx } from './transaction.ts'
import { createWriteCoalescer } from './write-coalescer.ts'

const NO_RECORDS: Readonly<Record<string, StoreRecord>> = Object.freeze(emptyTable())

/**
 * The {@link Store} over a loaded lowdb database. Every mutation changes the in-memory data inside its lock,
 * asks for a write while still holding it (so the change is in that write's snapshot, and `close` cannot miss
 * it), then releases the lock and waits for the write outside it: waiting callers share writes.
 *
 * @example
 * const store = createStoreEngine(new Low(file, data), { path: file.path, backup, release: () => lock.release() })
 */
export function createStoreEngine(db: Low<StoreFile>, parts: { path: string; backup: BackupKeeper; release: () => Promise<void> }): Store {
  const locks = createLockTable()
  let lastWriteFailed = false
  const writer = createWriteCoalescer(async () => {
    try {
      await db.write()
      lastWriteFailed = false
    } catch (cause) {
      lastWriteFailed = true
      // The change stays in memory (later operations may already build on it) and goes out with the next write.
      throw new SwitchboardError(
        503,
        'store_write_failed',
        `Could not write ${parts.path} (${(cause as Error).message}); ` +
          'the change is not durable yet and will be retried with the next write.',
        { cause },
      )
    }
  })
  let closing: Promise<void> | undefined

  const ready = (collection: CollectionName) => {
    if (closing) throw new SwitchboardError(503, 'store_closed', 'The store is closed.')
    checkCollection(collection)
  }
  const peek = (collection: CollectionName) => db.data.collections[collection] ?? NO_RECORDS
  const table = (collection: CollectionName) => (db.data.collections[collection] ??= emptyTable())
  const lookup = (collection: CollectionName, id: string) => {
    const records = peek(collection)
    return Object.hasOwn(records, id) ? records[id] : undefined
  }
  const key = (collection: string, id: string) => `${collection}\u0000${id}`

  return {
    async get<T extends StoreRecord>(collection: CollectionName, id: string) {
      ready(collection)
      const record = lookup(collection, id)
      return record && copyOut<T>(record)
    },

    async list<T extends StoreRecord>(collection: CollectionName, filter?: (r: T) => boolean) {
      ready(collection)
      const out: T[] = []
      for (const record of Object.values(peek(collection)) as T[]) {
        if (!filter || filter(record)) out.push(copyOut<T>(record))
      }
      return out
    },

    async insert<T extends StoreRecord>(collection: CollectionName, record: T) {
      ready(collection)
      const stored = toStored(collection, record)
      const { flushed } = await locks.record(key(collection, stored.id), () => {
        if (lookup(collection, stored.id)) {
          throw new SwitchboardError(409, 'conflict', `A record with id "${stored.id}" already exists in ${collection}.`)
        }
        table(collection)[stored.id] = stored
        return { flushed: writer.flush() }
      })
      await flushed
      return copyOut<T>(stored)
    },

    async update<T extends StoreRecord>(
      collection: CollectionName,
      id: string,
      updater: (current: T | undefined) => T | undefined | Promise<T | undefined>,
    ) {
      ready(collection)
      const { value, flushed } = await locks.record(key(collection, id), async () => {
        const current = lookup(collection, id)
        const next = await updater(current && copyOut<T>(current))
        if (next === undefined) {
          if (current === undefined) return { value: undefined, flushed: undefined }
          delete table(collection)[id]
        } else table(collection)[id] = toStored(collection, next, id)
        return { value: next && lookup(collection, id), flushed: writer.flush() }
      })
      await flushed
      return value && copyOut<T>(value)
    },

    async delete(collection: CollectionName, id: string) {
      ready(collection)
      const { existed, flushed } = await locks.record(key(collection, id), () => {
        if (lookup(collection, id) === undefined) return { existed: false, flushed: undefined }
        delete table(collection)[id]
        return { existed: true, flushed: writer.flush() }
      })
      await flushed
      return existed
    },

    async transaction<R>(fn: (tx: StoreTx) => R | Promise<R>) {
      if (closing) throw new SwitchboardError(503, 'store_closed', 'The store is closed.')
      const { result, flushed } = await locks.exclusive(async () => {
        const { tx, changes, end } = createTx(peek)
        let result: R
        try {
          result = await fn(tx)
        } finally {
          end()
        }
        const staged = changes()
        for (const change of staged) {
          if (change.record) table(change.collection)[change.id] = change.record
          else if (lookup(change.collection, change.id)) delete table(change.collection)[change.id]
        }
        return { result, flushed: staged.length > 0 ? writer.flush() : undefined }
      })
      await flushed
      return result
    },

    close() {
      closing ??= (async () => {
        try {
          await locks.exclusive(() => {})
          await writer.idle()
          // Do not walk away from changes whose write failed without one more try (which throws if it fails).
          if (lastWriteFailed) await writer.flush()
          await parts.backup.finish()
        } finally {
          await parts.release()
        }
      })()
      return closing
    },
  }
}
