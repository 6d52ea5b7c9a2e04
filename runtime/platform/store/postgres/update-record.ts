/**
 * `Store.update`: read-modify-write of one record in a transaction, the updater called while the row is
 * locked (`SELECT … FOR UPDATE`), or, for a missing record, while its id is held by an advisory lock. Two round
 * trips for the usual case: BEGIN goes with the read and COMMIT with the write, as one simple query each
 * (the extended protocol takes one statement per query and the driver does not pipeline), values escaped as
 * literals by the driver (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS).
 */
import type { PoolClient, QueryResult } from 'pg'
import type { CollectionName, StoreRecord } from '../contract.ts'
import { isUniqueViolation } from './errors.ts'
import { missingRowKey, recordJson, tableOf, uniqueConflict } from './rows.ts'
import { beginSql, checkCommitted } from './run-transaction.ts'

/** A row with the id appeared after it was found missing (a plain `put` does not wait for the id's lock): start over. */
export class RowAppeared extends Error {
  override readonly name = 'RowAppeared'
}

const lastOf = (result: QueryResult | QueryResult[]) => (Array.isArray(result) ? result.at(-1)! : result)

/**
 * Runs one update on `client` (outside any transaction: this sends BEGIN and COMMIT) and answers what it stored.
 *
 * @example
 * await runTransaction({ pool, target, what, fused: true }, (client) => updateRecord(client, 'apps', 'a1', rename, false))
 */
export async function updateRecord<T extends StoreRecord>(
  client: PoolClient,
  collection: CollectionName,
  id: string,
  updater: (current: T | undefined) => T | undefined | Promise<T | undefined>,
  relaxed: boolean,
): Promise<T | undefined> {
  const table = tableOf(collection)
  const literal = (text: string) => client.escapeLiteral(text)
  const select = `SELECT data FROM ${table.qualified} WHERE id = ${literal(id)} FOR UPDATE`
  let current = lastOf(await client.query(`${beginSql(relaxed)}; ${select}`)).rows[0]?.data as T | undefined
  if (current === undefined) {
    const hold = `SELECT pg_advisory_xact_lock(hashtextextended(${literal(missingRowKey(table, id))}, 0))`
    current = lastOf(await client.query(`${hold}; ${select}`)).rows[0]?.data as T | undefined
  }
  const next = await updater(current)
  let write = ''
  let json: string | undefined
  if (next !== undefined) {
    json = recordJson(collection, next, id)
    write =
      current === undefined
        ? `INSERT INTO ${table.qualified} (id, data) VALUES (${literal(id)}, ${literal(json)});`
        : `UPDATE ${table.qualified} SET data = ${literal(json)}, version = version + 1 WHERE id = ${literal(id)};`
  } else if (current !== undefined) {
    write = `DELETE FROM ${table.qualified} WHERE id = ${literal(id)};`
  }
  try {
    checkCommitted(await client.query(`${write} COMMIT`), `update of ${collection}`)
  } catch (error) {
    if (isUniqueViolation(error) && error.constraint === `${table.name}_pkey`) throw new RowAppeared(`${collection}/${id}`)
    if (isUniqueViolation(error)) throw uniqueConflict(table, error.constraint)
    throw error
  }
  return json === undefined ? undefined : (JSON.parse(json) as T)
}
