import { createHash } from 'node:crypto'
import { rootCertificates } from 'node:tls'
import { Agent } from 'undici'
import type { ClientTls } from '../types.ts'
import { createGuardedConnector, type GuardedConnectorOptions } from './connector.ts'

/** Pools kept at once; the least recently used one is closed past it (its requests in flight finish first). */
const MAX_POOLS = 64

/**
 * undici Agents for client certificates (mTLS), one per owner (a connection's credential) and certificate: a
 * socket that presented one credential's certificate is never reused for another's request, and a changed
 * certificate gets a fresh pool. Bounded: the least recently used pool is closed when a new one would pass
 * {@link MAX_POOLS}. Keys are SHA-256 digests, so the map holds no key material.
 *
 * @example
 * const pools = createClientTlsPools({ allowedHosts, connectTimeoutMs: 10_000 })
 * await pools.get({ owner: 'c_1/', cert, key }).request({ origin, path: '/', method: 'GET' })
 */
export function createClientTlsPools(base: Omit<GuardedConnectorOptions, 'tls'>) {
  const pools = new Map<string, Agent>()
  return {
    get(tls: ClientTls): Agent {
      const id = createHash('sha256')
        .update(JSON.stringify([tls.owner, tls.cert, tls.key, tls.passphrase ?? null, tls.ca ?? null]))
        .digest('hex')
      const found = pools.get(id)
      if (found) {
        pools.delete(id)
        pools.set(id, found)
        return found
      }
      if (pools.size >= MAX_POOLS) {
        const [oldest, agent] = pools.entries().next().value as [string, Agent]
        pools.delete(oldest)
        void agent.close().catch(() => {})
      }
      const ca = tls.ca ? [...(typeof base.ca === 'string' ? [base.ca] : (base.ca ?? rootCertificates)), tls.ca] : base.ca
      const agent = new Agent({
        connect: createGuardedConnector({
          ...base,
          ca,
          tls: { cert: tls.cert, key: tls.key, ...(tls.passphrase ? { passphrase: tls.passphrase } : {}) },
        }),
      })
      pools.set(id, agent)
      return agent
    },
    async close(): Promise<void> {
      const agents = [...pools.values()]
      pools.clear()
      await Promise.all(agents.map((agent) => agent.close()))
    },
  }
}
