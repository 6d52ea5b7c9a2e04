/**
 * Upstreams for the security suites: real servers on 127.0.0.1 that record every request byte for byte
 * (method, URL, headers as sent, body bytes) and answer with a handler that owns the response, so it can
 * redirect, echo, or write part of a body and wait. One port can serve https and plain http at once (the
 * first byte of a connection tells a TLS handshake from a request line), which gives two origins that
 * differ only in their scheme.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** One request as the upstream received it. */
export interface Received {
  scheme: 'http' | 'https'
  method: string
  /** Path and query as sent. */
  url: string
  headers: http.IncomingHttpHeaders
  /** Header lines as they came, names in their original case. */
  rawHeaders: string[]
  body: Buffer
}

/** Answers one request; it owns `res` and may answer late, in parts, or never. */
export type Handler = (seen: Received, res: http.ServerResponse) => void | Promise<void>

export interface Recorder {
  port: number
  requests: Received[]
  /** Replaces the handler. */
  handle(handler: Handler): void
  close(): Promise<void>
}

/** Writes a whole answer; objects go out as JSON. */
export function reply(res: http.ServerResponse, answer: { status?: number; headers?: Record<string, string>; body?: unknown }): void {
  const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
  const type = typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'
  res.writeHead(answer.status ?? 200, { 'content-type': type, ...answer.headers })
  res.end(text)
}

/**
 * A request as one text: request line, raw header lines, and the body read as UTF-8 and as Latin-1 (a
 * secret survives in one of the two whatever the upstream's charset).
 */
export function requestText(seen: Received): string {
  const lines: string[] = [`${seen.method} ${seen.url}`]
  for (let i = 0; i < seen.rawHeaders.length; i += 2) lines.push(`${seen.rawHeaders[i]}: ${seen.rawHeaders[i + 1]}`)
  return `${lines.join('\n')}\n\n${seen.body.toString('utf8')}\n${seen.body.toString('latin1')}`
}

function recording(scheme: 'http' | 'https', requests: Received[], current: () => Handler) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const seen: Received = {
        scheme,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
      }
      requests.push(seen)
      Promise.resolve(current()(seen, res)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(`handler failed: ${String(error)}`)
      })
    })
  }
}

function listen(server: net.Server): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port))
  })
}

function tracked(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>()
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return sockets
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((done) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => done())
    })
}

/**
 * A plain-http recorder on 127.0.0.1.
 *
 * @example
 * const b = await startRecorder((seen, res) => reply(res, { body: { landed: true } }))
 * b.requests.length // 0 when nothing reached it
 */
export async function startRecorder(handler: Handler): Promise<Recorder & { origin: string }> {
  let current = handler
  const requests: Received[] = []
  const server = http.createServer(recording('http', requests, () => current))
  const sockets = tracked(server)
  const port = await listen(server)
  return { port, origin: `http://127.0.0.1:${port}`, requests, handle: (next) => void (current = next), close: closer(server, sockets) }
}

/**
 * One port on 127.0.0.1 that speaks https (with `pair`, for `hostname`) and plain http, each with its own
 * handler and both recorded in one list (`scheme` tells them apart). The client reaches it by name through
 * an injected lookup.
 *
 * @example
 * const dual = await startDualRecorder(pair, 'secure.test', { https: redirectToHttp, http: land })
 * dual.httpsOrigin // 'https://secure.test:40123'; dual.httpOrigin // 'http://secure.test:40123'
 */
export async function startDualRecorder(
  pair: { key: string; cert: string },
  hostname: string,
  handlers: { https: Handler; http: Handler },
): Promise<Recorder & { httpsOrigin: string; httpOrigin: string }> {
  let onHttps = handlers.https
  const onHttp = handlers.http
  const requests: Received[] = []
  const secure = https.createServer(
    { key: pair.key, cert: pair.cert },
    recording('https', requests, () => onHttps),
  )
  const plain = http.createServer(recording('http', requests, () => onHttp))
  // Each connection goes to one of the two servers by its first byte: 0x16 starts a TLS handshake record.
  const front = net.createServer((socket) => {
    socket.once('data', (first: Buffer) => {
      socket.pause()
      socket.unshift(first)
      ;(first[0] === 0x16 ? secure : plain).emit('connection', socket)
      process.nextTick(() => socket.resume())
    })
  })
  const sockets = tracked(front)
  const port = await listen(front)
  const close = closer(front, sockets)
  return {
    port,
    httpsOrigin: `https://${hostname}:${port}`,
    httpOrigin: `http://${hostname}:${port}`,
    requests,
    handle: (next) => void (onHttps = next),
    close,
  }
}

/**
 * A throw-away self-signed certificate for `name`, made with the system's openssl (as in the TLS tests);
 * undefined when openssl is missing.
 */
export function makeCertificate(name: string): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'sb-security-tls-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=DNS:${name}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') }
  } catch {
    return undefined
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A promise that can be resolved from outside: an upstream waits on it until the test lets it go on.
 *
 * @example
 * const gate = gateOf(); void gate.promise.then(() => res.end('rest')); gate.open()
 */
export function gateOf(): { promise: Promise<void>; open(): void } {
  let open!: () => void
  const promise = new Promise<void>((done) => (open = done))
  return { promise, open }
}

/**
 * Awaits `promise`, failing with `message` if it has not settled after `ms`: a safety net against a hang,
 * generous enough never to decide a result on a slow machine.
 */
export async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(message)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
