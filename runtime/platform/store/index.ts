export { DurableJsonFile } from './durable-json-file.ts'
export { createEmbeddedStore, type EmbeddedStoreOptions } from './embedded/index.ts'
export { createLowdbStore } from './lowdb-store.ts'
export { createPostgresStore, type PostgresStoreOptions } from './postgres/index.ts'
export { CURRENT_STORE_FORMAT, storeMigrations } from './store-format.ts'
export type {
  CollectionName,
  LowdbStoreOptions,
  Store,
  StoreFile,
  StoreLog,
  StoreRecord,
  StoreTx,
} from './types.ts'
