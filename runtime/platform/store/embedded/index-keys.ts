import type { IndexSpec } from '../collections.ts'
import type { IndexValue, StoreRecord } from '../contract.ts'

/**
 * What an index holds for a record that has no usable value at a field (absent, `null`, an object): it sorts
 * after every value, never equals one and never falls in a range, as SQL's NULL does in PostgreSQL's default
 * `NULLS LAST` order. A query that pins only the fields before it still finds the record.
 */
export const MISSING: unique symbol = Symbol('missing')

/** One field of an index key. */
export type KeyPart = IndexValue | typeof MISSING

/** One entry of an index: the record's values at the index's fields, then its id (which makes entries distinct). */
export interface IndexEntry {
  readonly values: readonly KeyPart[]
  readonly id: string
}

/** An index declaration made ready to read records with. */
export interface CompiledIndex {
  readonly name: string
  readonly spec: IndexSpec
  readonly paths: readonly Segment[][]
  /** Whether a field names each element of an array, so one record may have several entries. */
  readonly multi: boolean
}

interface Segment {
  readonly key: string
  readonly each: boolean
}

/**
 * Parses an index's field paths: `appId`, `config.region`, `members[].userId` (each element of `members`).
 *
 * @example
 * compileIndex('byMember', { fields: ['members[].userId'] }).multi // true
 */
export function compileIndex(name: string, spec: IndexSpec): CompiledIndex {
  const paths = spec.fields.map((field) =>
    field.split('.').map((part) => (part.endsWith('[]') ? { key: part.slice(0, -2), each: true } : { key: part, each: false })),
  )
  return { name, spec, paths, multi: paths.some((path) => path.some((segment) => segment.each)) }
}

/**
 * A record's entries in an index: one, or one per combination of values when a field names array elements
 * (the same value twice in an array gives one entry).
 *
 * @example
 * entriesOf(byMember, { id: 'app_1', members: [{ userId: 'u1' }, { userId: 'u2' }] })
 * // [{ values: ['u1'], id: 'app_1' }, { values: ['u2'], id: 'app_1' }]
 */
export function entriesOf(index: CompiledIndex, record: StoreRecord): IndexEntry[] {
  if (!index.multi) return [{ values: index.paths.map((path) => singleValue(record, path)), id: record.id }]
  let combinations: KeyPart[][] = [[]]
  for (const path of index.paths) {
    const values = valuesAt(record, path)
    combinations = combinations.flatMap((prefix) => values.map((value): KeyPart[] => [...prefix, value]))
  }
  return combinations.map((values) => ({ values, id: record.id }))
}

/** Whether two lists of entries (of one record in one index) hold the same keys: then a write leaves the index be. */
export function sameEntries(a: readonly IndexEntry[], b: readonly IndexEntry[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.id !== b[i]!.id || compareValues(a[i]!.values, b[i]!.values) !== 0) return false
  }
  return true
}

/**
 * Orders two key parts: booleans, then numbers, then strings (by UTF-16 code units, as `<` does), then MISSING.
 * A field holds one type in practice; the order between types only has to be total.
 *
 * @example
 * comparePart('a', 'b') // -1
 */
export function comparePart(a: KeyPart, b: KeyPart): number {
  if (a === b) return 0
  const byType = rank(a) - rank(b)
  if (byType !== 0) return byType
  return (a as string | number | boolean) < (b as string | number | boolean) ? -1 : 1
}

/**
 * Compares an entry's first `prefix.length` values with `prefix`: how an index is searched by a query.
 *
 * @example
 * compareValues(['app_1', '2025-01-01'], ['app_1']) // 0
 */
export function compareValues(values: readonly KeyPart[], prefix: readonly KeyPart[]): number {
  for (let i = 0; i < prefix.length; i++) {
    const order = comparePart(values[i]!, prefix[i]!)
    if (order !== 0) return order
  }
  return 0
}

/**
 * The order of an index: by values, then by id.
 *
 * @example
 * new SortedList<IndexEntry>(compareEntries)
 */
export function compareEntries(a: IndexEntry, b: IndexEntry): number {
  return compareValues(a.values, b.values) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** Whether a value can be held by an index (what {@link IndexValue} allows, and numbers JSON can write). */
export function isIndexValue(value: unknown): value is IndexValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
}

function rank(part: KeyPart): number {
  switch (typeof part) {
    case 'boolean':
      return 0
    case 'number':
      return 1
    case 'string':
      return 2
    default:
      return 3
  }
}

function singleValue(record: StoreRecord, path: readonly Segment[]): KeyPart {
  let value: unknown = record
  for (const { key } of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return MISSING
    value = (value as Record<string, unknown>)[key]
  }
  return isIndexValue(value) ? value : MISSING
}

function valuesAt(record: StoreRecord, path: readonly Segment[]): KeyPart[] {
  let values: unknown[] = [record]
  for (const { key, each } of path) {
    const next: unknown[] = []
    for (const value of values) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) continue
      const child = (value as Record<string, unknown>)[key]
      if (!each) next.push(child)
      else if (Array.isArray(child)) next.push(...child)
    }
    values = next
  }
  const found = [...new Set(values.filter(isIndexValue))]
  return found.length > 0 ? found : [MISSING]
}
