/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run, printed as
 * tables. Pass names to run some: `npm run bench -- validator store`.
 */
import { printTable, type Row } from './table.ts'

const BENCHES: Record<string, { title: string; load: () => Promise<() => Promise<Row[]>> }> = {
  validator: { title: 'Validator throughput', load: async () => (await import('./validator.ts')).benchValidator },
  'store-embedded': {
    title: 'Embedded store: writes and lookups',
    load: async () => (await import('./store-embedded.ts')).benchEmbeddedStore,
  },
  'store-postgres': {
    title: 'PostgreSQL store: writes and lookups',
    load: async () => (await import('./store-postgres.ts')).benchStorePostgres,
  },
  'connection-test': {
    title: 'Connection test vs bare fetch',
    load: async () => (await import('./connection-test.ts')).benchConnectionTest,
  },
  'oauth-refresh': {
    title: 'Proxied request: fresh token vs refresh first',
    load: async () => (await import('./oauth-refresh.ts')).benchOAuthRefresh,
  },
  'lookups-flat': {
    title: 'Lookups flat: proxied call with 100 vs 100,000 connections stored',
    load: async () => (await import('./lookups-flat.ts')).benchLookupsFlat,
  },
  'replica-refresh': {
    title: 'Refresh across 3 replicas: added latency vs token RTT + one commit',
    load: async () => (await import('./replica-refresh.ts')).benchReplicaRefresh,
  },
  'openapi-import': {
    title: 'OpenAPI import: 10 MB spec, 1,000 operations (≤ 10 s, ≤ 500 MB)',
    load: async () => (await import('./openapi-import.ts')).benchOpenApiImport,
  },
  'designer-validation': {
    title: 'Designer validation per keystroke, 50-field connector (≤ 2 ms)',
    load: async () => (await import('./designer-validation.ts')).benchDesignerValidation,
  },
  designer: { title: 'Designer bundle and first render', load: async () => (await import('./designer.ts')).benchDesigner },
  proxy: { title: 'Proxy vs direct', load: async () => (await import('./proxy.ts')).benchProxy },
}

const wanted = process.argv.slice(3).filter((a) => !a.startsWith('-'))
const unknown = wanted.filter((name) => !Object.hasOwn(BENCHES, name))
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`)
  process.exit(2)
}
console.log(`Switchboard benchmarks — node ${process.version}, ${new Date().toISOString()}`)
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  const started = performance.now()
  process.stderr.write(`running ${name}…\n`)
  const rows = await (await bench.load())()
  printTable(`${bench.title} (${((performance.now() - started) / 1000).toFixed(1)} s)`, rows)
}
