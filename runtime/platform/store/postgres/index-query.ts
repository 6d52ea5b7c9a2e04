/**
 * An {@link IndexQuery} as SQL over an index's generated columns: equality on the first columns, a range on
 * the next, ordered like the index (the remaining columns, then id; `desc` reverses all of it, so records
 * without a value come last ascending and first descending, as SQL's default NULLS LAST / NULLS FIRST put
 * them). Malformed queries are programming errors: 500 `store_invalid_query`, as the embedded engine says.
 */
import { SwitchboardError } from '../../../errors.ts'
import type { IndexQuery, IndexValue } from '../contract.ts'
import type { Table, TableIndex } from './schema.ts'

/** A parameterised statement for `pg`. */
export interface Sql {
  text: string
  values: unknown[]
}

const OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const

function invalid(message: string): SwitchboardError {
  return new SwitchboardError(500, 'store_invalid_query', message)
}

function isIndexValue(value: unknown): value is IndexValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
}

/** The index a query names, or 500 `store_invalid_query`. */
export function indexOf(table: Table, name: string): TableIndex {
  const index = table.indexes.get(name)
  if (index === undefined) throw invalid(`The ${table.collection} collection has no index "${name}".`)
  return index
}

interface Checked {
  equals: readonly IndexValue[]
  bounds: [keyof typeof OPERATORS, IndexValue][]
  order: 'ASC' | 'DESC'
  limit: number | undefined
}

function check(table: Table, index: TableIndex, query: IndexQuery): Checked {
  const where = `${table.collection} index ${index.name}`
  if (typeof query !== 'object' || query === null || !Array.isArray(query.equals)) {
    throw invalid(`A query on ${where} needs "equals", an array of values for its first fields.`)
  }
  const fields = index.columns
  if (query.equals.length > fields.length)
    throw invalid(`${where} has ${fields.length} fields; the query gives ${query.equals.length} values.`)
  query.equals.forEach((value, i) => {
    if (!isIndexValue(value)) throw invalid(`The query on ${where} gives no string, number or boolean for "${fields[i]!.field}".`)
  })
  const { range, order = 'asc', limit } = query
  if (order !== 'asc' && order !== 'desc') throw invalid(`The query on ${where} has order "${String(order)}"; use "asc" or "desc".`)
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw invalid(`The query on ${where} has limit ${String(limit)}; use a whole number, 0 or more.`)
  }
  const bounds = range === undefined ? [] : Object.entries(range).filter(([, value]) => value !== undefined)
  if (bounds.length > 0 && query.equals.length === fields.length) {
    throw invalid(`The query on ${where} gives every field in "equals", so there is none left for "range".`)
  }
  for (const [op, value] of bounds) {
    if (!Object.hasOwn(OPERATORS, op)) throw invalid(`The range of the query on ${where} has "${op}"; use gt, gte, lt or lte.`)
    if (!isIndexValue(value)) throw invalid(`The range of the query on ${where} gives no string, number or boolean.`)
  }
  return { equals: query.equals, bounds: bounds as Checked['bounds'], order: order === 'asc' ? 'ASC' : 'DESC', limit }
}

/**
 * The statement that finds (`select: 'data'`) or counts (`select: 'count'`) what a query matches.
 *
 * @example
 * indexSql(table, indexOf(table, 'byApp'), { equals: ['a1'], limit: 10 }, 'data')
 * // SELECT data FROM switchboard.connections WHERE app_id = $1::jsonb ORDER BY created_at ASC, id ASC LIMIT 10
 */
export function indexSql(table: Table, index: TableIndex, query: IndexQuery, select: 'data' | 'count'): Sql {
  const q = check(table, index, query)
  const values: unknown[] = []
  const param = (value: unknown) => `$${values.push(value)}`
  const json = (value: IndexValue) => `${param(JSON.stringify(value))}::jsonb`
  const what = select === 'data' ? 'data' : 'count(*)::int AS count'
  const limit = select === 'data' && q.limit !== undefined ? ` LIMIT ${q.limit}` : ''

  if (index.multi) {
    const column = index.columns[0]!.column
    if (q.equals.length === 1) {
      // Containment answered by the GIN index; each record once, in id order.
      const order = select === 'data' ? ` ORDER BY id ${q.order}` : ''
      return {
        text: `SELECT ${what} FROM ${table.qualified} WHERE ${column} @> jsonb_build_array(${json(q.equals[0]!)})${order}${limit}`,
        values,
      }
    }
    // Every record, at its first element in the query's order within the range (a record once, as in an
    // index with an entry per element); those without elements last. Not indexed: nothing asks this often.
    const inRange = q.bounds.map(([op, value]) => ` AND v ${OPERATORS[op]} ${json(value)}`).join('')
    const key = `(SELECT v FROM jsonb_array_elements(t.${column}) v WHERE true${inRange} ORDER BY v ${q.order} LIMIT 1)`
    const filter = q.bounds.length > 0 ? ' WHERE k IS NOT NULL' : ''
    const order = select === 'data' ? ` ORDER BY k ${q.order}, id ${q.order}` : ''
    return { text: `SELECT ${what} FROM (SELECT t.id, t.data, ${key} AS k FROM ${table.qualified} t) s${filter}${order}${limit}`, values }
  }

  const conditions = q.equals.map((value, i) => `${index.columns[i]!.column} = ${json(value)}`)
  const next = index.columns[q.equals.length]
  for (const [op, value] of q.bounds) conditions.push(`${next!.column} ${OPERATORS[op]} ${json(value)}`)
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''
  if (select === 'count') return { text: `SELECT ${what} FROM ${table.qualified}${where}`, values }
  const orderBy = [...index.columns.slice(q.equals.length).map((c) => c.column), 'id'].map((c) => `${c} ${q.order}`).join(', ')
  return { text: `SELECT ${what} FROM ${table.qualified}${where} ORDER BY ${orderBy}${limit}`, values }
}
