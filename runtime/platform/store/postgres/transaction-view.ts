/**
 * The {@link StoreTx} a transaction body gets: every statement on the transaction's one client, one at a time
 * (a savepoint must not interleave with another write), `get` holding the row until the end.
 */
import type { PoolClient } from 'pg'
import { isSwitchboardError, SwitchboardError } from '../../../errors.ts'
import type { StoreRecord, StoreTx } from '../contract.ts'
import { storeError } from './errors.ts'
import { indexOf, indexSql } from './index-query.ts'
import { deleteRow, insertRow, missingRowKey, type Queryable, readRow, recordJson, tableOf, upsertRow } from './rows.ts'
import type { TransactionState } from './run-transaction.ts'
import type { Table } from './schema.ts'

/**
 * Reads a record and holds its row until the transaction ends. For an id with no row there is nothing to
 * lock, so the id itself is held by a transaction-scoped advisory lock and read again: two transactions that
 * both find nothing cannot both go on to create it (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS).
 *
 * @example
 * const app = await readHeld(client, tableOf('apps'), 'a1')
 */
export async function readHeld<T extends StoreRecord>(db: Queryable, table: Table, id: string): Promise<T | undefined> {
  const found = await readRow<T>(db, table, id, true)
  if (found !== undefined) return found
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [missingRowKey(table, id)])
  return readRow<T>(db, table, id, true)
}

/**
 * The transaction's view of the store. Calls after the transaction ended fail with 500 `store_tx_ended`.
 *
 * @example
 * const tx = transactionView(client, state, 'db:5432')
 * await tx.put('apps', { id: 'a1', members: [] })
 */
export function transactionView(client: PoolClient, state: TransactionState, target: string): StoreTx & { end(): void } {
  let ended = false
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <R>(op: () => Promise<R>): Promise<R> => {
    if (ended) return Promise.reject(new SwitchboardError(500, 'store_tx_ended', 'A store transaction was used after it ended.'))
    const run = queue.then(op).catch((error: unknown) => {
      // A conflict was answered under a savepoint; anything else the database threw aborted the transaction.
      if (!isSwitchboardError(error)) state.failed ??= error
      throw storeError(error, 'transaction', target)
    })
    queue = run.catch(() => {})
    return run
  }
  return {
    get: (collection, id) => serial(() => readHeld(client, tableOf(collection), id)),
    find: (collection, index, query) =>
      serial(async () => {
        const table = tableOf(collection)
        const sql = indexSql(table, indexOf(table, index), query, 'data')
        const { rows } = await client.query<{ data: never }>(sql.text, sql.values)
        return rows.map((row) => row.data)
      }),
    insert: (collection, record) =>
      serial(async () => {
        const json = recordJson(collection, record)
        await insertRow(client, tableOf(collection), record.id, json, true)
        return JSON.parse(json) as typeof record
      }),
    put: (collection, record) =>
      serial(async () => {
        const json = recordJson(collection, record)
        await upsertRow(client, tableOf(collection), record.id, json, true)
        return JSON.parse(json) as typeof record
      }),
    delete: (collection, id) => serial(() => deleteRow(client, tableOf(collection), id)),
    end: () => void (ended = true),
  }
}
