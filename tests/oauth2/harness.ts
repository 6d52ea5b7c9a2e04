/**
 * The runtime as the OAuth2 tests see it: served on a real socket on 127.0.0.1 (its public URL, so that
 * providers redirect back to it for real), a real lowdb store in a temp directory, a real key ring, the
 * real outbound client with loopback allow-listed, a clock the test moves, and every log line, response
 * and emitted URL kept for leak sweeps.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ServerType } from '@hono/node-server'
import { type AppOptions, createRuntime, type Runtime } from '../../runtime/app.ts'
import { createCatalogue, loadBuiltIns } from '../../runtime/core/catalogue/index.ts'
import { bootstrapWorkspace, issueToken } from '../../runtime/inbound/callers/index.ts'
import { listenHttp } from '../../runtime/inbound/routes/listen.ts'
import { createKeyRing, type KeyRing } from '../../runtime/platform/crypto/index.ts'
import { createHttpClient, type HttpClient } from '../../runtime/platform/http/index.ts'
import { createLogger } from '../../runtime/platform/log/index.ts'
import type { Store } from '../../runtime/platform/store/index.ts'
import type { UserRecord } from '../../runtime/types.ts'
import { openTestStore, storeText } from '../support/store.ts'

const repo = resolve(import.meta.dirname, '../..')
const MASTER_KEY = Buffer.alloc(32, 9).toString('base64')

/** What an API call answered; bodies are read loosely, shapes are checked where it matters. */
export interface ApiResponse {
  status: number
  headers: Headers
  text: string
  body: any
}

export interface CallOptions {
  body?: unknown
  /** A bearer token; `null` sends none. Default: the owner's. */
  token?: string | null
  headers?: Record<string, string>
}

export interface Harness {
  app: Runtime['app']
  /** Events, health checks and webhook deliveries; nothing runs on a timer. */
  runtime: Runtime
  store: Store
  keyRing: KeyRing
  http: HttpClient
  /** `http://127.0.0.1:<port>`: the runtime's public URL and where it listens. */
  origin: string
  token: string
  /** Every line the runtime logged. */
  log: string[]
  /** Every answer and every `Location` the runtime sent, for leak sweeps. */
  emitted: string[]
  /** The runtime's clock, in epoch ms; tests move it. */
  now: { ms: number }
  /** Calls the API in-process. */
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>
  /** A GET over the socket that does not follow redirects (answers are swept like API calls). */
  get(url: string, headers?: Record<string, string>): Promise<{ status: number; location: string | null; text: string; headers: Headers }>
  /** The store file as it is on disk now (after pending writes). */
  storeText(): Promise<string>
  /** A second, non-owner user with an API token. */
  addUser(id: string): Promise<string>
  /** Saves a custom connector over the API. */
  addConnector(connector: object): Promise<void>
  close(): Promise<void>
}

/**
 * Builds the runtime and serves it on 127.0.0.1.
 *
 * @example
 * const h = await createHarness({ oauth2: { backoffMs: 1000 } })
 */
export async function createHarness(options: { oauth2?: AppOptions['oauth2']; health?: AppOptions['health'] } = {}): Promise<Harness> {
  // Every request writes the store durably (fsync); on tmpfs that costs microseconds instead of milliseconds,
  // which the thousand-call bursts need to stay quick on a shared machine.
  const dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'switchboard-oauth2-'))
  const now = { ms: Date.parse('2025-03-01T09:00:00.000Z') }
  const clock = () => new Date(now.ms)
  const log: string[] = []
  const emitted: string[] = []
  const store = await openTestStore(dir, (level, message) => void log.push(`[store] ${level}: ${message}`), { backupIntervalMs: 60_000 })
  const keyRing = createKeyRing({ dataDir: dir, env: { SWITCHBOARD_MASTER_KEY: MASTER_KEY } })
  const http = createHttpClient({ allowedHosts: '127.0.0.1' })
  const catalogue = createCatalogue({ builtIns: await loadBuiltIns(join(repo, 'connectors')), store, clock })

  let app: Runtime['app'] | undefined
  const server: ServerType = await listenHttp((request, env) => app!.fetch(request, env), { port: 0, host: '127.0.0.1' })
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // A short audit trail: each request rewrites it, and these tests make thousands of requests.
  const runtime = createRuntime({
    store,
    catalogue,
    keyRing,
    http,
    publicUrl: origin,
    clock,
    auditLimit: 20,
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void log.push(line) } }),
    ...(options.oauth2 ? { oauth2: options.oauth2 } : {}),
    ...(options.health ? { health: options.health } : {}),
  })
  app = runtime.app
  const { ownerToken } = await bootstrapWorkspace(store, clock())
  if (!ownerToken) throw new Error('a fresh data directory must give an owner token')

  const harness: Harness = {
    app,
    runtime,
    store,
    keyRing,
    http,
    origin,
    token: ownerToken,
    log,
    emitted,
    now,
    async call(method, path, call = {}) {
      const headers: Record<string, string> = { ...call.headers }
      const token = call.token === undefined ? ownerToken : call.token
      if (token !== null) headers.authorization = `Bearer ${token}`
      let body: string | undefined
      if (call.body !== undefined) {
        body = JSON.stringify(call.body)
        headers['content-type'] = 'application/json'
      }
      const res = await app!.request(`${origin}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
      const text = await res.text()
      emitted.push(text, res.headers.get('location') ?? '')
      const parsed: unknown = (res.headers.get('content-type') ?? '').includes('json') && text !== '' ? JSON.parse(text) : text
      return { status: res.status, headers: res.headers, text, body: parsed }
    },
    async get(url, headers = {}) {
      const res = await fetch(url, { redirect: 'manual', headers })
      const text = await res.text()
      if (url.startsWith(origin)) emitted.push(text, res.headers.get('location') ?? '')
      return { status: res.status, location: res.headers.get('location'), text, headers: res.headers }
    },
    async storeText() {
      await store.update('meta', 'oauth2-tests', () => ({ id: 'oauth2-tests' }))
      return storeText(store, dir)
    },
    async addUser(id) {
      await store.insert<UserRecord>('users', { id, name: id, owner: false, createdAt: clock().toISOString() })
      return (await issueToken(store, id, 'test', { now: clock().toISOString() })).token
    },
    async addConnector(connector) {
      const res = await harness.call('POST', '/api/connectors', { body: connector })
      if (res.status !== 201) throw new Error(`a connector was refused: ${res.text}`)
    },
    async close() {
      await runtime.health.stop()
      await runtime.webhooks.stop()
      await new Promise<void>((done) => server.close(() => done()))
      await http.close()
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
  return harness
}

/**
 * Fails when any secret appears in what the runtime logged, answered or redirected to.
 *
 * @example
 * expectNoLeaks(h, provider.secrets())
 */
export function leaksOf(h: Pick<Harness, 'log' | 'emitted'>, secrets: Iterable<string>): string[] {
  const found: string[] = []
  const haystacks = [...h.log, ...h.emitted]
  for (const secret of secrets) {
    if (secret.length < 8) continue
    const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ x: secret }).toString().slice(2)]
    if (haystacks.some((text) => forms.some((form) => text.includes(form)))) found.push(`${secret.slice(0, 4)}…`)
  }
  return found
}
