/**
 * BEGIN … COMMIT on one pooled client, with the retry PostgreSQL asks for: a transaction chosen as a deadlock
 * victim or failing serialization is rolled back whole and may run again
 * (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html).
 */
import type { Pool, PoolClient, QueryResult } from 'pg'
import { isConnectionError, isRetryable, storeError } from './errors.ts'

/** How often a transaction runs at most when the database keeps asking to retry it. */
const ATTEMPTS = 8

export interface TransactionOptions {
  pool: Pool
  /** `host:port`, for messages. */
  target: string
  /** For messages: `"update of connections/c1"`. */
  what: string
  /** `SET LOCAL synchronous_commit = off`: commit without waiting for the WAL flush. */
  relaxed?: boolean
  /** Another error that means "run it again" (a row another writer created meanwhile). */
  retryOn?: (error: unknown) => boolean
  /** The body sends BEGIN and COMMIT itself, with its first and last statements (one round trip less each). */
  fused?: boolean
}

/** What the body of a transaction is given besides its client. */
export interface TransactionState {
  /** An error a statement met that the body may have caught: it aborted the transaction, so COMMIT must not pretend. */
  failed?: unknown
}

/**
 * BEGIN, and for a relaxed write `SET LOCAL synchronous_commit = off`, which lasts until the transaction ends
 * (https://www.postgresql.org/docs/current/wal-async-commit.html); both go in one round trip.
 */
export function beginSql(relaxed = false): string {
  return relaxed ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN'
}

/**
 * Throws unless a COMMIT committed: COMMIT of a transaction an earlier statement aborted answers ROLLBACK, not an
 * error. Takes the last result of a multi-statement query.
 */
export function checkCommitted(result: QueryResult | QueryResult[], what: string): void {
  const last = Array.isArray(result) ? result.at(-1) : result
  if (last?.command !== 'COMMIT') throw new Error(`the database rolled back the ${what}`)
}

const pause = (attempt: number) => new Promise((done) => setTimeout(done, Math.random() * 10 * 2 ** attempt))

/**
 * Runs `body` in a transaction and commits, or rolls back and throws what it threw. Rejects with 503
 * `store_unavailable` when the database cannot be reached or is lost (nothing applied: the transaction died
 * with the connection), and after {@link ATTEMPTS} deadlocks in a row.
 *
 * @example
 * await runTransaction({ pool, target, what: 'transaction' }, async (client) => client.query('…'))
 */
export async function runTransaction<R>(
  options: TransactionOptions,
  body: (client: PoolClient, state: TransactionState) => Promise<R>,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    let client: PoolClient
    try {
      client = await options.pool.connect()
    } catch (error) {
      throw storeError(error, options.what, options.target)
    }
    const state: TransactionState = {}
    let broken = false
    // A checked-out client has no 'error' listener of the pool's: one losing its connection between two
    // statements (while the body awaits) would otherwise end the process. The next statement fails anyway.
    const lost = () => void (broken = true)
    client.on('error', lost)
    try {
      if (!options.fused) await client.query(beginSql(options.relaxed))
      const result = await body(client, state)
      if (state.failed !== undefined) throw state.failed
      if (!options.fused) checkCommitted(await client.query('COMMIT'), options.what)
      return result
    } catch (thrown) {
      const error = state.failed ?? thrown
      broken ||= isConnectionError(error)
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true))
      const again = isRetryable(error) || options.retryOn?.(error) === true
      if (!again || attempt >= ATTEMPTS) throw storeError(error, options.what, options.target)
    } finally {
      client.off('error', lost)
      // A client whose connection failed is closed rather than handed to the next caller.
      client.release(broken)
    }
    await pause(attempt)
  }
}
