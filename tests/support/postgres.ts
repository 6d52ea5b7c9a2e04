/**
 * PostgreSQL for tests: `await freshDatabase()` gives a URL of a new, empty database on the run's throwaway
 * cluster. The cluster starts on first use (the first test file that asks starts it; the others wait for it),
 * runs with fsync off, and is stopped and deleted by the global setup when the run ends. A test that needs a
 * cluster of its own (stopping it, crashing it, real fsync) calls `startCluster` from `postgres-cluster.ts`.
 * Without PostgreSQL installed, every call fails saying how to install it.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import { CLUSTER_USER, startCluster } from './postgres-cluster.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Directory the global setup made for the run's shared cluster (see postgres-global-setup.ts). */
    postgresHome: string
  }
}

/** How long a test file waits for another to finish starting the cluster, on a loaded machine. */
const START_WAIT_MS = 300_000

let shared: Promise<{ port: number }> | undefined
let made = 0

async function waitForFile(path: string, failed: string): Promise<string> {
  const deadline = Date.now() + START_WAIT_MS
  while (!existsSync(path)) {
    if (existsSync(failed)) throw new Error(await readFile(failed, 'utf8'))
    if (Date.now() > deadline) throw new Error(`The shared PostgreSQL cluster did not start within ${START_WAIT_MS / 1000} s.`)
    await new Promise((done) => setTimeout(done, 100))
  }
  return readFile(path, 'utf8')
}

/** Starts the run's cluster, or waits for the test file that does. */
async function sharedCluster(): Promise<{ port: number }> {
  const home = inject('postgresHome')
  if (!home) throw new Error('tests/support/postgres-global-setup.ts is not registered as a globalSetup in vitest.config.ts.')
  const ready = join(home, 'cluster.json')
  const failed = join(home, 'failed.txt')
  try {
    // mkdir is atomic: exactly one test file starts the cluster.
    await mkdir(join(home, 'starting'))
  } catch {
    return JSON.parse(await waitForFile(ready, failed)) as { port: number }
  }
  try {
    const cluster = await startCluster({ dir: join(home, 'cluster') })
    await writeFile(ready, JSON.stringify({ port: cluster.port }))
    return { port: cluster.port }
  } catch (error) {
    await writeFile(failed, (error as Error).message)
    throw error
  }
}

/**
 * A new empty database on the run's cluster; returns its URL.
 *
 * @example
 * const url = await freshDatabase()
 * const store = await createPostgresStore({ url })
 */
export async function freshDatabase(): Promise<string> {
  shared ??= sharedCluster()
  const { port } = await shared
  const name = `test_${process.pid}_${++made}`
  const admin = new pg.Client({
    connectionString: `postgres://${CLUSTER_USER}@127.0.0.1:${port}/postgres`,
    connectionTimeoutMillis: 30_000,
  })
  admin.on('error', () => {})
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  return `postgres://${CLUSTER_USER}@127.0.0.1:${port}/${name}`
}
