// The real runtime for the throughput benchmarks, in a process of its own: `startServer` on a fresh data
// directory, loopback allowed, with `<fillers>` extra connections (and their sealed credentials) in the store
// beside the ones measured, so lookups are measured at that size. Prints one JSON line once serving:
// { port, token, bearer, action, oauth2 } (connection ids).
import { mkdtemp, writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector'
import { devNull, tmpdir } from 'node:os'
import { join } from 'node:path'
import { readConfig } from '../../runtime/config.ts'
import { putCredentials } from '../../runtime/core/connections/index.ts'
import { batchedDestination, createLogger } from '../../runtime/platform/log/index.ts'
import { startServer } from '../../runtime/server.ts'
import type { ConnectionRecord, ConnectorRecord } from '../../runtime/types.ts'

const [upstream, fillerArg = '0'] = process.argv.slice(3)
const fillers = Number(fillerArg)
const dir = await mkdtemp(join(tmpdir(), 'sb-bench-throughput-'))
const env = {
  PORT: '0',
  SWITCHBOARD_DATA_DIR: dir,
  SWITCHBOARD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  SWITCHBOARD_ALLOWED_HOSTS: '127.0.0.1',
  SWITCHBOARD_PUBLIC_URL: 'http://localhost:8787',
}
const at = new Date().toISOString()

const OAUTH_CONNECTOR = {
  id: 'bench-oauth',
  name: 'Bench OAuth2',
  baseUrl: upstream,
  auth: [
    { type: 'oauth2', id: 'oauth', grant: 'authorization_code', authorizeUrl: `${upstream}/authorize`, tokenUrl: `${upstream}/token` },
  ],
  test: { path: '/me' },
}

const server = await startServer(readConfig(env), {
  log: () => {},
  // The log as in production (an entry per request, written asynchronously), to a sink that costs nothing itself.
  logger: createLogger({ destination: batchedDestination(devNull) }),
  env,
  async prepare({ store, keyRing }) {
    await store.put<ConnectorRecord>('connectors', {
      id: OAUTH_CONNECTOR.id,
      definition: OAUTH_CONNECTOR as never,
      createdAt: at,
      updatedAt: at,
      createdBy: 'owner',
    })
    const oauth: ConnectionRecord = {
      id: 'c_bench_oauth',
      appId: 'default',
      connectorId: 'bench-oauth',
      name: 'bench oauth',
      nameKey: 'bench oauth',
      authMethod: 'oauth',
      sharing: 'shared',
      status: 'connected',
      fields: {},
      createdAt: at,
      updatedAt: at,
      createdBy: 'owner',
    }
    for (let start = 0; start <= fillers; start += 1000) {
      await store.transaction(async (tx) => {
        if (start === 0) {
          await tx.put('connections', oauth)
          const tokens = { accessToken: 'bench-oauth-token', expiresAt: Date.now() + 24 * 3600_000, tokenType: 'Bearer' }
          await putCredentials(tx, keyRing, oauth, undefined, { values: {}, oauth: tokens }, at)
        }
        for (let i = start; i < Math.min(start + 1000, fillers); i++) {
          const record: ConnectionRecord = {
            id: `c_filler_${i}`,
            appId: `app_${i % 100}`,
            connectorId: 'generic-bearer',
            name: `filler ${i}`,
            nameKey: `filler ${i}`,
            authMethod: 'token',
            sharing: 'shared',
            status: 'connected',
            fields: { baseUrl: upstream!, testUrl: `${upstream}/me` },
            createdAt: at,
            updatedAt: at,
            createdBy: 'owner',
          }
          await tx.put('connections', record)
          await putCredentials(tx, keyRing, record, undefined, { values: { token: `filler-token-${i}` } }, at)
        }
      })
    }
  },
})
const token = new URL(server.signInUrl!).searchParams.get('token')!
const api = async (method: string, path: string, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status >= 300) throw new Error(`bench setup: ${method} ${path} answered ${res.status} ${await res.text()}`)
  return (await res.json()) as { id: string }
}
const bearer = await api('POST', '/api/apps/default/connections', {
  connectorId: 'generic-bearer',
  name: 'bench bearer',
  values: { baseUrl: upstream, testUrl: `${upstream}/me`, token: 'bench-token' },
})
await api('POST', '/api/connectors', {
  id: 'bench-actions',
  name: 'Bench actions',
  baseUrl: upstream,
  auth: [
    {
      type: 'apiKey',
      id: 'key',
      fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
      placements: [{ in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' }],
    },
  ],
  test: { path: '/me' },
  actions: [
    {
      key: 'create',
      name: 'Create an item',
      method: 'POST',
      path: '/items',
      body: { name: '{{input.name}}', done: '{{input.done}}' },
      input: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, done: { type: 'boolean' } } },
    },
  ],
})
const action = await api('POST', '/api/apps/default/connections', {
  connectorId: 'bench-actions',
  name: 'bench actions',
  values: { apiKey: 'bench-key-000000' },
})
const stopProfile = await profileFromHere(process.env.BENCH_PROFILE)
console.log(JSON.stringify({ port: server.port, token, bearer: bearer.id, action: action.id, oauth2: 'c_bench_oauth' }))
process.on('SIGTERM', () => void stopProfile().then(() => server.close().then(() => process.exit(0))))

/**
 * BENCH_PROFILE=<dir>: a CPU profile of what is measured only (from here to SIGTERM), without the start-up and
 * the store filling before it, written to `<dir>/runtime-<fillers>.cpuprofile` (Chrome DevTools, speedscope).
 */
async function profileFromHere(dirName: string | undefined): Promise<() => Promise<void>> {
  if (!dirName) return async () => {}
  const session = new Session()
  session.connect()
  const post = (method: string) =>
    new Promise<unknown>((done, fail) => session.post(method, (error, result) => (error ? fail(error) : done(result))))
  await post('Profiler.enable')
  await post('Profiler.start')
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown }
    await writeFile(join(dirName, `runtime-${fillers}.cpuprofile`), JSON.stringify(profile))
  }
}
