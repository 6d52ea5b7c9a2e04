/**
 * The runtime as the action and proxy tests see it: real lowdb store in a temp directory, real key ring,
 * the built-in catalogue plus a "fault lab" connector, the real outbound client (127.0.0.1 allow-listed),
 * short timeouts and fast retries unless a test asks otherwise. Upstreams are real servers on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ServerType } from '@hono/node-server'
import { type AppOptions, createApp } from '../../runtime/app.ts'
import { createRunLog, type RunLog } from '../../runtime/core/actions/index.ts'
import { type Catalogue, createCatalogue, loadBuiltIns } from '../../runtime/core/catalogue/index.ts'
import { putCredentials } from '../../runtime/core/connections/index.ts'
import type { ProxyOptions } from '../../runtime/core/proxy/index.ts'
import type { RetryPolicy } from '../../runtime/core/use/index.ts'
import { bootstrapWorkspace } from '../../runtime/inbound/callers/index.ts'
import { listenHttp } from '../../runtime/inbound/routes/listen.ts'
import { createKeyRing, type KeyRing } from '../../runtime/platform/crypto/index.ts'
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../runtime/platform/http/index.ts'
import { createLogger } from '../../runtime/platform/log/index.ts'
import type { Store } from '../../runtime/platform/store/index.ts'
import type { ConnectionRecord, Connector } from '../../runtime/types.ts'
import { openTestStore } from '../support/store.ts'

const repo = resolve(import.meta.dirname, '../..')
const MASTER_KEY = Buffer.alloc(32, 9).toString('base64')
export const PUBLIC_URL = 'http://localhost:8787'

let builtInsOnce: Promise<Map<string, Connector>> | undefined
/** The built-in catalogue, loaded once per test file. */
export function builtIns(): Promise<Map<string, Connector>> {
  builtInsOnce ??= loadBuiltIns(join(repo, 'connectors'))
  return builtInsOnce
}

/**
 * A custom connector for fault tests: an API key sent both as a header and as a query parameter (so
 * both kinds of credential can be followed across redirects), a static header, and a GET and a POST
 * action whose path picks the fault server's behaviour.
 */
export const FAULT_LAB = {
  id: 'fault-lab',
  name: 'Fault lab',
  baseUrl: '{{baseUrl}}',
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
  headers: { 'X-Lab-Version': '7' },
  auth: [
    {
      type: 'apiKey',
      id: 'key',
      fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
      placements: [
        { in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' },
        { in: 'query', name: 'key', value: '{{apiKey}}' },
      ],
    },
  ],
  actions: [
    {
      key: 'read',
      name: 'Read',
      method: 'GET',
      path: '/{{input.what}}',
      query: { q: '{{input.q}}' },
      input: { type: 'object', required: ['what'], properties: { what: { type: 'string' }, q: { type: 'string' } } },
    },
    {
      key: 'write',
      name: 'Write',
      method: 'POST',
      path: '/{{input.what}}',
      body: { text: '{{input.text}}' },
      input: { type: 'object', required: ['what'], properties: { what: { type: 'string' }, text: { type: 'string' } } },
    },
    {
      key: 'replace',
      name: 'Replace',
      method: 'PUT',
      path: '/{{input.what}}',
      body: { text: '{{input.text}}' },
      input: { type: 'object', required: ['what'], properties: { what: { type: 'string' }, text: { type: 'string' } } },
    },
  ],
}

/** What an API call answered, with the body parsed when it is JSON. */
export interface ApiResponse {
  status: number
  headers: Headers
  text: string
  // Read loosely; shapes are asserted where they matter.
  body: any
  /** Wall time of the call in ms. */
  ms: number
}

export interface LabOptions {
  /** Outbound client options; `allowedHosts` is `127.0.0.1`, timeouts short by default. */
  http?: HttpClientOptions
  retry?: RetryPolicy
  proxy?: ProxyOptions
  maxBodyBytes?: number
  runCapacity?: number
  onRateLimitWait?: AppOptions['onRateLimitWait']
}

export interface ConnectSpec {
  connectorId: string
  name?: string
  authMethod?: string
  values?: Record<string, string | number | boolean>
  baseUrl?: string
  sharing?: 'shared' | 'personal'
}

export interface Lab {
  app: ReturnType<typeof createApp>
  store: Store
  keyRing: KeyRing
  http: HttpClient
  catalogue: Catalogue
  runs: RunLog
  token: string
  log: string[]
  /** Every JSON answer, for leak sweeps. */
  responses: ApiResponse[]
  /** JSON in, JSON (or text) out; in-process. */
  api(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; token?: string | null },
  ): Promise<ApiResponse>
  /** A raw in-process request with the owner's token; the body is left unread. */
  raw(path: string, init?: RequestInit & { duplex?: 'half' }): Promise<Response>
  /** Creates a connection (with its values) and returns its id. */
  connect(spec: ConnectSpec): Promise<string>
  /** Stores an OAuth2 access token for a connection, as a completed authorization would. */
  putAccessToken(connectionId: string, accessToken: string): Promise<void>
  /** Stores a session (captured values, no expiry) for a connection, as a login would. */
  putSession(connectionId: string, captured: Record<string, string>): Promise<void>
  /** Serves the app on a real socket on 127.0.0.1. */
  serve(): Promise<{ origin: string; close(): Promise<void> }>
  close(): Promise<void>
}

/**
 * Builds the app over fresh real parts.
 *
 * @example
 * const lab = await createLab({ http: { timeoutMs: 1000 } })
 * const id = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: upstream.origin, apiKey: 'k' } })
 */
export async function createLab(options: LabOptions = {}): Promise<Lab> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-actions-'))
  const log: string[] = []
  const store = await openTestStore(dir, (level, message) => void log.push(`[store] ${level}: ${message}`))
  const keyRing = createKeyRing({ dataDir: dir, env: { SWITCHBOARD_MASTER_KEY: MASTER_KEY } })
  const http = createHttpClient({ allowedHosts: '127.0.0.1', connectTimeoutMs: 1000, timeoutMs: 2000, ...options.http })
  const catalogue = createCatalogue({ builtIns: await builtIns(), store })
  const runs = createRunLog({ store, capacity: options.runCapacity ?? 2000 })
  const app = createApp({
    store,
    catalogue,
    keyRing,
    http,
    publicUrl: PUBLIC_URL,
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void log.push(line) } }),
    retry: { baseDelayMs: 20, maxRetryAfterMs: 2000, ...options.retry },
    runLog: runs,
    ...(options.proxy ? { proxy: options.proxy } : {}),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.onRateLimitWait ? { onRateLimitWait: options.onRateLimitWait } : {}),
  })
  const { ownerToken } = await bootstrapWorkspace(store, new Date())
  if (!ownerToken) throw new Error('a fresh data directory must give an owner token')
  const responses: ApiResponse[] = []
  const servers: ServerType[] = []

  const lab: Lab = {
    app,
    store,
    keyRing,
    http,
    catalogue,
    runs,
    token: ownerToken,
    log,
    responses,
    async api(method, path, call = {}) {
      const headers: Record<string, string> = {}
      const token = call.token === undefined ? ownerToken : call.token
      if (token !== null) headers.authorization = `Bearer ${token}`
      if (call.body !== undefined) headers['content-type'] = 'application/json'
      const started = performance.now()
      const res = await app.request(path, {
        method,
        headers: { ...headers, ...call.headers },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      })
      const text = await res.text()
      const ms = performance.now() - started
      const json = (res.headers.get('content-type') ?? '').includes('json') && text !== ''
      const response: ApiResponse = { status: res.status, headers: res.headers, text, body: json ? JSON.parse(text) : text, ms }
      responses.push(response)
      return response
    },
    async raw(path, init = {}) {
      const headers = new Headers(init.headers)
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${ownerToken}`)
      return app.request(path, { ...init, headers })
    },
    async connect(spec) {
      const res = await lab.api('POST', '/api/apps/default/connections', {
        body: {
          connectorId: spec.connectorId,
          name: spec.name ?? `${spec.connectorId} ${responses.length}`,
          ...(spec.authMethod ? { authMethod: spec.authMethod } : {}),
          ...(spec.values ? { values: spec.values } : {}),
          ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}),
          ...(spec.sharing ? { sharing: spec.sharing } : {}),
        },
      })
      if (res.status !== 201) throw new Error(`creating the connection failed: ${res.status} ${res.text}`)
      return res.body.id as string
    },
    async putAccessToken(connectionId, accessToken) {
      await store.transaction(async (tx) => {
        const record = await tx.get<ConnectionRecord>('connections', connectionId)
        if (!record) throw new Error(`no connection ${connectionId}`)
        await putCredentials(
          tx,
          keyRing,
          record,
          undefined,
          { values: {}, oauth: { accessToken, tokenType: 'Bearer' }, jwt: { accessToken } },
          new Date().toISOString(),
        )
        await tx.put('connections', { ...record, status: 'connected' })
      })
    },
    async putSession(connectionId, captured) {
      await store.transaction(async (tx) => {
        const record = await tx.get<ConnectionRecord>('connections', connectionId)
        if (!record) throw new Error(`no connection ${connectionId}`)
        const session = { accessToken: JSON.stringify(captured) }
        await putCredentials(tx, keyRing, record, undefined, { values: {}, session }, new Date().toISOString())
        await tx.put('connections', { ...record, status: 'connected' })
      })
    },
    async serve() {
      const server = await listenHttp(app.fetch, { port: 0, host: '127.0.0.1' })
      servers.push(server)
      const { port } = server.address() as { port: number }
      return {
        origin: `http://127.0.0.1:${port}`,
        close: () => closeServer(server),
      }
    },
    async close() {
      await Promise.all(servers.map(closeServer))
      await http.close()
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
  const created = await lab.api('POST', '/api/connectors', { body: FAULT_LAB })
  if (created.status !== 201) throw new Error(`the fault lab connector was refused: ${created.text}`)
  return lab
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((done) => {
    const s = server as ServerType & { closeAllConnections?: () => void }
    s.closeAllConnections?.()
    server.close(() => done())
  })
}
