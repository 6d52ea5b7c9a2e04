import { SwitchboardError } from '../../../errors.ts'
import type { AnyIndexName, CollectionName, IndexQuery, StoreRecord, StoreTx } from '../contract.ts'
import { toStored } from '../internal/records.ts'
import { copyRecord } from './copy-record.ts'
import type { KeyLocks } from './key-locks.ts'
import { findWithStaged, stillHolds, uniqueKey } from './staged-find.ts'
import { type Change, checkCollection, type Tables, uniqueConflict } from './tables.ts'

/** What {@link createEmbeddedTx} returns to the engine. */
export interface EmbeddedTx {
  tx: StoreTx
  /** The staged changes, one per record, to commit when the transaction function has returned. */
  changes(): Change[]
  /** Ends the transaction: later calls on `tx` fail, and every record lock it took is let go. */
  end(): void
}

/**
 * One transaction's view of the store. Every record it reads by id or writes is locked for it (the same
 * per-record locks `update` takes) until it ends, so what it read stays true until it commits; writes are
 * staged and reads see them; index queries merge the staged records into what the index answers. The
 * engine runs one transaction at a time, which is what keeps incremental locking free of deadlocks: a
 * transaction only ever waits for a single-record operation, and that never waits for anything.
 *
 * @example
 * const { tx, changes, end } = createEmbeddedTx(tables, recordLocks)
 * try { await fn(tx); tables.commit(changes()) } finally { end() }
 */
export function createEmbeddedTx(tables: Tables, locks: KeyLocks): EmbeddedTx {
  const staged = new Map<CollectionName, Map<string, StoreRecord | null>>()
  const uniqueHolders = new Map<string, Set<string>>()
  const owned = new Map<string, Promise<void>>()
  const releases: (() => void)[] = []
  let ended = false

  const check = (collection: CollectionName) => {
    if (ended) throw new Error('This transaction has finished; use the store, not the transaction object.')
    checkCollection(collection)
  }
  const stagedIn = (collection: CollectionName) => {
    let records = staged.get(collection)
    if (records === undefined) staged.set(collection, (records = new Map()))
    return records
  }
  /** Takes the record's lock for the rest of the transaction (once, however often it is asked for). */
  const own = (collection: CollectionName, id: string): Promise<void> => {
    const key = `${collection}\u0000${id}`
    let owning = owned.get(key)
    if (owning === undefined) {
      owning = locks.acquire(key).then((release) => {
        // A call the function did not await may get its lock after the end: nothing may be held past it.
        if (ended) {
          release()
          throw new Error('This transaction finished before the record it asked for was free.')
        }
        releases.push(release)
      })
      owned.set(key, owning)
    }
    return owning
  }
  const current = (collection: CollectionName, id: string): StoreRecord | undefined => {
    const mine = staged.get(collection)
    if (mine?.has(id)) return mine.get(id) ?? undefined
    return tables.get(collection, id)
  }
  const checkUnique = (collection: CollectionName, record: StoreRecord) => {
    const mine = stagedIn(collection)
    for (const held of tables.uniqueEntries(collection, record)) {
      // A stored record this transaction has staged counts by its staged value, checked just below.
      if (held.index.holder(held.values, (id) => id === record.id || mine.has(id)) !== undefined) {
        throw uniqueConflict(collection, held.index)
      }
      const key = uniqueKey(collection, held)
      const holders = uniqueHolders.get(key) ?? new Set<string>()
      for (const other of holders) {
        const staged = mine.get(other)
        if (other !== record.id && staged && stillHolds(tables, collection, staged, held)) {
          throw uniqueConflict(collection, held.index)
        }
      }
      uniqueHolders.set(key, holders.add(record.id))
    }
  }
  const stage = async <T extends StoreRecord>(collection: CollectionName, record: T, insert: boolean) => {
    check(collection)
    const stored = toStored(collection, record)
    await own(collection, stored.id)
    check(collection)
    if (insert && current(collection, stored.id) !== undefined) {
      throw new SwitchboardError(409, 'conflict', `A record with id "${stored.id}" already exists in ${collection}.`)
    }
    checkUnique(collection, stored)
    stagedIn(collection).set(stored.id, stored)
    return copyRecord<T>(stored)
  }

  const tx: StoreTx = {
    async get<T extends StoreRecord>(collection: CollectionName, id: string) {
      check(collection)
      await own(collection, id)
      const record = current(collection, id)
      return record && copyRecord<T>(record)
    },
    async find<T extends StoreRecord = StoreRecord>(collection: CollectionName, index: AnyIndexName, query: IndexQuery) {
      check(collection)
      return findWithStaged(tables, collection, index, query, staged.get(collection)).map((r) => copyRecord<T>(r))
    },
    insert: (collection, record) => stage(collection, record, true),
    put: (collection, record) => stage(collection, record, false),
    async delete(collection: CollectionName, id: string) {
      check(collection)
      await own(collection, id)
      check(collection)
      const existed = current(collection, id) !== undefined
      if (existed) stagedIn(collection).set(id, null)
      return existed
    },
  }

  return {
    tx,
    changes: () => [...staged].flatMap(([collection, records]) => [...records].map(([id, record]) => ({ collection, id, record }))),
    end() {
      ended = true
      for (const release of releases.splice(0)) release()
    },
  }
}
