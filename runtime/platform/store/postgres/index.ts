export { createPostgresStore } from './create-postgres-store.ts'
export type { PostgresStoreLog, PostgresStoreOptions } from './options.ts'
