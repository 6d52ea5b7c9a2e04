/**
 * The store the runtime tests run on: the embedded engine in the test's data directory, or, when
 * `SWITCHBOARD_TEST_STORE=postgres`, a fresh database on the run's throwaway PostgreSQL, so the same HTTP suites
 * prove both engines (CI runs them once on each).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  COLLECTIONS,
  type CollectionName,
  createEmbeddedStore,
  createPostgresStore,
  readAll,
  type Store,
  type StoreLog,
} from '../../runtime/platform/store/index.ts'
import { freshDatabase } from './postgres.ts'

/** Which engine this run's runtime tests use. */
export const TEST_ENGINE: 'embedded' | 'postgres' = process.env.SWITCHBOARD_TEST_STORE === 'postgres' ? 'postgres' : 'embedded'

/**
 * Opens the engine this run tests, over `dir` (embedded) or a fresh database (PostgreSQL).
 *
 * @example
 * const store = await openTestStore(dir, (level, message) => log.push(message))
 */
export async function openTestStore(dir: string, log: StoreLog, options: { backupIntervalMs?: number } = {}): Promise<Store> {
  if (TEST_ENGINE === 'postgres') return createPostgresStore({ url: await freshDatabase(), log })
  return createEmbeddedStore({ dir, log, backupIntervalMs: options.backupIntervalMs ?? 0 })
}

/**
 * Everything the store holds at rest, as text: the store file (embedded), or every record of every table
 * (PostgreSQL). For sweeps that no secret is there except as ciphertext, and for "nothing changed" checks.
 *
 * @example
 * expect(await storeText(store, dir)).not.toContain(canary)
 */
export async function storeText(store: Store, dir: string): Promise<string> {
  if (store.engine === 'embedded') return readFile(join(dir, 'store.json'), 'utf8')
  // The embedded file's shape, so the same checks read both.
  const collections: Record<string, Record<string, unknown>> = {}
  for (const collection of Object.keys(COLLECTIONS) as CollectionName[]) {
    const records = await readAll(store, collection)
    if (records.length > 0) collections[collection] = Object.fromEntries(records.map((r) => [r.id, r]))
  }
  return JSON.stringify({ format: 'postgres', collections }, null, 2)
}
