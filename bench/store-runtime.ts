import { createApp } from '../runtime/app.ts'
import { createCatalogue, loadBuiltIns } from '../runtime/core/catalogue/index.ts'
import { bootstrapWorkspace, issueToken, OWNER_ID } from '../runtime/inbound/callers/index.ts'
import { createKeyRing, type KeyRing } from '../runtime/platform/crypto/index.ts'
import { createHttpClient } from '../runtime/platform/http/index.ts'
import { createLogger } from '../runtime/platform/log/index.ts'
import type { Store } from '../runtime/platform/store/index.ts'

/** The runtime in-process over a store the benchmark opened (either engine), loopback upstreams allowed. */
export interface StoreRuntime {
  app: ReturnType<typeof createApp>
  store: Store
  keyRing: KeyRing
  /** `Authorization` of the workspace owner. */
  auth: { authorization: string }
  /** Adds a connection to the default app with its values (credentials included) and answers its id. */
  connect(connectorId: string, values: Record<string, string>): Promise<string>
  /** Closes the outbound client and the store. */
  close(): Promise<void>
}

/**
 * Builds the real runtime over `store`: key ring (a fixed master key, so `dir` gets no key file), built-in
 * catalogue, outbound client with loopback allowed, and a token of the workspace owner (created on an empty
 * store; a store opened again gets a new token for the owner it has).
 *
 * @example
 * const rt = await runtimeOver(await createPostgresStore({ url }), dir)
 * const id = await rt.connect('generic-bearer', { baseUrl, testUrl, token })
 */
export async function runtimeOver(store: Store, dir: string): Promise<StoreRuntime> {
  const http = createHttpClient({ allowedHosts: '127.0.0.1' })
  const keyRing = createKeyRing({ dataDir: dir, env: { SWITCHBOARD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') } })
  const app = createApp({
    store,
    catalogue: createCatalogue({ builtIns: await loadBuiltIns('connectors'), store }),
    keyRing,
    http,
    publicUrl: 'http://localhost:8787',
    logger: createLogger({ level: 'silent' }),
  })
  const created = (await bootstrapWorkspace(store, new Date())).ownerToken
  // A store opened again has its owner already: the benchmark gets a token of its own for them.
  const ownerToken = created ?? (await issueToken(store, OWNER_ID, 'bench', { now: new Date().toISOString() })).token
  const auth = { authorization: `Bearer ${ownerToken}` }
  return {
    app,
    store,
    keyRing,
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
    },
  }
}
