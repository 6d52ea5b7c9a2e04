import type { IndexSpec } from '../collections.ts'
import type { StoreRecord } from '../contract.ts'
import { type CompiledIndex, compareKeys, compileIndex, idOf, keysOf, SEP } from './index-keys.ts'
import type { CompiledQuery } from './index-query.ts'
import { type Cursor, SortedList } from './sorted-list.ts'

/**
 * One declared index of one collection, kept in memory as a sorted list of encoded entries (values, then id;
 * see `index-keys.ts`). A query seeks to its first entry and visits only what it returns; a count adds up chunk
 * lengths; a uniqueness check is one seek. Entries are added and removed as records change, and built in one
 * sort when the store opens.
 *
 * @example
 * const byApp = new RecordIndex('byApp', { fields: ['appId', 'createdAt'] }, records)
 * byApp.select(compileQuery('connections', byApp.compiled, { equals: ['app_1'], limit: 10 })).map(idOf)
 */
export class RecordIndex {
  readonly compiled: CompiledIndex
  readonly #list: SortedList<string>

  constructor(name: string, spec: IndexSpec, records: Iterable<StoreRecord>) {
    this.compiled = compileIndex(name, spec)
    const keys: string[] = []
    for (const record of records) keys.push(...keysOf(this.compiled, record))
    this.#list = SortedList.from(keys, compareKeys)
  }

  get unique(): boolean {
    return this.compiled.spec.unique === true
  }

  /** Moves a record's entries from what it was to what it is (either may be absent: an insert, a delete). */
  replace(before: StoreRecord | undefined, after: StoreRecord | undefined): void {
    const old = before ? keysOf(this.compiled, before) : []
    const next = after ? keysOf(this.compiled, after) : []
    // Most writes change no indexed field (a status, a counter): then the index is left as it is.
    if (old.length === next.length && old.every((key, i) => key === next[i])) return
    for (const key of old) this.#list.remove(key)
    for (const key of next) this.#list.insert(key)
  }

  /**
   * The entries a query matches, in its order, at most `limit` of them (one per record: a record an array field
   * indexes several times comes once, where it first matches). `skip` leaves records out without counting them.
   */
  select(query: CompiledQuery, skip?: (id: string) => boolean, limit = query.limit): string[] {
    const out: string[] = []
    if (limit <= 0) return out
    const seen = this.compiled.multi ? new Set<string>() : undefined
    const visit = (key: string) => {
      if (skip !== undefined || seen !== undefined) {
        const id = idOf(key)
        if (skip?.(id) || seen?.has(id)) return true
        seen?.add(id)
      }
      out.push(key)
      return out.length < limit
    }
    const [from, to] = this.#bounds(query)
    if (query.order === 'desc') this.#list.backward(from, to, visit)
    else this.#list.forward(from, to, visit)
    return out
  }

  /** How many records a query matches, `limit` aside. */
  count(query: CompiledQuery): number {
    const [from, to] = this.#bounds(query)
    if (!this.compiled.multi) return this.#list.distance(from, to)
    // An array field may index a record several times; those are counted once.
    const ids = new Set<string>()
    this.#list.forward(from, to, (key) => {
      ids.add(idOf(key))
      return true
    })
    return ids.size
  }

  /** The id of a record, other than those `ignore` accepts, whose entry holds the encoded `values`. */
  holder(values: string, ignore: (id: string) => boolean): string | undefined {
    const head = values + SEP
    let found: string | undefined
    this.#list.forward(
      this.#list.seek((key) => key >= head),
      this.#list.end(),
      (key) => {
        if (!key.startsWith(head)) return false
        const id = idOf(key)
        if (ignore(id)) return true
        found = id
        return false
      },
    )
    return found
  }

  #bounds(query: CompiledQuery): [Cursor, Cursor] {
    const { start, end } = query
    const from = this.#list.seek((key) => key >= start)
    return [from, end === undefined ? this.#list.end() : this.#list.seekFrom(from, (key) => key >= end)]
  }
}
