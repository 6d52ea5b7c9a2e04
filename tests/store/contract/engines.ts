/**
 * The engines the contract suite runs against, each opening a fresh, empty store per test. Suites are
 * `describe.each(useEngines())`: every test runs on each engine, written against the contract only.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { Store, StoreChange } from '../../../runtime/platform/store/contract.ts'
import { createEmbeddedStore, createPostgresStore } from '../../../runtime/platform/store/index.ts'
import { freshDatabase } from '../../support/postgres.ts'

const quiet = () => {}

export interface Opened {
  store: Store
  /**
   * Another store on the same data, as a second process opens it. Only engines shared by several processes
   * have it (the embedded engine's directory belongs to one process).
   */
  another?: () => Promise<Store>
  /** Closes the store and opens the same data again, as a restart does. */
  reopen: () => Promise<Store>
}

export interface Engine {
  name: 'postgres' | 'embedded'
  open(): Promise<Opened>
}

/**
 * Both engines, closing what a test opened after it.
 *
 * @example
 * describe.each(useEngines())('$name', (engine) => { test('…', async () => { const { store } = await engine.open() }) })
 */
export function useEngines(): Engine[] {
  const stores: Store[] = []
  const dirs: string[] = []
  afterEach(async () => {
    await Promise.allSettled(stores.splice(0).map((store) => store.close()))
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
  })
  const keep = (store: Store) => (stores.push(store), store)
  return [
    {
      name: 'postgres',
      async open() {
        const url = await freshDatabase()
        const store = keep(await createPostgresStore({ url, log: quiet }))
        return {
          store,
          another: async () => keep(await createPostgresStore({ url, log: quiet })),
          reopen: async () => (await store.close(), keep(await createPostgresStore({ url, log: quiet }))),
        }
      },
    },
    {
      name: 'embedded',
      async open() {
        const dir = await mkdtemp(join(tmpdir(), 'switchboard-contract-'))
        dirs.push(dir)
        const store = keep(await createEmbeddedStore({ dir, log: quiet }))
        return { store, reopen: async () => (await store.close(), keep(await createEmbeddedStore({ dir, log: quiet }))) }
      },
    },
  ]
}

/**
 * Resolves with the changes `store` reports, once one satisfies `done` (the changes before included).
 *
 * @example
 * const seen = changesUntil(store, (c) => c.collection === 'apps' && c.id === 'marker')
 */
export function changesUntil(store: Store, done: (change: StoreChange) => boolean): Promise<StoreChange[]> {
  const seen: StoreChange[] = []
  return new Promise((resolve) => {
    const stop = store.subscribe((change) => {
      seen.push(change)
      if (done(change)) {
        stop()
        resolve(seen)
      }
    })
  })
}

/** Whether a change is of record `id` in `collection`. */
export const isChange = (collection: string, id: string) => (change: StoreChange) =>
  change.collection === collection && 'id' in change && change.id === id

/** A connection-like record. */
export function connection(id: string, appId: string, extra: Record<string, unknown> = {}) {
  return { id, appId, connectorId: 'github', nameKey: id, createdAt: '2025-01-01T00:00:00.000Z', ...extra }
}
