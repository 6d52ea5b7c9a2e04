import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../runtime/app.ts'
import { createCatalogue, loadBuiltIns } from '../runtime/core/catalogue/index.ts'
import { bootstrapWorkspace } from '../runtime/inbound/callers/index.ts'
import { createKeyRing } from '../runtime/platform/crypto/index.ts'
import { createHttpClient, type HttpClient } from '../runtime/platform/http/index.ts'
import { createEmbeddedStore } from '../runtime/platform/store/index.ts'

/** The runtime as a benchmark uses it: in-process, over a temp data directory, loopback allow-listed. */
export interface BenchRuntime {
  app: ReturnType<typeof createApp>
  http: HttpClient
  /** `Authorization` of the workspace owner. */
  auth: { authorization: string }
  /** Adds a connection to the default app and answers its id. */
  connect(connectorId: string, values: Record<string, string>): Promise<string>
  close(): Promise<void>
}

/**
 * Builds the real runtime for a benchmark: lowdb store, key ring, built-in catalogue, the outbound
 * client with loopback allowed, the owner's token.
 *
 * @example
 * const rt = await benchRuntime()
 * const id = await rt.connect('generic-bearer', { baseUrl, testUrl, token })
 */
export async function benchRuntime(): Promise<BenchRuntime> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-bench-'))
  const store = await createEmbeddedStore({ dir, log: () => {} })
  const http = createHttpClient({ allowedHosts: '127.0.0.1' })
  const app = createApp({
    store,
    catalogue: createCatalogue({ builtIns: await loadBuiltIns('connectors'), store }),
    keyRing: createKeyRing({ dataDir: dir, env: { SWITCHBOARD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') } }),
    http,
    publicUrl: 'http://localhost:8787',
    log: () => {},
  })
  const { ownerToken } = await bootstrapWorkspace(store, new Date())
  const auth = { authorization: `Bearer ${ownerToken}` }
  return {
    app,
    http,
    auth,
    async connect(connectorId, values) {
      const created = await app.request('/api/apps/default/connections', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ connectorId, name: `bench ${connectorId}`, values }),
      })
      if (created.status !== 201) throw new Error(`bench connection: ${created.status} ${await created.text()}`)
      return ((await created.json()) as { id: string }).id
    },
    async close() {
      await http.close()
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
