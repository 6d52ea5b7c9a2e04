/**
 * The PostgreSQL engine in bad conditions: a database unreachable at start, lost and back mid-run, a
 * connection dying inside a transaction or under a lock, a statement timeout. This file runs its own cluster,
 * so stopping it disturbs no other test.
 */
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import type { Store } from '../../../runtime/platform/store/contract.ts'
import { createPostgresStore, type PostgresStoreOptions } from '../../../runtime/platform/store/index.ts'
import { type Cluster, startCluster } from '../../support/postgres-cluster.ts'
import { changesUntil, isChange } from './engines.ts'

let cluster: Cluster
let made = 0
const opened: Store[] = []
const unavailable = { status: 503, code: 'store_unavailable' }

beforeAll(async () => {
  cluster = await startCluster()
})
afterAll(async () => {
  await cluster?.destroy()
})
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((s) => s.close()))
})

/** A new database on this file's cluster. */
async function database(): Promise<string> {
  const name = `outage_${++made}`
  await admin(`CREATE DATABASE ${name}`)
  return cluster.url(name)
}

async function admin(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: cluster.url('postgres') })
  await client.connect()
  try {
    return await client.query(text, values)
  } finally {
    await client.end()
  }
}

async function open(url: string, options: Partial<PostgresStoreOptions> = {}): Promise<Store & { logged: string[] }> {
  const logged: string[] = []
  const store = await createPostgresStore({ url, log: (level, message) => void logged.push(`${level}: ${message}`), ...options })
  opened.push(store)
  return Object.assign(store, { logged })
}

/** Ends the server side of this database's connections of one kind (`application_name`), as a network cut would. */
async function cut(url: string, application: string, state?: string): Promise<number> {
  const database = new URL(url).pathname.slice(1)
  const { rows } = await admin(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 ${state ? 'AND state = $3' : ''}`,
    state ? [database, application, state] : [database, application],
  )
  return rows.length
}

describe('postgres store in bad conditions', () => {
  test('unreachable at start: 503 naming host and port and what to check', async () => {
    const port = cluster.port + 1
    const error = await createPostgresStore({ url: `postgres://nobody@127.0.0.1:${port}/x`, pool: { connectTimeoutMs: 5_000 } }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ name: 'SwitchboardError', ...unavailable })
    expect((error as Error).message).toContain(`127.0.0.1:${port}`)
    expect((error as Error).message).toMatch(/Check that the server is running/)
  })

  test('a database that does not exist: the message says so', async () => {
    const error = await createPostgresStore({ url: cluster.url('no_such_database') }).catch((e: unknown) => e)
    expect(error).toMatchObject(unavailable)
    expect((error as Error).message).toMatch(/no such database/)
  })

  test('lost mid-run: 503 store_unavailable, nothing half done; back by itself when the database is', async () => {
    const url = await database()
    const store = await open(url, { pool: { connectTimeoutMs: 2_000 } })
    await store.insert('meta', { id: 'before' })
    const resync = changesUntil(store, (change) => change.collection === '*')
    await cluster.stop()
    await expect(store.get('meta', 'before')).rejects.toMatchObject(unavailable)
    await expect(store.insert('meta', { id: 'during' })).rejects.toMatchObject(unavailable)
    await expect(store.update('meta', 'before', (r) => r)).rejects.toMatchObject(unavailable)
    await expect(store.transaction(async (tx) => tx.put('meta', { id: 'during' }))).rejects.toMatchObject(unavailable)
    await expect(store.lock('x', async () => 1)).rejects.toMatchObject(unavailable)
    await cluster.start()
    expect(await store.get('meta', 'before')).toEqual({ id: 'before' })
    expect(await store.get('meta', 'during')).toBeUndefined()
    await store.insert('meta', { id: 'after' })
    // The listener came back too: it says changes may have been missed, then reports again.
    await resync
    const heard = changesUntil(store, isChange('meta', 'heard'))
    await store.insert('meta', { id: 'heard' })
    await heard
    expect(store.logged.some((line) => line.startsWith('warn:'))).toBe(true)
  })

  test('a connection lost inside a transaction applies none of it', async () => {
    const url = await database()
    const store = await open(url)
    const error = await store
      .transaction(async (tx) => {
        await tx.insert('meta', { id: 'first' })
        expect(await cut(url, 'switchboard', 'idle in transaction')).toBe(1)
        await tx.insert('meta', { id: 'second' })
      })
      .catch((e: unknown) => e)
    expect(error).toMatchObject(unavailable)
    expect(await store.get('meta', 'first')).toBeUndefined()
    expect(await store.get('meta', 'second')).toBeUndefined()
  })

  test('a connection lost while an updater runs fails the update and changes nothing', async () => {
    const url = await database()
    const store = await open(url)
    await store.insert('meta', { id: 'n', n: 1 })
    const error = await store
      .update('meta', 'n', async (current) => {
        await cut(url, 'switchboard', 'idle in transaction')
        return { ...current!, n: 2 }
      })
      .catch((e: unknown) => e)
    expect(error).toMatchObject(unavailable)
    expect(await store.get('meta', 'n')).toEqual({ id: 'n', n: 1 })
  })

  test('a statement that waits too long: 503', async () => {
    const url = await database()
    const patient = await open(url)
    const hasty = await open(url, { pool: { statementTimeoutMs: 200 } })
    await patient.insert('meta', { id: 'busy', n: 0 })
    let release!: () => void
    let held!: () => void
    const holding = new Promise<void>((done) => (held = done))
    const holder = patient.transaction(async (tx) => {
      await tx.get('meta', 'busy')
      held()
      await new Promise<void>((done) => (release = done))
    })
    await holding
    await expect(hasty.update('meta', 'busy', (r) => r)).rejects.toMatchObject({
      ...unavailable,
      message: expect.stringMatching(/statement timeout/),
    })
    release()
    await holder
  })

  test('a lock whose connection dies is free again for another process', async () => {
    const url = await database()
    const a = await open(url)
    const b = await open(url)
    let release!: () => void
    let entered!: () => void
    const inA = new Promise<void>((done) => (entered = done))
    const heldByA = a.lock('lease', () => {
      entered()
      return new Promise<void>((done) => (release = done))
    })
    await inA
    expect(await cut(url, 'switchboard-lock')).toBe(1)
    expect(await b.lock('lease', async () => 'b has it')).toBe('b has it')
    release()
    await heldByA
    await vi.waitFor(() => expect(a.logged.some((line) => line.includes('lease'))).toBe(true), { timeout: 30_000 })
  })
})
