import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'vitest'
import { SwitchboardError } from '../../runtime/errors.ts'
import type { LookupFunction } from '../../runtime/platform/http/index.ts'

/** What a test server saw of one request. */
export interface SeenRequest {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

export interface TestServer {
  server: http.Server
  port: number
  origin: string
  /** TCP connections accepted so far: the proof that a refused request never reached the socket layer. */
  readonly connections: number
  requests: SeenRequest[]
  close(): Promise<void>
}

/**
 * A real HTTP server on a loopback address that records every connection and request. The handler gets
 * the request body already read.
 */
export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, seen: SeenRequest) => void = (_q, res) => res.end('ok'),
  options: { host?: string; port?: number } = {},
): Promise<TestServer> {
  const requests: SeenRequest[] = []
  let connections = 0
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      }
      requests.push(seen)
      handler(req, res, seen)
    })
  })
  server.on('connection', () => connections++)
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    server,
    port,
    origin: `http://${host}:${port}`,
    get connections() {
      return connections
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A DNS stand-in: names map to fixed answers, anything else is NXDOMAIN. Counts calls per name. */
export function staticLookup(table: Record<string, string[]>): LookupFunction & { calls: Record<string, number> } {
  const calls: Record<string, number> = {}
  const lookup = async (hostname: string) => {
    calls[hostname] = (calls[hostname] ?? 0) + 1
    const answers = table[hostname]
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return Object.assign(lookup, { calls })
}

/** Awaits a promise that must reject with a SwitchboardError of `code`, and returns the error. */
export async function expectFailure(promise: Promise<unknown>, code: string): Promise<SwitchboardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, `expected ${code}`).toBeInstanceOf(SwitchboardError)
  expect((error as SwitchboardError).code).toBe(code)
  return error as SwitchboardError
}

/** Everything a log line or API answer could show of an error: message, JSON, and each cause's message. */
export function visibleText(error: SwitchboardError): string {
  const parts = [error.message, JSON.stringify(error.toJSON())]
  let cause: unknown = error.cause
  for (let i = 0; cause && i < 8; i++) {
    parts.push(String((cause as Error).message), JSON.stringify(cause))
    cause = (cause as { cause?: unknown }).cause
  }
  return parts.join('\n')
}
