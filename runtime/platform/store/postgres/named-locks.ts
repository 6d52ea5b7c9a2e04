/**
 * `Store.lock`: a session-level advisory lock (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS),
 * keyed by a 64-bit hash of the name, held on a connection of its own for as long as `fn` runs. Whatever ends
 * that connection (this process dying, the network) ends the lock with it, so a crashed holder never leaves a
 * name locked. Callers in one process queue in memory first, so a hundred callers waiting for one name hold
 * one connection, not a hundred.
 */
import type { Pool, PoolClient } from 'pg'
import { storeError } from './errors.ts'
import type { PostgresStoreLog } from './options.ts'

/**
 * Creates the lock function over `pool`, a pool used for nothing else (a holder's `fn` uses the store: were
 * they one pool, holders of many names could take every connection and wait for one forever).
 *
 * @example
 * const lock = createNamedLocks(lockPool, 'db:5432', log)
 * await lock('refresh:cred_1', async () => refresh())
 */
export function createNamedLocks(pool: Pool, target: string, log: PostgresStoreLog) {
  const tails = new Map<string, Promise<void>>()

  /** In-process turn-taking per name: resolves with the function that lets the next one in. */
  const turn = async (name: string): Promise<() => void> => {
    const previous = tails.get(name)
    let letGo!: () => void
    const mine = new Promise<void>((done) => (letGo = done))
    tails.set(name, mine)
    await previous
    return () => {
      if (tails.get(name) === mine) tails.delete(name)
      letGo()
    }
  }

  return async function lock<R>(name: string, fn: () => Promise<R>): Promise<R> {
    const what = `lock "${name}"`
    const leave = await turn(name)
    const key = `switchboard:lock:${name}`
    let client: PoolClient | undefined
    try {
      try {
        client = await pool.connect()
        // Waiting counts toward statement_timeout: a holder that never lets go ends in a 503, not a hang.
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key])
      } catch (error) {
        client?.release(true)
        client = undefined
        throw storeError(error, what, target)
      }
      const held = client
      const lost = () => log('warn', `The connection holding ${what} was lost while it was held; another process may take it meanwhile.`)
      held.on('error', lost)
      try {
        return await fn()
      } finally {
        held.off('error', lost)
        let broken = false
        await held.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => (broken = true))
        // Closing the connection releases the lock if unlocking could not be said.
        held.release(broken)
      }
    } finally {
      leave()
    }
  }
}
