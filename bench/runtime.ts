import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEmbeddedStore } from '../runtime/platform/store/index.ts'
import { runtimeOver, type StoreRuntime } from './store-runtime.ts'

/**
 * Builds the real runtime for a benchmark over a fresh embedded store in a temp data directory (removed on
 * close): key ring, built-in catalogue, the outbound client with loopback allowed, the owner's token.
 *
 * @example
 * const rt = await benchRuntime()
 * const id = await rt.connect('generic-bearer', { baseUrl, testUrl, token })
 */
export async function benchRuntime(): Promise<StoreRuntime> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-bench-'))
  const rt = await runtimeOver(await createEmbeddedStore({ dir, log: () => {} }), dir)
  return {
    ...rt,
    async close() {
      await rt.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
