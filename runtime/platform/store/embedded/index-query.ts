import { SwitchboardError } from '../../../errors.ts'
import type { IndexQuery } from '../contract.ts'
import { type CompiledIndex, type IndexEntry, type KeyPart, MISSING, compareValues, isIndexValue } from './index-keys.ts'

/**
 * A query turned into two monotone predicates over the index order: the matching entries are those from the
 * first entry `start` holds for up to (not including) the first entry `end` holds for.
 */
export interface CompiledQuery {
  readonly start: (entry: IndexEntry) => boolean
  readonly end: (entry: IndexEntry) => boolean
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
 * q.start({ values: ['default', 12], id: 'a12' }) // true
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
  const prefix = equals as readonly KeyPart[]
  const { range, order = 'asc', limit } = query
  if (order !== 'asc' && order !== 'desc') throw invalid(`The query on ${where} has order "${String(order)}"; use "asc" or "desc".`)
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw invalid(`The query on ${where} has limit ${String(limit)}; use a whole number, 0 or more.`)
  }
  const starts: ((entry: IndexEntry) => boolean)[] = []
  const ends: ((entry: IndexEntry) => boolean)[] = []
  const bounds = range === undefined ? [] : Object.entries(range).filter(([, value]) => value !== undefined)
  if (bounds.length > 0) {
    const field = fields[prefix.length]
    if (field === undefined) throw invalid(`The query on ${where} gives every field in "equals", so there is none left for "range".`)
    for (const [op, value] of bounds) {
      if (!isIndexValue(value)) throw invalid(`The range of the query on ${where} gives no string, number or boolean for "${field}".`)
      const at = [...prefix, value]
      if (op === 'gt') starts.push((e) => compareValues(e.values, at) > 0)
      else if (op === 'gte') starts.push((e) => compareValues(e.values, at) >= 0)
      else if (op === 'lt') ends.push((e) => compareValues(e.values, at) >= 0)
      else if (op === 'lte') ends.push((e) => compareValues(e.values, at) > 0)
      else throw invalid(`The range of the query on ${where} has "${op}"; use gt, gte, lt or lte.`)
    }
    // A record without a value at the ranged field sorts after every value, so a range must stop before it.
    const missing: KeyPart[] = [...prefix, MISSING]
    ends.push((e) => compareValues(e.values, missing) >= 0)
  }
  starts.push((e) => compareValues(e.values, prefix) >= 0)
  ends.push((e) => compareValues(e.values, prefix) > 0)
  return {
    start: (entry) => starts.every((holds) => holds(entry)),
    end: (entry) => ends.some((holds) => holds(entry)),
    order,
    limit: limit ?? Number.POSITIVE_INFINITY,
  }
}

/**
 * Whether one entry matches a compiled query (for records a transaction has staged, which are not in the index).
 *
 * @example
 * matches(q, { values: ['default', 12], id: 'a12' }) // true
 */
export function matches(query: CompiledQuery, entry: IndexEntry): boolean {
  return query.start(entry) && !query.end(entry)
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError(500, 'store_invalid_query', message)
}
