/**
 * The runtime as the HTTP tests see it: a real lowdb store in a temp data directory, a real key ring, the
 * built-in catalogue, the real outbound client (only 127.0.0.1 allow-listed unless a test says otherwise),
 * the owner's token, and every log line kept. Upstreams are real HTTP servers on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type AppOptions, createRuntime, type Runtime } from '../../runtime/app.ts'
import { createRunLog } from '../../runtime/core/actions/index.ts'
import { type Catalogue, createCatalogue, loadBuiltIns } from '../../runtime/core/catalogue/index.ts'
import { bootstrapWorkspace } from '../../runtime/inbound/callers/index.ts'
import { createKeyRing, type KeyRing } from '../../runtime/platform/crypto/index.ts'
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../runtime/platform/http/index.ts'
import { createLogger } from '../../runtime/platform/log/index.ts'
import { createMetrics, type Metrics } from '../../runtime/platform/metrics/index.ts'
import { readAll, type Store } from '../../runtime/platform/store/index.ts'
import type { Connector } from '../../runtime/types.ts'
import { contractOf } from '../openapi/contract.ts'
import { openTestStore, storeText } from '../support/store.ts'

export const repo = resolve(import.meta.dirname, '../..')

/** A fixed master key, so a harness never writes a key file unless a test asks for one. */
export const MASTER_KEY = Buffer.alloc(32, 7).toString('base64')

/** Where the API lives in links; no test opens it. */
export const PUBLIC_URL = 'http://localhost:8787'

let builtInsOnce: Promise<Map<string, Connector>> | undefined

/** The built-in catalogue, loaded once per test file. */
export function builtIns(): Promise<Map<string, Connector>> {
  builtInsOnce ??= loadBuiltIns(join(repo, 'connectors'))
  return builtInsOnce
}

/** What an API call answered, with the body parsed when it is JSON. */
export interface ApiResponse {
  status: number
  headers: Headers
  text: string
  // The tests read API bodies loosely; their shapes are checked where it matters.
  body: any
}

export interface CallOptions {
  /** Sent as JSON (with its content type) unless `raw` is given. */
  body?: unknown
  /** Sent as is, with `headers` deciding the content type. */
  raw?: string
  headers?: Record<string, string>
  /** A bearer token; `null` sends none. Default: the owner's. */
  token?: string | null
}

export interface Harness {
  app: Runtime['app']
  /** The parts beside the routes (events, health checks, webhook deliveries); nothing runs on a timer. */
  runtime: Runtime
  /** Moves the harness's clock forward (schedules, retries): no test waits for real time. */
  advance(ms: number): void
  dir: string
  store: Store
  keyRing: KeyRing
  http: HttpClient
  catalogue: Catalogue
  /** The owner's API token. */
  token: string
  /** Every line the app logged (JSON, one entry each). */
  log: string[]
  /** The app's metrics. */
  metrics: Metrics
  /** Every response an API call answered, for leak sweeps. */
  responses: ApiResponse[]
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>
  /** The store file as it is on disk now. */
  storeText(): Promise<string>
  /** Waits until writes that no request awaits (a token's `lastUsedAt`, buffered runs) are on disk. */
  settle(): Promise<void>
  /** Every file in the data directory, by name. */
  files(): Promise<Map<string, Buffer>>
  close(): Promise<void>
}

export interface HarnessOptions {
  /** Outbound client options; `allowedHosts` defaults to `127.0.0.1`. */
  http?: HttpClientOptions
  /** Environment of the key ring; default: {@link MASTER_KEY}. */
  env?: Record<string, string | undefined>
  maxBodyBytes?: number
  /** The proxy's limits (request and response sizes, timeout). */
  proxy?: { maxRequestBytes?: number }
  /** Health check and webhook delivery settings. */
  runtime?: Pick<AppOptions, 'health' | 'webhooks'>
  /** The token `GET /metrics` asks for; none: metrics are off. */
  metricsToken?: string
}

/**
 * Builds the app over fresh real parts. Time advances one millisecond per reading, so records keep their
 * order and a token's `lastUsedAt` is written once, at its first use, not again during a test.
 *
 * @example
 * const h = await createHarness()
 * const res = await h.call('GET', '/api/apps/default/connections')
 * await h.close()
 */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-runtime-'))
  let tick = Date.parse('2025-03-01T09:00:00.000Z')
  const clock = () => new Date(tick++)
  const log: string[] = []
  const store = await openTestStore(dir, (level, message) => void log.push(`[store] ${level}: ${message}`))
  const keyRing = createKeyRing({ dataDir: dir, env: options.env ?? { SWITCHBOARD_MASTER_KEY: MASTER_KEY } })
  const client = createHttpClient({ allowedHosts: '127.0.0.1', ...options.http })
  const catalogue = createCatalogue({ builtIns: await builtIns(), store, clock })
  // The harness's own run log, so `settle` can write what it buffers.
  const runs = createRunLog({ store, clock })
  const metrics = createMetrics({ defaultMetrics: false })
  const runtime = createRuntime({
    store,
    catalogue,
    keyRing,
    http: client,
    publicUrl: PUBLIC_URL,
    clock,
    runLog: runs,
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void log.push(line) } }),
    metrics,
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.proxy === undefined ? {} : { proxy: options.proxy }),
    ...options.runtime,
  })
  const { app } = runtime
  const { ownerToken } = await bootstrapWorkspace(store, clock())
  if (!ownerToken) throw new Error('a fresh data directory must give an owner token')
  const responses: ApiResponse[] = []
  // Every answer is checked against the app's /api/openapi.json for its status; closing fails on a mismatch.
  const mismatches: string[] = []

  const harness: Harness = {
    app,
    runtime,
    advance(ms) {
      tick += ms
    },
    dir,
    store,
    keyRing,
    http: client,
    catalogue,
    token: ownerToken,
    log,
    metrics,
    responses,
    async call(method, path, call = {}) {
      const headers: Record<string, string> = {}
      const token = call.token === undefined ? ownerToken : call.token
      if (token !== null) headers.authorization = `Bearer ${token}`
      let body: string | undefined
      if (call.raw !== undefined) body = call.raw
      else if (call.body !== undefined) {
        body = JSON.stringify(call.body)
        headers['content-type'] = 'application/json'
      }
      const res = await app.request(path, { method, headers: { ...headers, ...call.headers }, ...(body === undefined ? {} : { body }) })
      const text = await res.text()
      let parsed: unknown = text
      if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text)
      const response: ApiResponse = { status: res.status, headers: res.headers, text, body: parsed }
      responses.push(response)
      const exchange = { method, path, status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed }
      mismatches.push(...contractOf(app).problems(exchange))
      return response
    },
    storeText: () => storeText(store, dir),
    async settle() {
      // Writes nobody waits for (a token's last use, buffered runs) land once each record's earlier writers are
      // done; on PostgreSQL one may still be queued for a pooled connection, so settle until the store reads the
      // same twice in a row.
      let last: string | undefined
      for (let round = 0; round < 50; round++) {
        await runs.flush()
        for (const token of await readAll(store, 'tokens')) await store.update('tokens', token.id, (t) => t)
        const now = await storeText(store, dir)
        if (now === last) return
        last = now
      }
    },
    async files() {
      const out = new Map<string, Buffer>()
      for (const name of await readdir(dir, { recursive: true })) {
        const buffer = await readFile(join(dir, name)).catch(() => undefined)
        if (buffer) out.set(name, buffer)
      }
      if (store.engine === 'postgres') out.set('database', Buffer.from(await storeText(store, dir)))
      return out
    },
    async close() {
      await runtime.health.stop()
      await runtime.webhooks.stop()
      await client.close()
      await store.close()
      await rm(dir, { recursive: true, force: true })
      if (mismatches.length > 0) {
        const list = [...new Set(mismatches)].slice(0, 20).join('\n')
        throw new Error(
          `${mismatches.length} answer(s) do not match /api/openapi.json for their status:\n${list}\nFix the route, or its entry ` +
            'in $defs/Routes of schemas/api.schema.json ("status": { "const": 201 } for a success other than 200; ' +
            '"contentMediaType": "text/plain" on a response that is not JSON); see docs/api.md.',
        )
      }
    },
  }
  // The first authenticated request records the token's use; do it now so that later requests write nothing.
  await harness.call('GET', '/api/me')
  await harness.settle()
  return harness
}

/** What an upstream saw of one request. */
export interface SeenRequest {
  method: string
  /** Path and query, as sent. */
  url: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: string
}

/** How an upstream answers: status, headers and a body (objects are sent as JSON). */
export interface Reply {
  status?: number
  headers?: Record<string, string>
  body?: unknown
}

/** `hang` keeps the request open without a byte of answer (timeouts). */
export type UpstreamHandler = (request: SeenRequest) => Reply | 'hang' | Promise<Reply | 'hang'>

export interface Upstream {
  port: number
  /** `http://127.0.0.1:<port>` */
  origin: string
  requests: SeenRequest[]
  /** The last request seen; fails when there was none. */
  last(): SeenRequest
  /** Replaces the handler. */
  answer(handler: UpstreamHandler): void
  close(): Promise<void>
}

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers with `handler`.
 *
 * @example
 * const upstream = await startUpstream(() => ({ body: { login: 'octocat' } }))
 * upstream.last().headers.authorization // 'Bearer …'
 */
export async function startUpstream(handler: UpstreamHandler = () => ({ body: { ok: true } })): Promise<Upstream> {
  let current = handler
  const requests: SeenRequest[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://upstream')
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      }
      requests.push(seen)
      Promise.resolve(current(seen)).then(
        (reply) => {
          if (reply === 'hang') return
          const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
          const type = typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'
          res.writeHead(reply.status ?? 200, { 'content-type': type, ...reply.headers })
          res.end(body)
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' })
          res.end(`upstream handler failed: ${String(error)}`)
        },
      )
    })
  })
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => done())
  })
  const { port } = server.address() as AddressInfo
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    last() {
      const seen = requests.at(-1)
      if (!seen) throw new Error('the upstream saw no request')
      return seen
    },
    answer(next) {
      current = next
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

/** A port on 127.0.0.1 that nothing listens on (it was open a moment ago). */
export async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((done) => server.close(() => done()))
  return port
}

/** A marker value no test data contains by accident. */
export function marker(prefix = 'MK'): string {
  return `${prefix}${randomBytes(6).toString('hex')}`
}

/** HTTP Basic credentials as an upstream decodes them. */
export function basicOf(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic (.+)$/.exec(header ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
