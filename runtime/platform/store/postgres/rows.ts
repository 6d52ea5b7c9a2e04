/**
 * Reading and writing one record of one table, on whatever can run a query: the pool (a statement of its
 * own) or a client inside a transaction. Records go in as JSON text and come out parsed by the driver, so
 * every record handed out is a fresh copy.
 */
import type { QueryResultRow } from 'pg'
import { SwitchboardError } from '../../../errors.ts'
import type { CollectionName, StoreRecord } from '../contract.ts'
import { isUniqueViolation } from './errors.ts'
import { TABLES, type Table } from './schema.ts'

/** A pool or a client: anything with `query`. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
}

function invalid(message: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError(500, 'store_invalid_record', message, { cause })
}

/**
 * The table of a collection, or 500 `store_invalid_record` for a name `collections.ts` does not declare.
 *
 * @example
 * tableOf('connections').qualified // 'switchboard.connections'
 */
export function tableOf(collection: CollectionName): Table {
  const table = typeof collection === 'string' ? TABLES.get(collection) : undefined
  if (table === undefined) throw invalid(`Unknown store collection "${String(collection)}".`)
  return table
}

/**
 * A record as the JSON text to store, after checking it is an object with a non-empty string id (the one
 * expected, for an update) that JSON can write.
 *
 * @example
 * const json = recordJson('apps', { id: 'a1', name: 'Demo' })
 */
export function recordJson(collection: CollectionName, record: unknown, expectedId?: string): string {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw invalid(`A ${collection} record must be an object.`)
  const id = (record as { id?: unknown }).id
  if (typeof id !== 'string' || id === '') throw invalid(`A ${collection} record needs a non-empty string id.`)
  if (expectedId !== undefined && id !== expectedId) {
    throw invalid(`An update of ${collection} "${expectedId}" returned a record with id "${id}"; ids cannot change.`)
  }
  try {
    return JSON.stringify(record)
  } catch (cause) {
    throw invalid(`The ${collection} record "${id}" cannot be stored as JSON (${(cause as Error).message}).`, cause)
  }
}

/** The 409 for a write a unique index refused; names the fields, never the values. */
export function uniqueConflict(table: Table, constraint: string | undefined): SwitchboardError {
  const index = [...table.indexes.values()].find((i) => i.sqlName === constraint)
  if (index === undefined) {
    return new SwitchboardError(409, 'conflict', `A ${table.collection} record with this id already exists.`, {
      details: { collection: table.collection },
    })
  }
  const fields = index.columns.map((c) => c.field).join(', ')
  return new SwitchboardError(
    409,
    'conflict',
    `Another ${table.collection} record already has the same ${fields} (unique index ${index.name}).`,
    {
      details: { collection: table.collection, index: index.name },
    },
  )
}

/**
 * The advisory lock key that stands for a record's id while no row exists to lock: taken by every
 * read-to-write of a missing record (`update`, `tx.get`), so two of them cannot both create it.
 */
export function missingRowKey(table: Table, id: string): string {
  return `switchboard:row:${table.collection}:${id}`
}

/** The record, or undefined; `lock` holds its row until the transaction ends (`SELECT … FOR UPDATE`). */
export async function readRow<T extends StoreRecord>(db: Queryable, table: Table, id: string, lock = false): Promise<T | undefined> {
  const { rows } = await db.query<{ data: T }>(`SELECT data FROM ${table.qualified} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])
  return rows[0]?.data
}

/**
 * Inserts, or throws 409 `conflict` when the id or a unique value is taken. Inside a transaction the failing
 * statement runs under a savepoint, so a transaction that catches the 409 can go on.
 */
export async function insertRow(db: Queryable, table: Table, id: string, json: string, inTransaction: boolean): Promise<void> {
  const insert = () => db.query(`INSERT INTO ${table.qualified} (id, data) VALUES ($1, $2)`, [id, json])
  if (!inTransaction) return guard(db, false, table, insert)
  // The usual case costs one statement; only a clash pays for finding out which value clashed.
  const { rowCount } = await db.query(`INSERT INTO ${table.qualified} (id, data) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [id, json])
  if (rowCount === 1) return
  const taken = await db.query(`SELECT 1 FROM ${table.qualified} WHERE id = $1`, [id])
  if (taken.rowCount === 1) throw uniqueConflict(table, undefined)
  await guard(db, true, table, insert)
}

/**
 * Runs one write, turning a unique violation into 409 `conflict`. In a transaction, a failed statement would
 * abort the whole of it (https://www.postgresql.org/docs/current/sql-savepoint.html): the write runs under a
 * savepoint, rolled back to on failure.
 */
export async function guard(db: Queryable, inTransaction: boolean, table: Table, write: () => Promise<unknown>): Promise<void> {
  const savepoint = inTransaction
  try {
    if (savepoint) await db.query('SAVEPOINT switchboard_write')
    await write()
    if (savepoint) await db.query('RELEASE SAVEPOINT switchboard_write')
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    if (savepoint) await db.query('ROLLBACK TO SAVEPOINT switchboard_write')
    throw uniqueConflict(table, error.constraint)
  }
}

/** Inserts or replaces; 409 `conflict` when a unique value is another record's. */
export async function upsertRow(db: Queryable, table: Table, id: string, json: string, inTransaction: boolean): Promise<void> {
  const upsert = () =>
    db.query(
      `INSERT INTO ${table.qualified} AS t (id, data) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET data = excluded.data, version = t.version + 1`,
      [id, json],
    )
  // Only a unique index other than the id can refuse a put: without one, no savepoint is needed.
  await guard(db, inTransaction && hasUnique(table), table, upsert)
}

function hasUnique(table: Table): boolean {
  return [...table.indexes.values()].some((index) => index.unique)
}

/** Whether there was a row to delete. */
export async function deleteRow(db: Queryable, table: Table, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM ${table.qualified} WHERE id = $1`, [id])
  return rowCount === 1
}
