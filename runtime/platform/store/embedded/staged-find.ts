import type { CollectionName, IndexQuery, StoreRecord } from '../contract.ts'
import { compareKeys, idOf, keysOf } from './index-keys.ts'
import { matches } from './index-query.ts'
import type { Tables, UniqueEntry } from './tables.ts'

/**
 * An index query as a transaction sees it: the stored records it has not touched, from the index, merged with
 * the records it has staged (null: deleted), which are not in the index yet. Only the staged records are
 * matched one by one, so the cost grows with the transaction, not with the collection.
 *
 * @example
 * findWithStaged(tables, 'connections', 'byApp', { equals: ['app_1'] }, new Map([['c9', stagedRecord]]))
 */
export function findWithStaged(
  tables: Tables,
  collection: CollectionName,
  index: string,
  query: IndexQuery,
  staged: ReadonlyMap<string, StoreRecord | null> | undefined,
): StoreRecord[] {
  const compiled = tables.compile(collection, index, query)
  if (staged === undefined || staged.size === 0) {
    return compiled.index.select(compiled.query).map((key) => tables.get(collection, idOf(key))!)
  }
  const keys = compiled.index.select(compiled.query, (id) => staged.has(id))
  for (const record of staged.values()) {
    if (record === null) continue
    for (const key of keysOf(compiled.index.compiled, record)) if (matches(compiled.query, key)) keys.push(key)
  }
  keys.sort(compiled.query.order === 'desc' ? (a, b) => compareKeys(b, a) : compareKeys)
  const out: StoreRecord[] = []
  const seen = new Set<string>()
  for (const id of keys.map(idOf)) {
    if (out.length >= compiled.query.limit) break
    if (seen.has(id)) continue
    seen.add(id)
    out.push(staged.get(id) ?? tables.get(collection, id)!)
  }
  return out
}

/**
 * Whether a staged record still holds a unique entry's values (it may have been staged again since).
 *
 * @example
 * stillHolds(tables, 'users', stagedUser, { index: byEmail, entry }) // true
 */
export function stillHolds(tables: Tables, collection: CollectionName, record: StoreRecord, held: UniqueEntry): boolean {
  return tables.uniqueEntries(collection, record).some(({ index, values }) => index === held.index && values === held.values)
}

/** A key for a unique index's values, to look staged holders up by. */
export function uniqueKey(collection: string, { index, values }: UniqueEntry): string {
  return `${collection}\u0000${index.compiled.name}\u0000${values}`
}
