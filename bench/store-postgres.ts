import pg from 'pg'
import type { Store, StoreRecord } from '../runtime/platform/store/contract.ts'
import { createPostgresStore } from '../runtime/platform/store/index.ts'
import { type Cluster, findBinDir, INSTALL_HINT, startCluster } from '../tests/support/postgres-cluster.ts'
import { isMain, percentile, printTable, type Row } from './table.ts'

/** Connections per app: a lookup by app answers this many records, whatever the total. */
const PER_APP = 10

interface Connection extends StoreRecord {
  n: number
  updatedAt: string
}

/** About 600 bytes once stored, like a real connection (the same shape as the embedded store's bench). */
function connection(i: number): Connection {
  return {
    id: `conn_${String(i).padStart(6, '0')}_${'k'.repeat(20)}`,
    appId: `app_${String(Math.floor(i / PER_APP)).padStart(5, '0')}`,
    connectorId: 'github',
    nameKey: `connection number ${i}`,
    name: `Connection number ${i} for the benchmark`,
    status: 'connected',
    n: 0,
    createdAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    updatedAt: '2025-01-01T00:00:00.000Z',
    config: { baseUrl: 'https://api.github.com', scopes: ['repo', 'read:org', 'user:email'], region: 'eu', timeoutMs: 10000 },
    credentialRef: `cred_${String(i).padStart(6, '0')}`,
    metadata: { account: `account-${i}@example.com`, label: 'benchmark', tags: ['a', 'b', 'c'], note: 'x'.repeat(120) },
  }
}

const touch = (c: Connection | undefined) => c && { ...c, n: c.n + 1, updatedAt: new Date().toISOString() }

/** Runs `op` in `workers` loops at once until `durationMs` has passed; returns completed operations per second. */
async function rate(durationMs: number, workers: number, op: () => Promise<unknown>): Promise<number> {
  let count = 0
  const started = performance.now()
  const loop = async () => {
    do {
      await op()
      count++
    } while (performance.now() - started < durationMs)
  }
  await Promise.all(Array.from({ length: workers }, loop))
  return count / ((performance.now() - started) / 1000)
}

/** Median latency in ms of `op` run one at a time, after a warm-up. */
async function p50(samples: number, op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await op()
  const times: number[] = []
  for (let i = 0; i < samples; i++) {
    const started = performance.now()
    await op()
    times.push(performance.now() - started)
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  )
}

/** Loads connections `from` … `to - 1` in bulk, outside the store: the setup is not what is measured. */
async function seed(url: string, from: number, to: number): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (let start = from; start < to; start += 5_000) {
      const batch = Array.from({ length: Math.min(5_000, to - start) }, (_, k) => connection(start + k))
      await client.query("INSERT INTO switchboard.connections (id, data) SELECT x->>'id', x FROM jsonb_array_elements($1::jsonb) x", [
        JSON.stringify(batch),
      ])
    }
    await client.query('VACUUM ANALYZE switchboard.connections')
  } finally {
    await client.end()
  }
}

async function database(cluster: Cluster, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.url('postgres') })
  await client.connect()
  await client.query(`CREATE DATABASE ${name}`)
  await client.end()
  return cluster.url(name)
}

/**
 * The PostgreSQL engine on a throwaway cluster with real fsync: 64 concurrent updaters (read-modify-write,
 * each its own durable commit) over 100,000 connections, against the baseline of bare single-row INSERTs from a
 * pool of the same size in the same run; and a lookup by app (`find` on an index) with 100 and with 100,000
 * connections stored, which should cost the same.
 *
 * @example
 * printTable('PostgreSQL store', await benchStorePostgres())
 */
export async function benchStorePostgres(durationMs = 3000): Promise<Row[]> {
  try {
    findBinDir()
  } catch {
    return [{ name: 'not run', value: Number.NaN, unit: '', note: INSTALL_HINT }]
  }
  const cluster = await startCluster({ durable: true })
  const stores: Store[] = []
  const open = async (url: string) => {
    const store = await createPostgresStore({ url, log: () => {} })
    stores.push(store)
    return store
  }
  try {
    const rows: Row[] = []
    const size = 100_000
    const writesUrl = await database(cluster, 'bench_writes')
    const store = await open(writesUrl)
    await seed(writesUrl, 0, size)
    const max = 10
    const bare = new pg.Pool({ connectionString: writesUrl, max })
    try {
      await bare.query('CREATE TABLE bench_baseline (id text PRIMARY KEY, data jsonb NOT NULL)')
      const json = JSON.stringify(connection(0))
      let inserted = 0
      const baseline = await rate(durationMs, 64, () =>
        bare.query('INSERT INTO bench_baseline (id, data) VALUES ($1, $2::jsonb)', [`b${inserted++}`, json]),
      )
      let next = 0
      const ids = Array.from({ length: size }, (_, i) => connection(i).id)
      const update = (options?: { durability: 'relaxed' }) => () =>
        store.update<Connection>('connections', ids[next++ % size]!, touch, options)
      const durable = await rate(durationMs, 64, update())
      const relaxed = await rate(durationMs, 64, update({ durability: 'relaxed' }))
      rows.push(
        { name: 'bare INSERT, 64 concurrent (baseline)', value: baseline, unit: 'writes/s', note: `pool of ${max}, fsync on` },
        {
          name: '64 concurrent updaters, 100,000 connections',
          value: durable,
          unit: 'writes/s',
          note: `${(durable / baseline).toFixed(2)}× baseline; target ≥ 5,000`,
        },
        {
          name: '64 concurrent updaters, relaxed durability',
          value: relaxed,
          unit: 'writes/s',
          note: `${(relaxed / baseline).toFixed(2)}× baseline`,
        },
      )
    } finally {
      await bare.end()
    }

    const lookupsUrl = await database(cluster, 'bench_lookups')
    const lookups = await open(lookupsUrl)
    const findByApp = (apps: number) => () =>
      lookups.find('connections', 'byApp', { equals: [`app_${String(Math.floor(Math.random() * apps)).padStart(5, '0')}`] })
    await seed(lookupsUrl, 0, 100)
    const small = await p50(3000, findByApp(100 / PER_APP))
    await seed(lookupsUrl, 100, size)
    const large = await p50(3000, findByApp(size / PER_APP))
    rows.push(
      { name: 'find by app p50, 100 connections', value: small, unit: 'ms', note: `${PER_APP} records each` },
      {
        name: 'find by app p50, 100,000 connections',
        value: large,
        unit: 'ms',
        note: `${(large / small).toFixed(2)}× with 100; target ≤ 1.2×`,
      },
    )
    return rows
  } finally {
    await Promise.allSettled(stores.map((s) => s.close()))
    await cluster.destroy()
  }
}

if (isMain(import.meta.url)) printTable('PostgreSQL store: writes and lookups', await benchStorePostgres())
