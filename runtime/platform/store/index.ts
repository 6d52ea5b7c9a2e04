export { COLLECTIONS, type CollectionSpec, type IndexSpec } from './collections.ts'
export type {
  AnyIndexName,
  CollectionName,
  IndexName,
  IndexQuery,
  IndexValue,
  ReadOptions,
  Store,
  StoreChange,
  StoreRecord,
  StoreTx,
  WriteOptions,
} from './contract.ts'
export { DurableJsonFile } from './durable-json-file.ts'
export { createEmbeddedStore, type EmbeddedStoreOptions } from './embedded/index.ts'
export { type OpenStoreOptions, openStore } from './open-store.ts'
export { createPostgresStore, type PostgresStoreOptions } from './postgres/index.ts'
export { readAll, scanAll } from './scan-all.ts'
export { createSequence, nextSequence } from './sequence.ts'
export { CURRENT_STORE_FORMAT, storeMigrations } from './store-format.ts'
export type { StoreFile, StoreLog } from './types.ts'
