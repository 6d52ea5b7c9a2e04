import type { CollectionName, StoreRecord, StoreTx } from '../types.ts'
import { checkCollection, copyOut, toStored } from './records.ts'

type Tables = (collection: CollectionName) => Record<string, StoreRecord>

/**
 * A staged change: the record to store, or null to delete.
 *
 * @example
 * const change: Change = { collection: 'connections', id: 'c1', record: null }
 */
export type Change = { collection: CollectionName; id: string; record: StoreRecord | null }

/**
 * A transaction's view: changes are staged on top of the live tables and only applied (all at once, by the
 * caller) when the transaction function has returned, so a throw leaves the store untouched.
 *
 * @example
 * const { tx, changes, end } = createTx((collection) => tables[collection] ?? {})
 * tx.delete('connections', 'c1'); end(); apply(changes())
 */
export function createTx(tables: Tables): { tx: StoreTx; changes: () => Change[]; end: () => void } {
  const staged = new Map<string, Change>()
  let ended = false
  const key = (collection: string, id: string) => `${collection}\u0000${id}`
  const check = (collection: CollectionName) => {
    if (ended) throw new Error('This transaction has finished; use the store, not the transaction object.')
    checkCollection(collection)
  }
  const current = (collection: CollectionName, id: string): StoreRecord | undefined => {
    const change = staged.get(key(collection, id))
    if (change) return change.record ?? undefined
    return Object.hasOwn(tables(collection), id) ? tables(collection)[id] : undefined
  }

  const tx: StoreTx = {
    get<T extends StoreRecord>(collection: CollectionName, id: string) {
      check(collection)
      const record = current(collection, id)
      return record && copyOut<T>(record)
    },
    list<T extends StoreRecord>(collection: CollectionName, filter?: (r: T) => boolean) {
      check(collection)
      const ids = new Set(Object.keys(tables(collection)))
      for (const change of staged.values()) if (change.collection === collection) ids.add(change.id)
      const out: T[] = []
      for (const id of ids) {
        const record = current(collection, id) as T | undefined
        if (record && (!filter || filter(record))) out.push(copyOut<T>(record))
      }
      return out
    },
    put<T extends StoreRecord>(collection: CollectionName, record: T) {
      check(collection)
      const stored = toStored(collection, record)
      staged.set(key(collection, stored.id), { collection, id: stored.id, record: stored })
      return copyOut<T>(stored)
    },
    delete(collection: CollectionName, id: string) {
      check(collection)
      const existed = current(collection, id) !== undefined
      staged.set(key(collection, id), { collection, id, record: null })
      return existed
    },
  }
  return {
    tx,
    changes: () => [...staged.values()],
    end: () => {
      ended = true
    },
  }
}
