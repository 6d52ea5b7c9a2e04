import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { nameKey, putCredentials } from '../runtime/core/connections/index.ts'
import { createEmbeddedStore, createPostgresStore, type Store } from '../runtime/platform/store/index.ts'
import type { ConnectionRecord } from '../runtime/types.ts'
import { type Cluster, findBinDir, INSTALL_HINT, startCluster } from '../tests/support/postgres-cluster.ts'
import { runtimeOver, type StoreRuntime } from './store-runtime.ts'
import { isMain, percentile, printTable, type Row } from './table.ts'

/** Connections (each with its sealed credential) in the fuller store and in the baseline one. */
const LARGE = 100_000
const SMALL = 100

/** Options of {@link benchLookupsFlat}. */
export interface LookupsFlatOptions {
  /** Sequential proxied calls measured at each size, after a warm-up (default 2,000). */
  calls?: number
}

/**
 * Whether a proxied call costs the same however many connections are stored: the p50 of the same proxied call
 * (a real loopback upstream, in-process API: caller, connection and credential lookups, decryption, the
 * outbound client) with 100 connections stored (the baseline) and, in the same store, with 100,000, each with
 * its sealed credential, in the default app beside the measured one. Both engines: embedded (a data directory)
 * and PostgreSQL (a database on a throwaway cluster with real fsync). Between the two sizes the store is closed
 * and opened again, so the calls at 100,000 do not share the process with the filling's pending writes.
 * Target: ≤ 1.2× the baseline.
 *
 * @example
 * printTable('Lookups flat', await benchLookupsFlat())
 */
export async function benchLookupsFlat(options: LookupsFlatOptions = {}): Promise<Row[]> {
  const upstream: Server = createServer((req, res) => {
    const ok = req.headers.authorization === 'Bearer bench-lookup-token'
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
    res.end(ok ? '{"ok":true}' : '')
  })
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done))
  const base = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`
  try {
    const rows: Row[] = []
    rows.push(...(await measureEngine('embedded', base, options, embeddedStore)))
    try {
      findBinDir()
    } catch {
      return [...rows, { name: 'PostgreSQL: not run', value: Number.NaN, unit: '', note: INSTALL_HINT }]
    }
    rows.push(...(await measureEngine('PostgreSQL', base, options, postgresStore)))
    return rows
  } finally {
    upstream.closeAllConnections()
    upstream.close()
  }
}

/** Where one engine keeps a store: `open` may be called again after the store was closed; `dispose` removes it. */
type StoreHome = () => Promise<{ dir: string; open(): Promise<Store>; dispose(): Promise<void> }>

const embeddedStore: StoreHome = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-lookups-'))
  return {
    dir,
    open: () => createEmbeddedStore({ dir, log: () => {} }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  }
}

const postgresStore: StoreHome = async () => {
  const cluster: Cluster = await startCluster({ durable: true })
  try {
    const admin = new pg.Client({ connectionString: cluster.url('postgres') })
    await admin.connect()
    await admin.query('CREATE DATABASE lookups')
    await admin.end()
    return {
      dir: cluster.dir,
      open: () => createPostgresStore({ url: cluster.url('lookups'), log: () => {} }),
      dispose: () => cluster.destroy(),
    }
  } catch (error) {
    await cluster.destroy()
    throw error
  }
}

async function measureEngine(engine: string, base: string, options: LookupsFlatOptions, home: StoreHome): Promise<Row[]> {
  const calls = options.calls ?? 2_000
  const { dir, open, dispose } = await home()
  let rt: StoreRuntime | undefined
  try {
    rt = await runtimeOver(await open(), dir)
    const id = await rt.connect('generic-bearer', { baseUrl: base, testUrl: `${base}/me`, token: 'bench-lookup-token' })
    await fill(rt, id, 1, SMALL)
    const few = await sample(proxied(rt, id), calls)
    const started = performance.now()
    await fill(rt, id, SMALL, LARGE)
    await rt.close()
    rt = await runtimeOver(await open(), dir)
    const fillSeconds = (performance.now() - started) / 1000
    const many = await sample(proxied(rt, id), calls)
    const large = LARGE.toLocaleString('en-US')
    return [
      {
        name: `${engine}: proxied call p50, ${SMALL} connections (baseline)`,
        value: percentile(few, 50),
        unit: 'ms',
        note: `${calls.toLocaleString('en-US')} sequential calls after a warm-up`,
      },
      { name: `${engine}: proxied call p50, ${large} connections`, value: percentile(many, 50), unit: 'ms' },
      {
        name: `${engine}: ${large} / ${SMALL} (p50)`,
        value: percentile(many, 50) / percentile(few, 50),
        unit: 'ratio',
        note: 'target ≤ 1.2×',
      },
      { name: `${engine}: proxied call p99, ${SMALL} connections`, value: percentile(few, 99), unit: 'ms' },
      {
        name: `${engine}: proxied call p99, ${large} connections`,
        value: percentile(many, 99),
        unit: 'ms',
        note: `filled through store transactions and opened again in ${fillSeconds.toFixed(1)} s`,
      },
      // How busy the machine was: the figures share it with whatever else runs.
      { name: `${engine}: load average, last minute`, value: loadavg()[0]!, unit: '', note: `${availableParallelism()} cores` },
    ]
  } finally {
    await rt?.close().catch(() => {})
    await dispose()
  }
}

/** Latencies in ms of `calls` sequential runs of `call`, sorted, after 1,000 unmeasured ones (JIT, plan caches, pools). */
async function sample(call: () => Promise<void>, calls: number): Promise<number[]> {
  for (let i = 0; i < 1_000; i++) await call()
  const times: number[] = []
  for (let i = 0; i < calls; i++) {
    const started = performance.now()
    await call()
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)
}

/** One proxied call through the runtime in-process; the answer is read whole and must be a 200. */
function proxied(rt: StoreRuntime, id: string): () => Promise<void> {
  const url = `/api/apps/default/connections/${id}/proxy/items?page=1`
  return async () => {
    const res = await rt.app.request(url, { headers: rt.auth })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`proxied call answered ${res.status}`)
  }
}

/**
 * Adds connections number `from` … `total - 1` beside `id` (number 0): copies of its record under new ids and names,
 * each with its own sealed credential, written through store transactions (not the API: the setup is not what
 * is measured). The embedded engine takes them in one transaction; PostgreSQL in batches, a few at a time.
 */
async function fill(rt: StoreRuntime, id: string, from: number, total: number): Promise<void> {
  const template = await rt.store.get<ConnectionRecord>('connections', id)
  if (!template) throw new Error(`fill: connection ${id} is not stored`)
  const batch = rt.store.engine === 'embedded' ? total : 2_000
  const ranges: Array<[number, number]> = []
  for (let start = from; start < total; start += batch) ranges.push([start, Math.min(start + batch, total)])
  const at = template.createdAt
  const write = ([first, end]: [number, number]) =>
    rt.store.transaction(async (tx) => {
      for (let i = first; i < end; i++) {
        const name = `Filler connection ${i}`
        const record: ConnectionRecord = { ...template, id: `c_fill_${String(i).padStart(6, '0')}`, name, nameKey: nameKey(name) }
        await tx.put('connections', record)
        await putCredentials(tx, rt.keyRing, record, undefined, { values: { token: `filler-token-${i}` } }, at)
      }
    })
  const workers = rt.store.engine === 'embedded' ? 1 : 8
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let range = ranges.shift(); range; range = ranges.shift()) await write(range)
    }),
  )
}

if (isMain(import.meta.url)) printTable('Lookups flat: proxied call with 100 vs 100,000 connections', await benchLookupsFlat())
