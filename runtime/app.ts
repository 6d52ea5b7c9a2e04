import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { createRunLog, type RunLog } from './core/actions/index.ts'
import { accessControl } from './inbound/access/index.ts'
import { auditTrail, createAuditLog } from './inbound/audit/index.ts'
import { createTokenEngine, type TokenEngineOptions } from './core/auth/index.ts'
import { createOAuth2, createOAuthApps, oauthServices, type OAuth2Options } from './core/auth/oauth2/index.ts'
import { SwitchboardError } from './errors.ts'
import type { Catalogue } from './core/catalogue/index.ts'
import { createConnectionTests } from './core/connection-tests/index.ts'
import { createConnectionService } from './core/lifecycle/index.ts'
import type { KeyRing } from './platform/crypto/index.ts'
import type { HttpClient } from './platform/http/index.ts'
import { createProxy, type ProxyOptions } from './core/proxy/index.ts'
import { createConnectionUse, type RetryPolicy } from './core/use/index.ts'
import { oauth2Routes, oauthAppRoutes, oauthCallbackRoutes } from './inbound/routes/oauth2.ts'
import { proxyRoute } from './inbound/routes/proxy.ts'
import type { Store } from './platform/store/index.ts'
import { authenticate, type AuthVariables } from './inbound/callers/index.ts'
import { accessLog } from './inbound/routes/access-log.ts'
import { appRoutes } from './inbound/routes/apps.ts'
import { auditRoutes } from './inbound/routes/audit.ts'
import { memberRoutes } from './inbound/routes/members.ts'
import { needsRoutes } from './inbound/routes/needs.ts'
import { userRoutes } from './inbound/routes/users.ts'
import { connectionRoutes } from './inbound/routes/connections.ts'
import { connectorRoutes } from './inbound/routes/connectors.ts'
import { designerRoutes } from './inbound/routes/designer.ts'
import { healthRoutes } from './inbound/routes/health.ts'
import { onError, type Log } from './inbound/routes/on-error.ts'
import { sessionRoutes } from './inbound/routes/session.ts'
import { securityHeaders } from './inbound/routes/security-headers.ts'

const PROXY_PATH = /^\/api\/apps\/[^/]+\/connections\/[^/]+\/proxy(\/|$)/

/** The parts the runtime is built from; tests inject their own. */
export interface AppOptions {
  store: Store
  catalogue: Catalogue
  keyRing: KeyRing
  http: HttpClient
  /** Public base URL, for links people open (`connectUrl`, OAuth2 redirect URI). */
  publicUrl: string
  clock?: () => Date
  log?: Log
  /** Directory of the built designer; omitted, `/` says how to build it. */
  designerDir?: string
  /** Largest accepted request body in bytes (default 1 MiB); the proxy has its own limit. */
  maxBodyBytes?: number
  /** Retries of actions and proxied requests (default: 3 attempts, 250 ms backoff, `Retry-After` up to 10 s). */
  retry?: RetryPolicy
  /** Limits of `…/connections/:id/proxy/*` (default: 50 MiB each way, the client's timeouts). */
  proxy?: ProxyOptions
  /** Where action runs and proxied requests are recorded (default: the last 1,000 in memory). */
  runLog?: RunLog
  /** OAuth2 timings: refresh margin, flow lifetime, backoff after token endpoint failures, token timeout. */
  oauth2?: Pick<OAuth2Options, 'stateTtlMs' | 'tokenTimeoutMs'> & Pick<TokenEngineOptions, 'refreshMarginMs' | 'backoffMs' | 'maxBackoffMs'>
  /** Audit entries kept per app, newest first; older ones are dropped (default 1,000). */
  auditLimit?: number
  version?: string
}

/**
 * Builds the Hono app from injected parts. Checks its options early; every request-time failure
 * becomes `{ error: { code, message, details? } }`.
 *
 * @example
 * const app = createApp({ store, catalogue, keyRing, http, publicUrl: 'http://localhost:8787' })
 * const res = await app.request('/api/health')
 */
export function createApp(options: AppOptions) {
  for (const key of ['store', 'catalogue', 'keyRing', 'http'] as const) {
    if (!options[key]) throw new TypeError(`createApp: options.${key} is required`)
  }
  if (!/^https?:\/\/[^/]+$/.test(options.publicUrl ?? '')) {
    throw new TypeError(`createApp: options.publicUrl must be an origin like "http://localhost:8787" (no path), got ${JSON.stringify(options.publicUrl)}`)
  }
  const clock = options.clock ?? (() => new Date())
  const log = options.log ?? ((line: string) => console.log(line))
  const maxSize = options.maxBodyBytes ?? 1024 * 1024
  const newId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`
  const parts = { store: options.store, catalogue: options.catalogue, keyRing: options.keyRing, http: options.http, clock, publicUrl: options.publicUrl }
  const audit = createAuditLog({ store: options.store, clock, ...(options.auditLimit === undefined ? {} : { limit: options.auditLimit }) })
  const apps = createOAuthApps(parts)
  const tokens = createTokenEngine({ ...parts, log, services: oauthServices(apps), ...options.oauth2 })
  const use = createConnectionUse({ ...parts, newId: () => newId('c'), tokens })
  const tests = createConnectionTests({ ...parts, use })
  const connections = createConnectionService({ ...parts, newId: () => newId('c') })
  const oauth2 = createOAuth2({
    ...parts,
    log,
    ...(options.oauth2?.stateTtlMs === undefined ? {} : { stateTtlMs: options.oauth2.stateTtlMs }),
    ...(options.oauth2?.tokenTimeoutMs === undefined ? {} : { tokenTimeoutMs: options.oauth2.tokenTimeoutMs }),
    // The callback carries no bearer token, so the audit middleware never sees it: record it here.
    onAuthorized: (e) => audit.record(e.appId, {
      userId: e.userId,
      event: e.reconnected ? 'connection.reconnected' : 'connection.connected',
      connectionId: e.connectionId,
      connectorId: e.connectorId,
      connectionName: e.connectionName,
      details: { via: 'oauth2', scopes: e.scopes },
    }),
    afterConnect: (appId, id, actor) => tests.run(appId, id, actor),
    view: (appId, id, actor) => connections.get(appId, id, actor),
    forget: (credentialId) => tokens.forget(credentialId),
  }, apps)
  const runs = options.runLog ?? createRunLog({ clock })
  const proxy = proxyRoute(createProxy({ use, http: options.http, runs, retry: options.retry, options: options.proxy }), options.store)

  const app = new Hono<{ Variables: AuthVariables }>()
  app.onError(onError(log))
  app.notFound((c) => c.json({ error: { code: 'route_not_found', message: `There is no route ${c.req.method} ${c.req.path}.` } }, 404))
  app.use(accessLog(log))
  app.use(securityHeaders())
  const limitBody = bodyLimit({
    maxSize,
    onError: () => {
      throw new SwitchboardError(413, 'body_too_large', `The request body is larger than ${Math.round(maxSize / 1024)} KB. Send less.`)
    },
  })
  // Hono's limit reads a body without Content-Length whole before passing it on; the proxy streams
  // bodies and counts them itself, against its own limit.
  app.use('/api/*', (c, next) => (PROXY_PATH.test(c.req.path) ? next() : limitBody(c, next)))
  app.route('/api/health', healthRoutes(options.version ?? '0.1.0'))
  app.route('/', sessionRoutes({ store: options.store, clock, publicUrl: options.publicUrl }))
  app.route('/oauth', oauthCallbackRoutes(oauth2, options.store))
  app.use('/api/*', authenticate({ store: options.store, clock }))
  app.use('/api/*', accessControl({ store: options.store, catalogue: options.catalogue }))
  app.use('/api/*', auditTrail({ store: options.store, audit }))
  app.get('/api/me', (c) => c.json({ user: c.get('user') }))
  app.route('/api/connectors/:id/oauth-app', oauthAppRoutes(oauth2))
  app.route('/api/connectors', connectorRoutes({ catalogue: options.catalogue, tests }))
  app.route('/api', userRoutes({ store: options.store, clock, publicUrl: options.publicUrl }))
  app.route('/api/apps', appRoutes({ store: options.store, clock, newId, catalogue: options.catalogue }))
  app.route('/api/apps/:appId/members', memberRoutes({ store: options.store, audit }))
  app.route('/api/apps/:appId/needs', needsRoutes({ store: options.store, catalogue: options.catalogue, connections, publicUrl: options.publicUrl }))
  app.route('/api/apps/:appId/audit', auditRoutes({ store: options.store, audit }))
  app.route('/api/apps/:appId/connections/:id/oauth', oauth2Routes(oauth2, options.store))
  app.route('/api/apps/:appId/connections', connectionRoutes({ ...parts, connections, tests, use, runs, retry: options.retry, oauth2 }))
  app.all('/api/apps/:appId/connections/:id/proxy', proxy)
  app.all('/api/apps/:appId/connections/:id/proxy/*', proxy)
  app.route('/', designerRoutes(options.designerDir))
  return app
}
