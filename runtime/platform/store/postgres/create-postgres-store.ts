import pg from 'pg'
import { SwitchboardError } from '../../../errors.ts'
import type { Store, StoreChange, StoreRecord, WriteOptions } from '../contract.ts'
import { startChangeFeed } from './change-feed.ts'
import { isConnectionError, startError, storeError } from './errors.ts'
import { indexOf, indexSql } from './index-query.ts'
import { createPostgresLimits } from './limits.ts'
import { migrate } from './migrate.ts'
import { createNamedLocks } from './named-locks.ts'
import { type CheckedOptions, checkOptions, type PostgresStoreOptions } from './options.ts'
import { deleteRow, insertRow, readRow, recordJson, tableOf, upsertRow } from './rows.ts'
import { runTransaction } from './run-transaction.ts'
import { transactionView } from './transaction-view.ts'
import { RowAppeared, updateRecord } from './update-record.ts'

function pools(o: CheckedOptions): { pool: pg.Pool; lockPool: pg.Pool } {
  const config: pg.PoolConfig = {
    connectionString: o.url,
    max: o.max,
    idleTimeoutMillis: o.idleTimeoutMs,
    connectionTimeoutMillis: o.connectTimeoutMs,
    // Sent at connect: the server cancels any statement (a lock wait too) that runs longer.
    statement_timeout: o.statementTimeoutMs,
    keepAlive: true,
    application_name: 'switchboard',
  }
  const pool = new pg.Pool(config)
  const lockPool = new pg.Pool({ ...config, application_name: 'switchboard-lock' })
  // An idle connection the server drops emits 'error' on its pool; unheard, that would end the process.
  // The pool has already discarded it and opens a new one when needed.
  for (const p of [pool, lockPool]) p.on('error', (error) => o.log('warn', `A connection to ${o.target} was lost (${error.message}).`))
  return { pool, lockPool }
}

/**
 * Opens the PostgreSQL store: connects (a plain message naming host and port when that fails), applies pending
 * migrations under an advisory lock, and starts listening for changes. Several processes may use one database
 * at once; `lock` and `subscribe` hold across all of them. Operations fail with 503 `store_unavailable` while
 * the database is unreachable and work again once it is back, and with 503 `store_closed` after `close`.
 *
 * @example
 * const store = await createPostgresStore({ url: process.env.SWITCHBOARD_DATABASE_URL!, pool: { max: 20 } })
 * await store.update<App>('apps', 'app_1', (app) => app && { ...app, name: 'Renamed' })
 * process.on('SIGTERM', () => void store.close().then(() => process.exit(0)))
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const o = checkOptions(options)
  const { pool, lockPool } = pools(o)
  const listeners = new Set<(change: StoreChange) => void>()
  const emit = (change: StoreChange) => {
    for (const listener of listeners) {
      try {
        listener(change)
      } catch (error) {
        o.log('warn', `A store change listener failed: ${(error as Error).message}`)
      }
    }
  }
  let feed: Awaited<ReturnType<typeof startChangeFeed>>
  try {
    await migrate(pool)
    feed = await startChangeFeed(o, pool, emit)
  } catch (error) {
    await Promise.allSettled([pool.end(), lockPool.end()])
    throw startError(error, o.target)
  }

  const lock = createNamedLocks(lockPool, o.target, o.log)
  const inFlight = new Set<Promise<unknown>>()
  let closing: Promise<void> | undefined

  /**
   * Runs one operation unless the store is closed, mapping database failures; `close` waits for it. A write
   * that committed wakes the change feeds.
   */
  const run = <R>(what: string, fn: () => Promise<R>, writes = false): Promise<R> => {
    if (closing !== undefined) return Promise.reject(new SwitchboardError(503, 'store_closed', 'The store is closed.'))
    const done = (async () => {
      try {
        const result = await fn()
        if (writes) feed.wake()
        return result
      } catch (error) {
        throw storeError(error, what, o.target)
      }
    })()
    inFlight.add(done)
    void done.finally(() => inFlight.delete(done)).catch(() => {})
    return done
  }
  /** A read that met a dead pooled connection is asked once more: it changed nothing. */
  const read = <R>(what: string, fn: () => Promise<R>) =>
    run(what, () => fn().catch((error) => (isConnectionError(error) ? fn() : Promise.reject(error))))
  /** A single-statement write: on the pool as is, or in a transaction that commits without waiting for the flush. */
  const write = <R>(what: string, options: WriteOptions | undefined, fn: (db: pg.Pool | pg.PoolClient) => Promise<R>) =>
    run(
      what,
      () => (options?.durability === 'relaxed' ? runTransaction({ pool, target: o.target, what, relaxed: true }, fn) : fn(pool)),
      true,
    )

  const store: Store = {
    engine: 'postgres',
    get: (collection, id) => read(`get of ${collection}`, () => readRow(pool, tableOf(collection), id)),
    find: (collection, index, query) =>
      read(`find in ${collection}`, async () => {
        const table = tableOf(collection)
        const sql = indexSql(table, indexOf(table, index), query, 'data')
        return (await pool.query<{ data: never }>(sql.text, sql.values)).rows.map((row) => row.data)
      }),
    count: (collection, index, query) =>
      read(`count of ${collection}`, async () => {
        const table = tableOf(collection)
        const sql = indexSql(table, indexOf(table, index), query, 'count')
        return (await pool.query<{ count: number }>(sql.text, sql.values)).rows[0]!.count
      }),
    scan: (collection, page) =>
      read(`scan of ${collection}`, async () => {
        const table = tableOf(collection)
        const { after, limit } = page
        if (!Number.isInteger(limit) || limit < 0)
          throw new SwitchboardError(500, 'store_invalid_query', `A scan of ${collection} needs a whole limit, 0 or more.`)
        const from = after === undefined ? '' : ' WHERE id > $1'
        const { rows } = await pool.query<{ data: never }>(
          `SELECT data FROM ${table.qualified}${from} ORDER BY id LIMIT ${limit}`,
          after === undefined ? [] : [after],
        )
        return rows.map((row) => row.data)
      }),
    insert: <T extends StoreRecord>(collection: Parameters<Store['insert']>[0], record: T, options?: WriteOptions) =>
      write(`insert into ${collection}`, options, async (db) => {
        const json = recordJson(collection, record)
        await insertRow(db, tableOf(collection), record.id, json, false)
        return JSON.parse(json) as T
      }),
    put: <T extends StoreRecord>(collection: Parameters<Store['put']>[0], record: T, options?: WriteOptions) =>
      write(`put into ${collection}`, options, async (db) => {
        const json = recordJson(collection, record)
        await upsertRow(db, tableOf(collection), record.id, json, false)
        return JSON.parse(json) as T
      }),
    update: (collection, id, updater, options) => {
      const what = `update of ${collection}`
      const relaxed = options?.durability === 'relaxed'
      const retryOn = (error: unknown) => error instanceof RowAppeared
      const transaction = { pool, target: o.target, what, relaxed, retryOn, fused: true }
      return run(what, () => runTransaction(transaction, (client) => updateRecord(client, collection, id, updater, relaxed)), true)
    },
    delete: (collection, id, options) => write(`delete from ${collection}`, options, (db) => deleteRow(db, tableOf(collection), id)),
    transaction: (fn, options) =>
      run(
        'transaction',
        () =>
          runTransaction(
            { pool, target: o.target, what: 'transaction', relaxed: options?.durability === 'relaxed' },
            async (client, state) => {
              const tx = transactionView(client, state, o.target)
              try {
                return await fn(tx)
              } finally {
                tx.end()
              }
            },
          ),
        true,
      ),
    lock: (name, fn) => run(`lock "${name}"`, () => lock(name, fn)),
    limits: createPostgresLimits(pool, run),
    subscribe(listen) {
      if (closing !== undefined) throw new SwitchboardError(503, 'store_closed', 'The store is closed.')
      const own = (change: StoreChange) => listen(change)
      listeners.add(own)
      return () => void listeners.delete(own)
    },
    close() {
      closing ??= (async () => {
        await Promise.allSettled([...inFlight])
        listeners.clear()
        await feed.close()
        await Promise.allSettled([pool.end(), lockPool.end()])
      })()
      return closing
    },
  }
  return store
}
