import { SwitchboardError } from '../../../errors.ts'
import { COLLECTIONS } from '../collections.ts'
import type { CollectionName, IndexQuery, StoreRecord } from '../contract.ts'
import { emptyTable } from '../internal/records.ts'
import type { StoreFile } from '../types.ts'
import { encodeValues, hasMissing, idOf, valuesOf } from './index-keys.ts'
import { type CompiledQuery, compileQuery } from './index-query.ts'
import { RecordIndex } from './record-index.ts'
import { SortedList } from './sorted-list.ts'

/**
 * A change to apply: the record to store (frozen, as `toStored` makes it), or null to delete.
 *
 * @example
 * const change: Change = { collection: 'connections', id: 'c1', record: null }
 */
export interface Change {
  collection: CollectionName
  id: string
  record: StoreRecord | null
}

/** A record's values in a unique index (encoded), for checking them against other records'. */
export interface UniqueEntry {
  index: RecordIndex
  values: string
  id: string
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The store's data in memory: the records as the file holds them (what lowdb writes), and beside them every
 * index declared in {@link COLLECTIONS} and each collection's ids in order. Every change goes through
 * {@link Tables.commit}, which checks unique indexes for the whole batch first and then applies all of it, so the
 * indexes never disagree with the records. Records handed out are the stored frozen ones: callers copy.
 *
 * @example
 * const tables = new Tables(loaded.data)
 * tables.commit([{ collection: 'apps', id: 'a1', record: toStored('apps', { id: 'a1' }) }])
 * tables.find('apps', 'byMember', { equals: ['u1'] })
 */
export class Tables {
  readonly data: StoreFile
  readonly #indexes = new Map<string, ReadonlyMap<string, RecordIndex>>()
  readonly #ids = new Map<string, SortedList<string>>()

  constructor(data: StoreFile) {
    this.data = data
    for (const [collection, spec] of Object.entries(COLLECTIONS)) {
      const records = Object.values(data.collections[collection] ?? {})
      const indexes = new Map<string, RecordIndex>()
      for (const [name, index] of Object.entries(spec.indexes)) indexes.set(name, new RecordIndex(name, index, records))
      this.#indexes.set(collection, indexes)
      this.#ids.set(
        collection,
        SortedList.from(
          records.map((r) => r.id),
          compareIds,
        ),
      )
    }
  }

  get(collection: CollectionName, id: string): StoreRecord | undefined {
    const table = this.data.collections[collection]
    return table !== undefined && Object.hasOwn(table, id) ? table[id] : undefined
  }

  /** The index, or 500 `store_invalid_query` for a name {@link COLLECTIONS} does not declare. */
  index(collection: CollectionName, name: string): RecordIndex {
    const index = this.#indexes.get(collection)?.get(name)
    if (index === undefined) {
      throw new SwitchboardError(500, 'store_invalid_query', `The ${collection} collection has no index "${name}".`)
    }
    return index
  }

  compile(collection: CollectionName, index: string, query: IndexQuery): { index: RecordIndex; query: CompiledQuery } {
    const found = this.index(collection, index)
    return { index: found, query: compileQuery(collection, found.compiled, query) }
  }

  find(collection: CollectionName, index: string, query: IndexQuery): StoreRecord[] {
    const compiled = this.compile(collection, index, query)
    return compiled.index.select(compiled.query).map((key) => this.get(collection, idOf(key))!)
  }

  count(collection: CollectionName, index: string, query: IndexQuery): number {
    const compiled = this.compile(collection, index, query)
    return compiled.index.count(compiled.query)
  }

  /** Up to `limit` records with ids after `after`, in id order. */
  scan(collection: CollectionName, after: string | undefined, limit: number): StoreRecord[] {
    const ids = this.#ids.get(collection)!
    const from = after === undefined ? { chunk: 0, index: 0 } : ids.seek((id) => id > after)
    const out: StoreRecord[] = []
    if (limit > 0) ids.forward(from, ids.end(), (id) => out.push(this.get(collection, id)!) < limit)
    return out
  }

  /** A record's entries in its collection's unique indexes that could clash (none with a missing value). */
  uniqueEntries(collection: CollectionName, record: StoreRecord): UniqueEntry[] {
    const out: UniqueEntry[] = []
    for (const index of this.#indexes.get(collection)!.values()) {
      if (!index.unique) continue
      for (const values of valuesOf(index.compiled, record)) {
        const encoded = encodeValues(values)
        if (!hasMissing(encoded)) out.push({ index, values: encoded, id: record.id })
      }
    }
    return out
  }

  /**
   * Applies a batch all or nothing: 409 `conflict` (and nothing changed) when a record would share a unique
   * index's values with another, stored or in the batch. Returns what changed (a delete of nothing is no change).
   */
  commit(changes: readonly Change[]): Change[] {
    this.#checkUnique(changes)
    const applied: Change[] = []
    for (const { collection, id, record } of changes) {
      const before = this.get(collection, id)
      if (before === undefined && record === null) continue
      const table = (this.data.collections[collection] ??= emptyTable())
      if (record === null) delete table[id]
      else table[id] = record
      for (const index of this.#indexes.get(collection)!.values()) index.replace(before, record ?? undefined)
      if (before === undefined) this.#ids.get(collection)!.insert(id)
      else if (record === null) this.#ids.get(collection)!.remove(id)
      applied.push({ collection, id, record })
    }
    return applied
  }

  #checkUnique(changes: readonly Change[]): void {
    // Records the batch changes are judged by their new values only, so a batch may move a unique value.
    const changed = new Set(changes.map((c) => `${c.collection}\u0000${c.id}`))
    const taken = new Map<string, string>()
    for (const { collection, id, record } of changes) {
      if (record === null) continue
      for (const { index, values } of this.uniqueEntries(collection, record)) {
        if (index.holder(values, (other) => changed.has(`${collection}\u0000${other}`)) !== undefined) {
          throw uniqueConflict(collection, index)
        }
        const key = `${collection}\u0000${index.compiled.name}\u0000${values}`
        const other = taken.get(key)
        if (other !== undefined && other !== id) throw uniqueConflict(collection, index)
        taken.set(key, id)
      }
    }
  }
}

/**
 * The 409 for a unique index clash. It names the fields, never the values: an email is nobody else's business.
 *
 * @example
 * throw uniqueConflict('users', tables.index('users', 'byEmail'))
 */
export function uniqueConflict(collection: string, index: RecordIndex): SwitchboardError {
  const { name, spec } = index.compiled
  return new SwitchboardError(
    409,
    'conflict',
    `Another ${collection} record already has the same ${spec.fields.join(', ')} (unique index ${name}).`,
    { details: { collection, index: name } },
  )
}

/**
 * Rejects a collection {@link COLLECTIONS} does not declare, for callers the type system did not check.
 *
 * @example
 * checkCollection('conections') // throws 500 store_invalid_record
 */
export function checkCollection(collection: string): asserts collection is CollectionName {
  if (!Object.hasOwn(COLLECTIONS, collection)) {
    throw new SwitchboardError(500, 'store_invalid_record', `Unknown store collection "${String(collection)}".`)
  }
}
