import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { createRunLog, type RunLog } from './core/actions/index.ts'
import { createTokenEngine, type TokenEngineOptions } from './core/auth/index.ts'
import { createOAuth1Flow } from './core/auth/oauth1/flow.ts'
import { createOAuth2, createOAuthApps, type OAuth2Options, oauthServices } from './core/auth/oauth2/index.ts'
import type { Catalogue } from './core/catalogue/index.ts'
import { createConnectionTests } from './core/connection-tests/index.ts'
import { type ConnectionEvents, createConnectionEvents } from './core/events/index.ts'
import { createHealthChecks, type HealthCheckOptions, type HealthChecks, refreshIfDue } from './core/health/index.ts'
import { createConnectionService } from './core/lifecycle/index.ts'
import { createRateLimits, type RateLimitWait } from './core/limits/index.ts'
import { createProxy, type ProxyOptions } from './core/proxy/index.ts'
import { createAppSetup } from './core/setup/index.ts'
import { createConnectionUse, type RetryPolicy } from './core/use/index.ts'
import {
  createWebhookDeliveries,
  createWebhookEndpoints,
  type WebhookDeliveries,
  type WebhookDeliveryOptions,
} from './core/webhooks/index.ts'
import { SwitchboardError } from './errors.ts'
import { appWide, assertEveryRouteDeclared, createPolicy, declaredRoutes, type RouteEnv } from './inbound/access/index.ts'
import { createAuditLog } from './inbound/audit/index.ts'
import { accessLog } from './inbound/routes/access-log.ts'
import { apiReferenceRoutes } from './inbound/routes/api-reference.ts'
import { appRoutes } from './inbound/routes/apps.ts'
import { auditRoutes } from './inbound/routes/audit.ts'
import { connectionRoutes } from './inbound/routes/connections.ts'
import { connectorRoutes } from './inbound/routes/connectors.ts'
import { designerRoutes } from './inbound/routes/designer.ts'
import { healthRoutes } from './inbound/routes/health.ts'
import { memberRoutes } from './inbound/routes/members.ts'
import { metricsRoutes } from './inbound/routes/metrics.ts'
import { needsRoutes } from './inbound/routes/needs.ts'
import { oauth1CallbackRoutes, oauth1Routes } from './inbound/routes/oauth1.ts'
import { oauth2Routes, oauthAppRoutes, oauthCallbackRoutes } from './inbound/routes/oauth2.ts'
import { envelope, onError } from './inbound/routes/on-error.ts'
import { proxyRoutes } from './inbound/routes/proxy.ts'
import { runRoutes } from './inbound/routes/runs.ts'
import { securityHeaders } from './inbound/routes/security-headers.ts'
import { sessionRoutes } from './inbound/routes/session.ts'
import { setupRoutes } from './inbound/routes/setup.ts'
import { userRoutes } from './inbound/routes/users.ts'
import { webhookRoutes } from './inbound/routes/webhooks.ts'
import type { KeyRing } from './platform/crypto/index.ts'
import type { HttpClient } from './platform/http/index.ts'
import { createLogger, type Logger } from './platform/log/index.ts'
import { createMetrics, instrumentStore, type Metrics } from './platform/metrics/index.ts'
import type { Store } from './platform/store/index.ts'
import { convertUpload } from './tooling/importers/openapi-upload.ts'

/** The parts the runtime is built from; tests inject their own. */
export interface AppOptions {
  store: Store
  catalogue: Catalogue
  keyRing: KeyRing
  http: HttpClient
  /** Public base URL, for links people open (`connectUrl`, OAuth2 redirect URI). */
  publicUrl: string
  clock?: () => Date
  /** Where the runtime logs, one JSON object per line (default: stderr, readable in a terminal). */
  logger?: Logger
  /**
   * The runtime's metrics (default: a registry of its own, without the process's own Node metrics, which the server
   * adds); features count into its named instruments.
   */
  metrics?: Metrics
  /** The bearer token `GET /metrics` asks for (`SWITCHBOARD_METRICS_TOKEN`); without one, metrics are not served. */
  metricsToken?: string | undefined
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
  /** Told of every request that waited for its turn, or was refused, under a rate limit (for metrics). */
  onRateLimitWait?: (wait: RateLimitWait) => void
  /** Audit entries kept per app, newest first; older ones are dropped (default 1,000). */
  auditLimit?: number
  version?: string
  /** Background health checks' timings (interval, jitter, concurrency, lease) and a hook per check. */
  health?: Pick<HealthCheckOptions, 'intervalMs' | 'jitter' | 'concurrency' | 'leaseMs' | 'tickMs' | 'sweepMs' | 'random' | 'onCheck'>
  /** Webhook deliveries' retries (backoff, how long), timeout, signature clock and a hook per attempt. */
  webhooks?: Pick<WebhookDeliveryOptions, 'backoff' | 'maxAgeMs' | 'timeoutMs' | 'keep' | 'wallClock' | 'onDelivery'>
}

/** The app and what runs beside it: the connection events, the health checks and the webhook deliveries. */
export interface Runtime {
  app: Hono<RouteEnv>
  /** Connection events (created, connected, failed, …): webhooks and the audit trail listen; so may metrics. */
  events: ConnectionEvents
  /** Not started: `start()` runs them on a timer (the server does, unless turned off), `tick()` once. */
  health: HealthChecks
  /** Sent as events come; `start()` retries failed ones on a timer, `tick()` once. */
  webhooks: WebhookDeliveries
  /** The runtime's metrics, served at `/metrics`: features count into its named instruments. */
  metrics: Metrics
}

/**
 * Builds the Hono app from injected parts. Checks its options early; every request-time failure
 * becomes `{ error: { code, message, details? } }`.
 *
 * @example
 * const app = createApp({ store, catalogue, keyRing, http, publicUrl: 'http://localhost:8787' })
 * const res = await app.request('/api/health')
 */
export function createApp(options: AppOptions): Hono<RouteEnv> {
  return createRuntime(options).app
}

/**
 * {@link createApp}, with the parts that run beside the routes: the server starts and stops them, tests drive
 * them with `tick()` on an injected clock.
 *
 * @example
 * const { app, health, webhooks } = createRuntime({ store, catalogue, keyRing, http, publicUrl, clock })
 * await health.tick()
 */
export function createRuntime(options: AppOptions): Runtime {
  for (const key of ['store', 'catalogue', 'keyRing', 'http'] as const) {
    if (!options[key]) throw new TypeError(`createApp: options.${key} is required`)
  }
  if (!/^https?:\/\/[^/]+$/.test(options.publicUrl ?? '')) {
    throw new TypeError(
      `createApp: options.publicUrl must be an origin like "http://localhost:8787" (no path), got ${JSON.stringify(options.publicUrl)}`,
    )
  }
  const clock = options.clock ?? (() => new Date())
  const logger = options.logger ?? createLogger()
  const log = (line: string) => logger.info(line)
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: false })
  // Every store operation is timed; the parts below get the timed store.
  const store = instrumentStore(options.store, metrics.store)
  const newId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`
  const parts = {
    store,
    catalogue: options.catalogue,
    keyRing: options.keyRing,
    http: options.http,
    clock,
    publicUrl: options.publicUrl,
  }
  const events = createConnectionEvents({ log })
  const audit = createAuditLog({ store, clock, ...(options.auditLimit === undefined ? {} : { limit: options.auditLimit }) })
  const apps = createOAuthApps(parts)
  const tokens = createTokenEngine({
    ...parts,
    log,
    services: oauthServices(apps),
    events,
    ...options.oauth2,
    onRenewal: metrics.tokenRenewal,
  })
  const limits = createRateLimits({
    shared: options.store.limits,
    onWait: (wait) => {
      if (wait.refused) metrics.rateLimited.inc({ connector: wait.connectorId })
      else metrics.rateLimitWaits.observe({ connector: wait.connectorId }, wait.waitedMs / 1000)
      options.onRateLimitWait?.(wait)
    },
  })
  const use = createConnectionUse({ ...parts, newId: () => newId('c'), tokens, limits, observeUpstream: metrics.upstream })
  const tests = createConnectionTests({ ...parts, use, events })
  const connections = createConnectionService({ ...parts, newId: () => newId('c'), events })
  // A status the runtime found by itself (a check failed, a grant refused, a check passing again) goes in the
  // audit trail as the runtime's own entry.
  events.on((e) => {
    if (e.type !== 'connection.failed' && e.type !== 'connection.expired' && e.type !== 'connection.recovered') return
    const { appId, connectionId, connectorId, connectionName, ...outcome } = e.data
    return audit.record(appId, { userId: 'system', event: e.type, connectionId, connectorId, connectionName, details: outcome })
  })
  const runs = options.runLog ?? createRunLog({ store, clock })
  const health = createHealthChecks({
    ...parts,
    log,
    tests,
    events,
    refresh: (appId, id, actor, before) => refreshIfDue({ use, tokens }, appId, id, actor, before),
    ...options.health,
    onCheck: (outcome) => {
      metrics.healthChecks.inc({ kind: outcome.kind, result: outcome.ok ? 'ok' : 'failed' })
      // Each check is in the run history too, so a status change shows beside the runs that met it.
      void runs
        .record({
          kind: 'check',
          appId: outcome.appId,
          connectionId: outcome.connectionId,
          userId: 'system',
          mode: 'workflow',
          action: outcome.kind,
          outcome: outcome.ok ? 'ok' : 'failed',
          ...(outcome.problem === undefined ? {} : { code: outcome.problem }),
          durationMs: outcome.durationMs,
        })
        .catch(() => {})
      options.health?.onCheck?.(outcome)
    },
  })
  const webhookEndpoints = createWebhookEndpoints({ ...parts, newId })
  const webhooks = createWebhookDeliveries({
    ...parts,
    log,
    endpoints: webhookEndpoints,
    events,
    ...options.webhooks,
    onDelivery: (outcome) => {
      metrics.webhookDeliveries.inc({ event: outcome.event, result: outcome.outcome })
      options.webhooks?.onDelivery?.(outcome)
    },
  })
  const oauth2 = createOAuth2(
    {
      ...parts,
      log,
      ...(options.oauth2?.stateTtlMs === undefined ? {} : { stateTtlMs: options.oauth2.stateTtlMs }),
      ...(options.oauth2?.tokenTimeoutMs === undefined ? {} : { tokenTimeoutMs: options.oauth2.tokenTimeoutMs }),
      // The callback is public and learns the app, the connection and the user only from the flow's state:
      // the flow reports what it authorized, and it is recorded here.
      onAuthorized: async (e) => {
        await events.emit({
          type: 'connection.connected',
          at: clock().toISOString(),
          data: { appId: e.appId, connectionId: e.connectionId, connectorId: e.connectorId, connectionName: e.connectionName },
        })
        return audit.record(e.appId, {
          userId: e.userId,
          event: e.reconnected ? 'connection.reconnected' : 'connection.connected',
          connectionId: e.connectionId,
          connectorId: e.connectorId,
          connectionName: e.connectionName,
          details: { via: 'oauth2', scopes: e.scopes },
        })
      },
      afterConnect: (appId, id, actor) => tests.run(appId, id, actor),
      view: (appId, id, actor) => connections.get(appId, id, actor),
      forget: (credentialId) => tokens.forget(credentialId),
      events,
    },
    apps,
  )
  const oauth1 = createOAuth1Flow({
    ...parts,
    log,
    ...(options.oauth2?.stateTtlMs === undefined ? {} : { stateTtlMs: options.oauth2.stateTtlMs }),
    afterConnect: (appId, id, actor) => tests.run(appId, id, actor),
  })
  const proxy = createProxy({ use, http: options.http, runs, retry: options.retry, options: options.proxy })
  // Each route declares who may call it where it is defined; the check at the end refuses to build an app
  // with a route that does not.
  const policy = createPolicy({
    store,
    catalogue: options.catalogue,
    audit,
    clock,
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  })
  const { catalogue, publicUrl } = options

  const app = new Hono<RouteEnv>()
  app.onError(onError(logger))
  app.notFound((c) =>
    c.json(envelope(new SwitchboardError(404, 'route_not_found', `There is no route ${c.req.method} ${c.req.path}.`), c), 404),
  )
  app.use(appWide(accessLog(logger, metrics.http)))
  app.use(appWide(securityHeaders()))
  app.route('/api/health', healthRoutes(options.version ?? '0.1.0', policy))
  app.route('/api', apiReferenceRoutes({ policy, routes: () => declaredRoutes(app), publicUrl, version: options.version ?? '0.1.0' }))
  app.route('/metrics', metricsRoutes({ policy, metrics, token: options.metricsToken }))
  app.route('/', sessionRoutes({ policy, store, clock, publicUrl }))
  app.route('/oauth', oauthCallbackRoutes(oauth2, store, policy))
  app.route('/oauth1', oauth1CallbackRoutes(oauth1, store, policy))
  app.route('/api', userRoutes({ policy, store, clock, publicUrl }))
  app.route('/api/connectors/:id/oauth-app', oauthAppRoutes(oauth2, policy))
  app.route('/api/connectors', connectorRoutes({ policy, catalogue, tests, importOpenApi: convertUpload }))
  app.route('/api/apps', appRoutes({ policy, store, clock, newId, catalogue }))
  app.route('/api/apps/:appId/members', memberRoutes({ policy, store }))
  app.route('/api/apps/:appId/needs', needsRoutes({ policy, catalogue, connections, publicUrl }))
  app.route('/api/apps/:appId/audit', auditRoutes({ policy, audit }))
  app.route('/api/apps/:appId/webhooks', webhookRoutes({ policy, endpoints: webhookEndpoints, deliveries: webhooks }))
  app.route(
    '/api/apps/:appId',
    setupRoutes({ ...parts, policy, use, runs, retry: options.retry, setup: createAppSetup({ ...parts, connections }) }),
  )
  app.route('/api/apps/:appId/connections/:id/oauth', oauth2Routes(oauth2, policy))
  app.route('/api/apps/:appId/connections/:id/oauth1', oauth1Routes(oauth1, policy))
  app.route('/api/apps/:appId/runs', runRoutes({ policy, runs }))
  app.route('/api/apps/:appId/connections/:id/proxy', proxyRoutes(proxy, policy))
  app.route(
    '/api/apps/:appId/connections',
    connectionRoutes({ ...parts, policy, connections, tests, use, runs, retry: options.retry, oauth2 }),
  )
  // What no route above answers: inside an app it takes the admin role to learn that (a member learns
  // nothing about routes they could not call anyway); elsewhere under /api, a sign-in.
  const unknownRoute = (c: { req: { method: string; path: string } }) => {
    throw new SwitchboardError(404, 'route_not_found', `There is no route ${c.req.method} ${c.req.path}.`)
  }
  app.all('/api/apps/:appId/*', policy({ role: 'admin', what: (c) => `call ${c.req.method} ${c.req.path}` }), unknownRoute)
  app.all('/api/*', policy({ role: 'signed-in', what: 'call routes' }), unknownRoute)
  app.route('/', designerRoutes(options.designerDir, policy))
  assertEveryRouteDeclared(app)
  return { app, events, health, webhooks, metrics }
}
