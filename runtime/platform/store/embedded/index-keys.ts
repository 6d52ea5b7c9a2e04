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

/**
 * Index entries are single strings whose plain string order (`<`) is the index order: each field as a type tag
 * and its value, fields separated by SEP, then the record's id. One comparison is then one native string
 * compare of one object, where a tuple of values costs a walk through several objects: at 100,000 records those
 * are cache misses, and they were what made lookups slower as the store grew.
 *
 * SEP sorts below every tag, so a shorter value comes before a longer one it begins (as `<` orders strings);
 * inside a string SEP and ESC are escaped by ESC, which keeps their order.
 */
export const SEP = '\u0000'
const ESC = '\u0001'
/** What follows SEP in no entry: a key ending in it bounds every entry that continues with SEP there. */
export const AFTER_SEP = '\u0001'
const TAG = { boolean: '\u0002', number: '\u0003', string: '\u0004', missing: '\u0005' } as const

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
 * A record's values at an index's fields: one tuple, or one per combination of values when a field names
 * array elements (the same value twice in an array gives one tuple).
 *
 * @example
 * valuesOf(byMember, { id: 'app_1', members: [{ userId: 'u1' }, { userId: 'u2' }] }) // [['u1'], ['u2']]
 */
export function valuesOf(index: CompiledIndex, record: StoreRecord): KeyPart[][] {
  if (!index.multi) return [index.paths.map((path) => singleValue(record, path))]
  let combinations: KeyPart[][] = [[]]
  for (const path of index.paths) {
    const values = valuesAt(record, path)
    combinations = combinations.flatMap((prefix) => values.map((value): KeyPart[] => [...prefix, value]))
  }
  return combinations
}

/**
 * A record's entries in an index, encoded.
 *
 * @example
 * keysOf(byMember, { id: 'app_1', members: [{ userId: 'u1' }] }) // ['\u0004u1\u0000app_1']
 */
export function keysOf(index: CompiledIndex, record: StoreRecord): string[] {
  const id = escape(record.id)
  return valuesOf(index, record).map((values) => `${encodeValues(values)}${SEP}${id}`)
}

/**
 * Encodes a tuple of values (a prefix of an index's fields): every entry holding those values begins with
 * the result followed by SEP.
 *
 * @example
 * encodeValues(['app_1', 12]) // '\u0004app_1\u0000\u0003c028…'
 */
export function encodeValues(values: readonly KeyPart[]): string {
  return values.map(encodePart).join(SEP)
}

/** Whether an encoded tuple holds a missing value (a tag only ever follows SEP or starts the key). */
export function hasMissing(encoded: string): boolean {
  return encoded.startsWith(TAG.missing) || encoded.includes(SEP + TAG.missing)
}

/**
 * The record id an entry ends in.
 *
 * @example
 * idOf('\u0004u1\u0000app_1') // 'app_1'
 */
export function idOf(key: string): string {
  return unescape(key.slice(key.lastIndexOf(SEP) + 1))
}

/** The encoded values of an entry, without its id. */
export function valuesKeyOf(key: string): string {
  return key.slice(0, key.lastIndexOf(SEP))
}

/** The order of entries: plain string order, which is what the encoding is for. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Whether a value can be held by an index (what {@link IndexValue} allows, and numbers JSON can write). */
export function isIndexValue(value: unknown): value is IndexValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
}

const float = new DataView(new ArrayBuffer(8))

function encodePart(part: KeyPart): string {
  switch (typeof part) {
    case 'boolean':
      return TAG.boolean + (part ? '1' : '0')
    case 'number': {
      // IEEE 754 bits, made to sort as the numbers do: flip all bits of negatives, only the sign of the rest.
      float.setFloat64(0, part + 0) // + 0 turns -0 into 0, as JSON does
      let high = float.getUint32(0)
      let low = float.getUint32(4)
      if (high >>> 31) [high, low] = [~high >>> 0, ~low >>> 0]
      else high = (high | 0x8000_0000) >>> 0
      return TAG.number + high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0')
    }
    case 'string':
      return TAG.string + escape(part)
    default:
      return TAG.missing
  }
}

function escape(text: string): string {
  return /[\u0000\u0001]/.test(text) ? text.replace(/[\u0000\u0001]/g, (c) => (c === SEP ? ESC + ESC : `${ESC}\u0002`)) : text
}

function unescape(text: string): string {
  return text.includes(ESC) ? text.replace(/\u0001[\u0001\u0002]/g, (pair) => (pair === ESC + ESC ? SEP : ESC)) : text
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
