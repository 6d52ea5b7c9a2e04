import { SwitchboardError } from '../../../errors.ts'
import type { IndexQuery } from '../contract.ts'
import { AFTER_SEP, type CompiledIndex, encodeValues, isIndexValue, MISSING, SEP } from './index-keys.ts'

/**
 * A query turned into bounds on the encoded entries: it matches the entries from `start` (inclusive) up to
 * `end` (exclusive; the end of the index when undefined).
 */
export interface CompiledQuery {
  readonly start: string
  readonly end: string | undefined
  readonly order: 'asc' | 'desc'
  /** `Infinity` when the query sets none. */
  readonly limit: number
}

/**
 * Checks a query against its index and compiles it. A malformed query is a programming error, reported as
 * 500 `store_invalid_query` naming what is wrong, rather than an empty answer that hides the bug.
 *
 * @example
 * const q = compileQuery('audit', byApp, { equals: ['default'], range: { lt: 900 }, order: 'desc', limit: 50 })
 */
export function compileQuery(collection: string, index: CompiledIndex, query: IndexQuery): CompiledQuery {
  const where = `${collection} index ${index.name}`
  if (typeof query !== 'object' || query === null || !Array.isArray(query.equals)) {
    throw invalid(`A query on ${where} needs "equals", an array of values for its first fields.`)
  }
  const fields = index.spec.fields
  const equals = query.equals as readonly unknown[]
  if (equals.length > fields.length) throw invalid(`${where} has ${fields.length} fields; the query gives ${equals.length} values.`)
  equals.forEach((value, i) => {
    if (!isIndexValue(value)) throw invalid(`The query on ${where} gives no string, number or boolean for "${fields[i]}".`)
  })
  const { range, order = 'asc', limit } = query
  if (order !== 'asc' && order !== 'desc') throw invalid(`The query on ${where} has order "${String(order)}"; use "asc" or "desc".`)
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw invalid(`The query on ${where} has limit ${String(limit)}; use a whole number, 0 or more.`)
  }
  // Every entry whose first fields equal `equals` begins with `head`.
  const head = equals.length > 0 ? encodeValues(equals as readonly string[]) + SEP : ''
  let start = head
  let end = equals.length > 0 ? head.slice(0, -1) + AFTER_SEP : undefined
  const bounds = range === undefined ? [] : Object.entries(range).filter(([, value]) => value !== undefined)
  if (bounds.length > 0) {
    const field = fields[equals.length]
    if (field === undefined) throw invalid(`The query on ${where} gives every field in "equals", so there is none left for "range".`)
    const lower = (key: string) => void (start = key > start ? key : start)
    const upper = (key: string) => void (end = end === undefined || key < end ? key : end)
    for (const [op, value] of bounds) {
      if (!isIndexValue(value)) throw invalid(`The range of the query on ${where} gives no string, number or boolean for "${field}".`)
      // Entries whose ranged field equals `value` begin with `at` + SEP; `at` + AFTER_SEP is past all of them.
      const at = head + encodeValues([value])
      if (op === 'gt') lower(at + AFTER_SEP)
      else if (op === 'gte') lower(at + SEP)
      else if (op === 'lt') upper(at + SEP)
      else if (op === 'lte') upper(at + AFTER_SEP)
      else throw invalid(`The range of the query on ${where} has "${op}"; use gt, gte, lt or lte.`)
    }
    // A record without a value at the ranged field sorts after every value, so a range stops before it.
    upper(head + encodeValues([MISSING]))
  }
  return { start, end, order, limit: limit ?? Number.POSITIVE_INFINITY }
}

/**
 * Whether one entry matches a compiled query (for records a transaction has staged, which are not in the index).
 *
 * @example
 * matches(q, key) // true when q.start <= key < q.end
 */
export function matches(query: CompiledQuery, key: string): boolean {
  return key >= query.start && (query.end === undefined || key < query.end)
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError(500, 'store_invalid_query', message)
}
