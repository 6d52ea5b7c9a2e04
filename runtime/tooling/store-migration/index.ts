export { canonicalJson } from './canonical-json.ts'
export {
  COLLECTION_NAMES,
  type CollectionCounts,
  type CopyProgress,
  clearStore,
  copyStore,
  countRecords,
  PAGE_SIZE,
} from './copy-store.ts'
export { digestStore, type StoreDigest } from './store-digest.ts'
export { openLocation, parseLocation, type StoreLocation, sameLocation } from './store-location.ts'
