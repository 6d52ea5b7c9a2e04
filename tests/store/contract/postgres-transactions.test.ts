/**
 * What the PostgreSQL engine adds under the contract: deadlocks broken and retried, a transaction that caught a
 * database error is not reported as committed, the change feed hearing every writer and coming back after its
 * connection is cut.
 */
import pg from 'pg'
import { afterEach, describe, expect, test } from 'vitest'
import type { Store } from '../../../runtime/platform/store/contract.ts'
import { createPostgresStore } from '../../../runtime/platform/store/index.ts'
import { freshDatabase } from '../../support/postgres.ts'
import { changesUntil, isChange } from './engines.ts'

interface Counter {
  id: string
  n: number
  [k: string]: unknown
}

const opened: Store[] = []
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((s) => s.close()))
})
async function open(url?: string): Promise<{ store: Store; url: string }> {
  url ??= await freshDatabase()
  const store = await createPostgresStore({ url, log: () => {} })
  opened.push(store)
  return { store, url }
}

describe('postgres transactions', () => {
  test('two transactions locking two records in opposite orders: the deadlock is broken and both apply', async () => {
    const { store } = await open()
    await store.insert('meta', { id: 'a', n: 0 })
    await store.insert('meta', { id: 'b', n: 0 })
    let arrived = 0
    let bothHoldOne!: () => void
    const barrier = new Promise<void>((done) => (bothHoldOne = done))
    let runs = 0
    const cross = (first: string, second: string) =>
      store.transaction(async (tx) => {
        runs++
        const one = (await tx.get<Counter>('meta', first))!
        if (++arrived === 2) bothHoldOne()
        await barrier
        const two = (await tx.get<Counter>('meta', second))!
        await tx.put('meta', { ...one, n: one.n + 1 })
        await tx.put('meta', { ...two, n: two.n + 1 })
      })
    await Promise.all([cross('a', 'b'), cross('b', 'a')])
    // One of them at least ran again (on a loaded machine, the retry may meet the other once more).
    expect(runs).toBeGreaterThanOrEqual(3)
    expect(await store.get('meta', 'a')).toEqual({ id: 'a', n: 2 })
    expect(await store.get('meta', 'b')).toEqual({ id: 'b', n: 2 })
  })

  test('a transaction whose function swallowed a database error fails instead of pretending to commit', async () => {
    const { store } = await open()
    const error = await store
      .transaction(async (tx) => {
        await tx.insert('meta', { id: 'kept?' })
        // jsonb cannot hold U+0000: the statement fails and aborts the transaction.
        await tx.insert('meta', { id: 'nul', text: 'a\u0000b' }).catch(() => {})
        return 'fine'
      })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 500, code: 'store_invalid_record' })
    expect(await store.get('meta', 'kept?')).toBeUndefined()
  })

  test('the change listener comes back after its connection is cut, and says changes may have been missed', async () => {
    const { store, url } = await open()
    const resync = changesUntil(store, (change) => change.collection === '*')
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    const { rows } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = ' +
        "'switchboard-listener'",
    )
    await admin.end()
    expect(rows).toHaveLength(1)
    await resync
    const heard = changesUntil(store, isChange('meta', 'after'))
    await store.insert('meta', { id: 'after' })
    await heard
  })

  test('a change written by another program (psql, a migration) is reported too', async () => {
    const { store, url } = await open()
    const seen = changesUntil(store, isChange('meta', 'by-hand'))
    const other = new pg.Client({ connectionString: url })
    await other.connect()
    await other.query(`INSERT INTO switchboard.meta (id, data) VALUES ('by-hand', '{"id": "by-hand"}')`)
    await other.end()
    await seen
  })
})
