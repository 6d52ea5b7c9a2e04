import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Store, StoreRecord } from '../runtime/platform/store/contract.ts'
import { createEmbeddedStore, readAll } from '../runtime/platform/store/index.ts'
import { writeFileDurably } from '../runtime/platform/store/internal/durable-write.ts'
import { isMain, percentile, printTable, type Row } from './table.ts'

interface Connection extends StoreRecord {
  n: number
  updatedAt: string
}

const pad = (i: number) => String(i).padStart(6, '0')
const appOf = (i: number) => `app_${pad(Math.floor(i / 100))}`

/** About 600 bytes once stored, like a real connection, with the fields its indexes read. */
function connection(i: number): Connection {
  return {
    id: `conn_${pad(i)}_${'k'.repeat(20)}`,
    appId: appOf(i),
    connectorId: 'github',
    name: `Connection number ${i} for the benchmark`,
    nameKey: `connection number ${i} for the benchmark`,
    status: 'connected',
    n: 0,
    createdAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    updatedAt: '2025-01-01T00:00:00.000Z',
    config: { baseUrl: 'https://api.github.com', scopes: ['repo', 'read:org', 'user:email'], region: 'eu', timeoutMs: 10000 },
    metadata: { account: `account-${i}@example.com`, label: 'benchmark', tags: ['a', 'b', 'c'], note: 'x'.repeat(120) },
  }
}

const touch = (c: Connection | undefined) => c && { ...c, n: c.n + 1, updatedAt: new Date().toISOString() }

/** Runs `op` in `workers` loops at once until `durationMs` has passed; returns completed operations per second. */
async function rate(durationMs: number, workers: number, op: (worker: number) => Promise<unknown>): Promise<number> {
  let count = 0
  const started = performance.now()
  const loop = async (worker: number) => {
    do {
      await op(worker)
      count++
    } while (performance.now() - started < durationMs)
  }
  await Promise.all(Array.from({ length: workers }, (_, w) => loop(w)))
  return count / ((performance.now() - started) / 1000)
}

async function withDir<R>(use: (dir: string) => Promise<R>): Promise<R> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-embedded-'))
  try {
    return await use(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function withStore<R>(use: (store: Store, dir: string) => Promise<R>): Promise<R> {
  return withDir(async (dir) => {
    const store = await createEmbeddedStore({ dir, log: () => {} })
    try {
      return await use(store, dir)
    } finally {
      await store.close()
    }
  })
}

/** Connections (100 per app), with one credential each and as many audit entries unless `alone`, in one transaction. */
async function fill(store: Store, size: number, alone = false): Promise<void> {
  await store.transaction(async (tx) => {
    for (let i = 0; i < size; i++) {
      const c = connection(i)
      await tx.put('connections', c)
      if (alone) continue
      await tx.put('credentials', {
        id: `cred_${pad(i)}`,
        connectionId: c.id,
        sealed: { kid: 'k1', iv: 'x'.repeat(16), data: 'y'.repeat(200) },
      })
      await tx.put('audit', { id: `audit_${pad(i)}`, appId: appOf(i), connectionId: c.id, seq: i, action: 'connection.tested' })
    }
  })
}

/**
 * Writes at 10,000 connections, alone and beside as many credentials and audit entries: a bare durable write of
 * a file that size (the baseline), then acknowledged writes from 64 concurrent updaters (durable, relaxed), and
 * for the fuller store 64 concurrent transactions on records of their own (plain, and with an await between
 * read and write).
 */
async function writes(durationMs: number, alone: boolean): Promise<Row[]> {
  const size = 10_000
  const ids = Array.from({ length: size }, (_, i) => connection(i).id)
  const what = alone ? `${size / 1000}k connections` : `${size / 1000}k conn. + cred. + audit`
  const rows = await withStore(async (store, dir) => {
    await fill(store, size, alone)
    const text = await readFile(join(dir, 'store.json'), 'utf8')
    const baseline = await rate(durationMs, 1, () => writeFileDurably(join(dir, 'baseline.json'), text))
    let next = 0
    const updateNext = (durability: 'durable' | 'relaxed') => () =>
      store.update<Connection>('connections', ids[next++ % size]!, touch, { durability })
    const durable = await rate(durationMs, 64, updateNext('durable'))
    const relaxed = await rate(durationMs, 64, updateNext('relaxed'))
    const out: Row[] = [
      {
        name: `bare durable file write (baseline), ${what}`,
        value: baseline,
        unit: 'writes/s',
        note: `${(text.length / 1e6).toFixed(1)} MB file`,
      },
      {
        name: `64 concurrent updaters, ${what}`,
        value: durable,
        unit: 'writes/s',
        note: `acknowledged durable; ${(durable / baseline).toFixed(1)}× baseline (≥ 1,000 wanted)`,
      },
      {
        name: `64 concurrent updaters, relaxed, ${what}`,
        value: relaxed,
        unit: 'writes/s',
        note: 'visible at once, durable with the next commit',
      },
    ]
    if (alone) return out
    const txOwn = (pause: boolean) => (worker: number) =>
      store.transaction(async (tx) => {
        const c = await tx.get<Connection>('connections', ids[worker]!)
        if (pause) await new Promise((done) => setImmediate(done))
        await tx.put('connections', touch(c)!)
      })
    out.push(
      {
        name: `64 concurrent transactions (get + put), ${what}`,
        value: await rate(durationMs, 64, txOwn(false)),
        unit: 'tx/s',
        note: 'own records; one at a time, commits shared',
      },
      {
        name: '  same, an await between read and write',
        value: await rate(durationMs, 64, txOwn(true)),
        unit: 'tx/s',
        note: 'what one at a time costs',
      },
    )
    return out
  })
  return rows
}

const SIZES = [100, 10_000, 100_000] as const

/**
 * Lookups with 100, 10,000 and 100,000 connections stored (and as many credentials and audit entries): p50 of a
 * credential by connection (what every proxied call reads), an app's newest 20 audit entries (equals, range,
 * desc, limit) and, as the floor, a get by id. The stores are queried in turns, so drift on the machine hits all
 * alike. Then what a scan costs instead: reading every credential to find one.
 */
async function lookups(): Promise<Row[]> {
  const stores: Store[] = []
  const open = (index: number): Promise<Row[]> =>
    index < SIZES.length
      ? withStore(async (store) => {
          await fill(store, SIZES[index]!)
          stores.push(store)
          return open(index + 1)
        })
      : measureLookups(stores)
  return [...(await open(0)), await scanInstead()]
}

async function measureLookups(stores: Store[]): Promise<Row[]> {
  const samples = 20_000
  const shapes: [string, (store: Store, i: number, size: number) => Promise<unknown>][] = [
    ['credential by connection', (s, i, size) => s.find('credentials', 'byConnection', { equals: [connection(i % size).id] })],
    [
      'newest 20 audit entries of an app',
      (s, i, size) => s.find('audit', 'byApp', { equals: [appOf(i % size)], range: { lt: size }, order: 'desc', limit: 20 }),
    ],
    ['get by id (no index: the floor)', (s, i, size) => s.get('connections', connection(i % size).id)],
  ]
  const rows: Row[] = []
  for (const [name, op] of shapes) {
    const times = SIZES.map(() => [] as number[])
    for (let i = 0; i < samples + 2000; i++) {
      const key = (i * 7919) % 100_000
      for (const [s, size] of SIZES.entries()) {
        const started = performance.now()
        await op(stores[s]!, key, size)
        if (i >= 2000) times[s]!.push((performance.now() - started) * 1000)
      }
    }
    const p50s = times.map((list) =>
      percentile(
        list.sort((a, b) => a - b),
        50,
      ),
    )
    for (const [s, size] of SIZES.entries()) {
      const ratio = s === 0 ? undefined : `${(p50s[s]! / p50s[0]!).toFixed(2)}× the 100 case`
      rows.push({ name: `${name}, ${size.toLocaleString('en-US')} stored, p50`, value: p50s[s]!, unit: 'µs', note: ratio })
    }
  }
  return rows
}

/** One credential found by reading every record, what a store without indexes has to do. */
async function scanInstead(): Promise<Row> {
  const size = 100_000
  return withStore(async (store) => {
    await store.transaction(async (tx) => {
      for (let i = 0; i < size; i++) await tx.put('credentials', { id: `cred_${pad(i)}`, connectionId: connection(i).id })
    })
    const times: number[] = []
    for (let i = 0; i < 20; i++) {
      const wanted = connection((i * 7919) % size).id
      const started = performance.now()
      ;(await readAll<{ id: string; connectionId: string }>(store, 'credentials')).filter((c) => c.connectionId === wanted)
      times.push((performance.now() - started) * 1000)
    }
    return {
      name: `a scan instead: every credential read, ${size.toLocaleString('en-US')} stored, p50`,
      value: percentile(
        times.sort((a, b) => a - b),
        50,
      ),
      unit: 'µs',
      note: 'for scale',
    }
  })
}

/**
 * The embedded engine's benchmarks, printed as one table.
 *
 * @example
 * printTable('Embedded store', await benchEmbeddedStore())
 */
export async function benchEmbeddedStore(durationMs = 3000): Promise<Row[]> {
  return [...(await writes(durationMs, true)), ...(await writes(durationMs, false)), ...(await lookups())]
}

if (isMain(import.meta.url)) printTable('Embedded store: writes and lookups', await benchEmbeddedStore())
