import type { IndexSpec } from '../collections.ts'
import type { StoreRecord } from '../contract.ts'
import type { CompiledQuery } from './index-query.ts'
import { type CompiledIndex, type IndexEntry, MISSING, compareEntries, compileIndex, compareValues, entriesOf, sameEntries } from './index-keys.ts'
import { SortedList } from './sorted-list.ts'

/**
 * One declared index of one collection, kept in memory as a sorted list of entries (values, then id). A query
 * seeks to its first entry and visits only what it returns; a count adds up chunk lengths; a uniqueness check
 * is one seek. Entries are added and removed as records change, and built in one sort when the store opens.
 *
 * @example
 * const byApp = new RecordIndex('byApp', { fields: ['appId', 'createdAt'] }, records)
 * byApp.select(compileQuery('connections', byApp.compiled, { equals: ['app_1'], limit: 10 }))
 */
export class RecordIndex {
  readonly compiled: CompiledIndex
  readonly #list: SortedList<IndexEntry>

  constructor(name: string, spec: IndexSpec, records: Iterable<StoreRecord>) {
    this.compiled = compileIndex(name, spec)
    const entries: IndexEntry[] = []
    for (const record of records) entries.push(...entriesOf(this.compiled, record))
    this.#list = SortedList.from(entries, compareEntries)
  }

  get unique(): boolean {
    return this.compiled.spec.unique === true
  }

  /** Moves a record's entries from what it was to what it is (either may be absent: an insert, a delete). */
  replace(before: StoreRecord | undefined, after: StoreRecord | undefined): void {
    const old = before ? entriesOf(this.compiled, before) : []
    const next = after ? entriesOf(this.compiled, after) : []
    // Most writes change no indexed field (a status, a counter): then the index is left as it is.
    if (sameEntries(old, next)) return
    for (const entry of old) this.#list.remove(entry)
    for (const entry of next) this.#list.insert(entry)
  }

  /**
   * The entries a query matches, in its order, at most `limit` of them (one per record: a record an array field
   * indexes several times comes once, where it first matches). `skip` leaves records out without counting them.
   */
  select(query: CompiledQuery, skip?: (id: string) => boolean, limit = query.limit): IndexEntry[] {
    const out: IndexEntry[] = []
    if (limit <= 0) return out
    const seen = this.compiled.multi ? new Set<string>() : undefined
    const visit = (entry: IndexEntry) => {
      if (skip?.(entry.id) || seen?.has(entry.id)) return true
      seen?.add(entry.id)
      out.push(entry)
      return out.length < limit
    }
    const from = this.#list.seek(query.start)
    const to = this.#list.seek(query.end)
    if (query.order === 'desc') this.#list.backward(from, to, visit)
    else this.#list.forward(from, to, visit)
    return out
  }

  /** How many records a query matches, `limit` aside. */
  count(query: CompiledQuery): number {
    const from = this.#list.seek(query.start)
    const to = this.#list.seek(query.end)
    if (!this.compiled.multi) return this.#list.distance(from, to)
    // An array field may index a record several times; those are counted once.
    const ids = new Set<string>()
    this.#list.forward(from, to, (entry) => {
      ids.add(entry.id)
      return true
    })
    return ids.size
  }

  /**
   * The id of a record other than those `ignore` accepts that holds the same values as `entry` (a unique index
   * clash), or undefined. An entry with a missing value never clashes, as NULLs do not in SQL.
   */
  holder(entry: IndexEntry, ignore: (id: string) => boolean): string | undefined {
    if (entry.values.includes(MISSING)) return undefined
    let found: string | undefined
    const from = this.#list.seek((e) => compareValues(e.values, entry.values) >= 0)
    this.#list.forward(from, this.#list.end(), (e) => {
      if (compareValues(e.values, entry.values) !== 0) return false
      if (e.id === entry.id || ignore(e.id)) return true
      found = e.id
      return false
    })
    return found
  }
}
