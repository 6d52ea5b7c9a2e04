/**
 * The store's public contract. Every module that persists something (connections, custom connectors, users,
 * apps, tokens, credentials, OAuth states, audit entries) talks to a {@link Store}, so the embedded lowdb file
 * can be swapped for a server database without touching them.
 */

/**
 * The collections the runtime keeps. A closed list, so a typo is a type error rather than a silent new table.
 *
 * @example
 * const name: CollectionName = 'connections'
 */
export type CollectionName =
  | 'connectors'
  | 'connections'
  | 'credentials'
  | 'users'
  | 'tokens'
  | 'apps'
  | 'oauthStates'
  | 'oauthApps'
  | 'audit'
  | 'meta'

/**
 * Anything stored: a JSON object with a string `id`, unique within its collection. Values must survive
 * `JSON.stringify` (no `Date`, `Map`, `undefined` in arrays…); what is read back is what a restart would read.
 *
 * @example
 * const record: StoreRecord = { id: 'conn_1', appId: 'app_1', connector: 'github' }
 */
export interface StoreRecord {
  id: string
  [k: string]: unknown
}

/**
 * Synchronous view of the store inside {@link Store.transaction}. Reads see the transaction's own changes;
 * nothing is visible to others until the transaction function returns, and then all of it at once.
 *
 * @example
 * await store.transaction((tx) => {
 *   tx.delete('connections', id)
 *   for (const c of tx.list<Credential>('credentials', (c) => c.connectionId === id)) tx.delete('credentials', c.id)
 * })
 */
export interface StoreTx {
  /** A copy of the record, or `undefined`. */
  get<T extends StoreRecord>(collection: CollectionName, id: string): T | undefined
  /** Copies of the records the (read-only) filter accepts, all of them without one. */
  list<T extends StoreRecord>(collection: CollectionName, filter?: (r: T) => boolean): T[]
  /** Insert or replace; returns a copy of what will be stored. */
  put<T extends StoreRecord>(collection: CollectionName, record: T): T
  /** Whether there was a record to delete. */
  delete(collection: CollectionName, id: string): boolean
}

/**
 * The persistence interface. Every mutation resolves only once a durable write containing it has completed,
 * and every value handed out is a copy, so callers may mutate what they get.
 *
 * @example
 * const store = await createLowdbStore({ dir: './data' })
 * await store.insert('apps', { id: 'app_1', name: 'Demo' })
 * await store.update<App>('apps', 'app_1', (app) => app && { ...app, name: 'Renamed' })
 * await store.close()
 */
export interface Store {
  /** A copy of the record, or `undefined`. */
  get<T extends StoreRecord>(collection: CollectionName, id: string): Promise<T | undefined>
  /** Copies of the records the filter accepts; the filter sees read-only records (mutating them throws). */
  list<T extends StoreRecord>(collection: CollectionName, filter?: (r: T) => boolean): Promise<T[]>
  /** Insert; throws if the id exists (SwitchboardError 409 code 'conflict'). */
  insert<T extends StoreRecord>(collection: CollectionName, record: T): Promise<T>
  /**
   * Read-modify-write serialised per record; updater gets a deep copy of current (or undefined), returns next
   * value, or undefined to delete; returns the new value.
   */
  update<T extends StoreRecord>(
    collection: CollectionName,
    id: string,
    updater: (current: T | undefined) => T | undefined | Promise<T | undefined>,
  ): Promise<T | undefined>
  /** Whether there was a record to delete. */
  delete(collection: CollectionName, id: string): Promise<boolean>
  /** Several changes applied atomically in one durable write (e.g. delete connection + its credentials). */
  transaction<R>(fn: (tx: StoreTx) => R | Promise<R>): Promise<R>
  /** Waits for pending writes, then releases the data directory. Later calls fail with code 'store_closed'. */
  close(): Promise<void>
}

/**
 * Where the store reports what a person should know about: a backup restored, a backup that could not be
 * refreshed. Errors that stop the store are thrown, not logged.
 *
 * @example
 * const log: StoreLog = (level, message) => logger[level](message)
 */
export type StoreLog = (level: 'info' | 'warn', message: string) => void

/**
 * Options of {@link createLowdbStore}.
 *
 * @example
 * const options: LowdbStoreOptions = { dir: process.env.SWITCHBOARD_DATA_DIR ?? './data' }
 */
export interface LowdbStoreOptions {
  /** The data directory; created if missing. Only one process may use it at a time. */
  dir: string
  /** Name of the store file inside `dir`. Default `store.json`. */
  fileName?: string
  /** Default: `console.warn` / `console.info` with a `[store]` prefix. */
  log?: StoreLog
  /**
   * How often, at most, the last-good backup (`<fileName>.bak`) is refreshed after a successful write.
   * It is also refreshed when the store opens and when it closes. Default 60 000 ms; 0 means every write.
   */
  backupIntervalMs?: number
}

/**
 * What the store file holds. `format` lets a future version migrate or refuse a file it does not know.
 *
 * @example
 * const file: StoreFile = { format: 1, collections: { apps: { app_1: { id: 'app_1', name: 'Demo' } } } }
 */
export interface StoreFile {
  format: number
  /** Records by collection, then by id (the key always equals the record's `id`). */
  collections: Partial<Record<string, Record<string, StoreRecord>>>
}
