/**
 * A loopback HTTP(S) server for the signing stand-ins: the raw request (method, URL as sent, headers, body
 * bytes) in, a status, headers and body out. Records what it saw.
 */
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'

export interface RawRequest {
  method: string
  /** Path and query exactly as sent. */
  url: string
  headers: http.IncomingHttpHeaders
  body: Buffer
  /** The client certificate's subject CN, on an HTTPS server that asked for one and verified it. */
  clientCn?: string
  authorizedClient?: boolean
}

export interface RawReply {
  status?: number
  headers?: Record<string, string>
  body?: unknown
}

export interface Served {
  origin: string
  seen: RawRequest[]
  close(): Promise<void>
}

/**
 * Starts a stand-in on 127.0.0.1.
 *
 * @example
 * const s3 = await serve((req) => ({ body: '<ListAllMyBucketsResult/>' }))
 */
export async function serve(handle: (req: RawRequest) => RawReply, tls?: https.ServerOptions): Promise<Served> {
  const seen: RawRequest[] = []
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw: RawRequest = { method: req.method ?? '', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) }
      if (tls) {
        const socket = req.socket as TLSSocket
        raw.authorizedClient = socket.authorized
        const cn = socket.getPeerCertificate()?.subject?.CN
        if (socket.authorized && typeof cn === 'string') raw.clientCn = cn
      }
      seen.push(raw)
      let reply: RawReply
      try {
        reply = handle(raw)
      } catch (error) {
        reply = { status: 500, body: { error: String(error) } }
      }
      const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
      const type = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'
      res.writeHead(reply.status ?? 200, { 'content-type': type, ...reply.headers })
      res.end(text)
    })
  }
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  const { port } = server.address() as AddressInfo
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}
