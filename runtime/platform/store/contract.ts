/**
 * The store contract every engine implements: the embedded lowdb file (one process) and PostgreSQL (several
 * replicas). Reads go by key or by a declared index, never by a closure, so a server database can answer them
 * from an index; writes are read-modify-write of one record without lost updates, or transactions that apply
 * all or nothing; `lock` and `subscribe` give what must hold across processes (one token refresh per
 * credential, caches dropped when another replica changes a record).
 *
 * Records are JSON objects with a string `id`, unique in their collection. What is read back is a copy: a
 * caller may change it freely. Values must survive `JSON.stringify` (no `Date`, `Map`, `undefined` in arrays).
 */
import type { LimitState } from '../limits/index.ts'
import type { COLLECTIONS } from './collections.ts'

/** A collection the runtime keeps; a closed list, so a typo is a type error rather than a new table. */
export type CollectionName = keyof typeof COLLECTIONS

/** The indexes declared for a collection. */
export type IndexName<C extends CollectionName> = keyof (typeof COLLECTIONS)[C]['indexes'] & string

/** Any declared index's name (an engine refuses one its collection does not declare). */
export type AnyIndexName = { [C in CollectionName]: IndexName<C> }[CollectionName]

/** Anything stored. */
export interface StoreRecord {
  id: string
  [k: string]: unknown
}

/**
 * A value an index holds: what a record has at one of the index's fields. A field should hold one type: how
 * values of different types order against each other is each engine's own (PostgreSQL: jsonb's order).
 */
export type IndexValue = string | number | boolean

/**
 * A query on an index: values for the first fields (in order), optionally a range on the next field, the
 * order of that next field, and how many records at most.
 *
 * @example
 * // the newest 50 audit entries of an app, below seq 900
 * const query: IndexQuery = { equals: ['default'], range: { lt: 900 }, order: 'desc', limit: 50 }
 */
export interface IndexQuery {
  equals: readonly IndexValue[]
  range?: { gt?: IndexValue; gte?: IndexValue; lt?: IndexValue; lte?: IndexValue }
  /**
   * Order by the first field after `equals` (then by the index's later fields, then by id: the index's order;
   * `desc` reverses all of it). Default `asc`.
   */
  order?: 'asc' | 'desc'
  limit?: number
}

/**
 * How a record is read. `shared`: the caller only reads it, never changes it, so the engine may hand out the
 * record it holds instead of a copy (the embedded engine's are frozen: a change throws). For the reads every
 * request makes (its token, app, connection, connector, credentials), where copying cost more than the rest.
 */
export interface ReadOptions {
  shared?: boolean
}

/**
 * How long a write waits. `durable` (default): until it would survive a crash. `relaxed`: until it is visible
 * to every reader, while its durability follows shortly (a crash may lose the last relaxed writes). For what is
 * cheap to lose and costly to wait for: the result of a connection test, a token's last use.
 */
export interface WriteOptions {
  durability?: 'durable' | 'relaxed'
}

/**
 * The view of the store inside {@link Store.transaction}. Reads see the transaction's own writes. A record
 * read with `get` stays the transaction's until it ends (no other transaction or update changes it meanwhile),
 * so read-check-write inside a transaction is safe. Nothing is visible to others until the function returns,
 * and then all of it; a throw applies nothing.
 */
export interface StoreTx {
  get<T extends StoreRecord>(collection: CollectionName, id: string): Promise<T | undefined>
  find<T extends StoreRecord = StoreRecord>(collection: CollectionName, index: AnyIndexName, query: IndexQuery): Promise<T[]>
  /** Fails with 409 `conflict` when the id, or a unique index's value, is taken. */
  insert<T extends StoreRecord>(collection: CollectionName, record: T): Promise<T>
  /** Insert or replace. Fails with 409 `conflict` when a unique index's value is another record's. */
  put<T extends StoreRecord>(collection: CollectionName, record: T): Promise<T>
  delete(collection: CollectionName, id: string): Promise<boolean>
}

/**
 * A change to a record, as {@link Store.subscribe} reports it; or `{ collection: '*' }`: changes may have been
 * missed (PostgreSQL: the listening connection was lost and is back), so anything derived from the store, a
 * cache, must be dropped whole. A union, so a listener cannot read `id` without handling that case first.
 */
export type StoreChange = { collection: CollectionName; id: string } | { collection: '*' }

/**
 * The persistence interface.
 *
 * @example
 * const store = await openStore({ dataDir: './data' })
 * await store.insert('apps', { id: 'app_1', name: 'Demo', members: [] })
 * const mine = await store.find('connections', 'byApp', { equals: ['app_1'] })
 * await store.update<App>('apps', 'app_1', (app) => app && { ...app, name: 'Renamed' })
 * await store.close()
 */
export interface Store {
  /** Which engine this is, for messages and metrics. */
  readonly engine: 'embedded' | 'postgres'
  /** A copy of the record, or with `{ shared: true }` one that may be shared with other readers (see {@link ReadOptions}). */
  get<T extends StoreRecord>(collection: CollectionName, id: string, options?: ReadOptions): Promise<T | undefined>
  /** Records by an index, in the index's order. */
  find<T extends StoreRecord = StoreRecord>(collection: CollectionName, index: AnyIndexName, query: IndexQuery): Promise<T[]>
  /** How many records an index query matches (`limit` ignored). */
  count(collection: CollectionName, index: AnyIndexName, query: IndexQuery): Promise<number>
  /** Every record of a collection in id order, a page at a time: for exports, key rotation and store migration. */
  scan<T extends StoreRecord>(collection: CollectionName, page: { after?: string; limit: number }): Promise<T[]>
  /** Fails with 409 `conflict` when the id, or a unique index's value, is taken. */
  insert<T extends StoreRecord>(collection: CollectionName, record: T, options?: WriteOptions): Promise<T>
  /** Insert or replace. */
  put<T extends StoreRecord>(collection: CollectionName, record: T, options?: WriteOptions): Promise<T>
  /**
   * Read-modify-write of one record without lost updates: `updater` gets a copy of the record as it is now (or
   * `undefined`) while no other writer can change it, and returns the next value, or `undefined` to delete.
   */
  update<T extends StoreRecord>(
    collection: CollectionName,
    id: string,
    updater: (current: T | undefined) => T | undefined | Promise<T | undefined>,
    options?: WriteOptions,
  ): Promise<T | undefined>
  delete(collection: CollectionName, id: string, options?: WriteOptions): Promise<boolean>
  /**
   * Several reads and writes that apply all or nothing (see {@link StoreTx}). `fn` may run again when the
   * database rolls it back to break a deadlock (PostgreSQL), so it does nothing outside `tx` that cannot be repeated.
   */
  transaction<R>(fn: (tx: StoreTx) => Promise<R>, options?: WriteOptions): Promise<R>
  /**
   * Runs `fn` while holding the named lock, which one holder at a time has across every process using this
   * store (PostgreSQL: an advisory lock). For work that must happen once however many replicas want it:
   * renewing one credential's token.
   */
  lock<R>(name: string, fn: () => Promise<R>): Promise<R>
  /**
   * Rate-limit state every process using the store shares (PostgreSQL); absent when there is one process (the
   * embedded engine), which keeps it in memory.
   */
  readonly limits?: LimitState
  /** Told of every committed change, by any process using the store; returns a function that stops it. */
  subscribe(listener: (change: StoreChange) => void): () => void
  /** Waits for pending writes and releases what the store holds. Later calls fail with 503 `store_closed`. */
  close(): Promise<void>
}
