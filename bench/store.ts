import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLowdbStore, type Store, type StoreRecord } from '../runtime/platform/store/index.ts'
import { writeFileDurably } from '../runtime/platform/store/internal/durable-write.ts'
import { isMain, printTable, type Row } from './table.ts'

interface Connection extends StoreRecord {
  n: number
  updatedAt: string
}

/** About 600 bytes once stored, like a real connection (ids, connector, config, status, timestamps). */
function connection(i: number): Connection {
  return {
    id: `conn_${String(i).padStart(6, '0')}_${'k'.repeat(20)}`,
    appId: 'app_0001',
    connector: 'github',
    name: `Connection number ${i} for the benchmark`,
    status: 'connected',
    n: 0,
    createdAt: '2025-01-01T00:00:00.000Z',
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

/**
 * Store write throughput with 1,000 and 10,000 connection-like records: sequential awaited updates (each
 * pays a whole durable write of the file) and 64 concurrent updaters (which share writes), against the
 * baseline of one bare durable write of a file that size in the same run.
 *
 * @example
 * printTable('Store writes', await benchStore())
 */
export async function benchStore(durationMs = 3000): Promise<Row[]> {
  const rows: Row[] = []
  for (const size of [1_000, 10_000]) {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-store-'))
    let store: Store | undefined
    try {
      store = await createLowdbStore({ dir, log: () => {} })
      const s = store
      await s.transaction((tx) => {
        for (let i = 0; i < size; i++) tx.put('connections', connection(i))
      })
      const ids = (await s.list('connections')).map((c) => c.id)
      const text = await readFile(join(dir, 'store.json'), 'utf8')
      const note = `${size.toLocaleString('en-US')} records, ${(text.length / 1e6).toFixed(1)} MB file`

      const baseline = await rate(durationMs, 1, () => writeFileDurably(join(dir, 'baseline.json'), text))
      let next = 0
      const updateNext = () => s.update<Connection>('connections', ids[next++ % size]!, touch)
      const sequential = await rate(durationMs, 1, updateNext)
      const concurrent = await rate(durationMs, 64, updateNext)
      rows.push(
        { name: `bare durable file write (baseline), ${size}`, value: baseline, unit: 'writes/s', note },
        { name: `sequential awaited updates, ${size}`, value: sequential, unit: 'writes/s', note: 'one durable write each' },
        { name: `64 concurrent updaters, ${size}`, value: concurrent, unit: 'writes/s', note: 'acknowledged; writes coalesced' },
      )
    } finally {
      await store?.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
  return rows
}

if (isMain(import.meta.url)) printTable('Store writes', await benchStore())
