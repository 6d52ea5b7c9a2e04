export type { EmbeddedStoreOptions } from './create-embedded-store.ts'
export { createEmbeddedStore } from './create-embedded-store.ts'
