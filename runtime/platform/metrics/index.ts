export { createMetrics, type HttpMetrics, type Metrics } from './create-metrics.ts'
export { instrumentStore, type StoreTimer } from './instrument-store.ts'
export { createLabelCache } from './label-cache.ts'
