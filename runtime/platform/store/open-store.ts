import type { Store } from './contract.ts'
import { createEmbeddedStore } from './embedded/index.ts'
import { createPostgresStore, type PostgresStoreOptions } from './postgres/index.ts'
import type { StoreLog } from './types.ts'

/** Which engine to open, as the runtime's settings say. */
export interface OpenStoreOptions {
  /** The embedded engine's data directory (used when there is no database URL). */
  dataDir: string
  /** `postgres://…`: several replicas share this database instead of a data directory. */
  databaseUrl?: string | undefined
  /** Pool settings for PostgreSQL. */
  pool?: PostgresStoreOptions['pool']
  log?: StoreLog
}

/**
 * Opens the store the settings choose: PostgreSQL when a database URL is given, else the embedded engine in
 * the data directory.
 *
 * @example
 * const store = await openStore({ dataDir: './data', databaseUrl: process.env.SWITCHBOARD_DATABASE_URL })
 */
export function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    return createPostgresStore({
      url: options.databaseUrl,
      ...(options.pool ? { pool: options.pool } : {}),
      ...(options.log ? { log: options.log } : {}),
    })
  }
  return createEmbeddedStore({ dir: options.dataDir, ...(options.log ? { log: options.log } : {}) })
}
