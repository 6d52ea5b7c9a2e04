import type { AddressInfo } from 'node:net'
import { createAdaptorServer, type ServerType } from '@hono/node-server'

/** What the HTTP server passes to the app: the request, and the Node request and response (`env`). */
export type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>

/**
 * Connections the kernel queues while the runtime is busy accepting. Node's default (511) is smaller than a
 * burst of callers opening connections at once: past it the kernel drops or resets new connections, which
 * callers see as `ECONNRESET` before the runtime saw their request. The kernel caps it at `somaxconn`.
 */
const BACKLOG = 4096

/**
 * Serves `fetch` on `host:port` (0: a free port) and resolves once it listens. The one way the runtime and
 * the test servers start listening, so both queue bursts of connections the same way.
 *
 * @example
 * const server = await listenHttp(app.fetch, { port: 8787, host: '127.0.0.1' })
 * const { port } = server.address() as AddressInfo
 */
export function listenHttp(fetch: Fetch, options: { port: number; host?: string | undefined }): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = createAdaptorServer({ fetch, hostname: options.host })
    server.once('error', reject)
    server.listen({ port: options.port, host: options.host, backlog: BACKLOG }, () => {
      server.off('error', reject)
      resolve(server)
    })
  })
}

/** The port a server listens on. */
export function portOf(server: ServerType): number {
  return (server.address() as AddressInfo).port
}
