import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'
import { hotMetric } from './hot-metrics.ts'
import { createLabelCache } from './label-cache.ts'

/** Latency buckets in seconds: a fast local call (≈1 ms) to a slow upstream (10 s). */
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/** Store operations are mostly sub-millisecond (embedded) to a few ms (PostgreSQL). */
const STORE_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1]

/** What the inbound side counts per request. */
export interface HttpMetrics {
  /** One request answered: its method, route pattern (`/api/apps/:appId/…`), status and duration. */
  request(method: string, route: string, status: number, seconds: number): void
}

/**
 * The runtime's metrics, in a registry of its own (never prom-client's global one, so several runtimes in one
 * process do not clash). The hot paths (requests, upstream calls, store operations) go through methods that
 * keep one label object per label set; the rest are prom-client instruments that features increment directly.
 *
 * @example
 * const metrics = createMetrics()
 * metrics.healthChecks.inc({ kind: 'test', result: 'failed' })
 * const text = await metrics.registry.metrics() // Prometheus text format
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry()
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry })
  // The series every request, upstream call and store operation adds to: kept per label set (see hotMetric).
  const requests = hotMetric(registry, {
    name: 'switchboard_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    type: 'counter',
  })
  const requestSeconds = hotMetric(registry, {
    name: 'switchboard_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (to its headers, for a streamed answer), by method and route pattern.',
    type: 'histogram',
    buckets: SECONDS,
  })
  const upstreamSeconds = hotMetric(registry, {
    name: 'switchboard_upstream_request_duration_seconds',
    help: 'Time an upstream API took to answer (retries included, to the headers of a streamed answer), by connector.',
    type: 'histogram',
    buckets: SECONDS,
  })
  const storeSeconds = hotMetric(registry, {
    name: 'switchboard_store_operation_duration_seconds',
    help: 'Time a store operation took, by operation and engine (a transaction counts once, whole).',
    type: 'histogram',
    buckets: STORE_SECONDS,
  })
  const tokenRenewals = new Counter({
    name: 'switchboard_token_renewals_total',
    help:
      'Token renewals (OAuth2 refreshes, session logins, signed JWTs) by connector and result: ok, failed (the provider ' +
      'did not answer usably) or rejected (it refused the grant).',
    labelNames: ['connector', 'result'] as const,
    registers: [registry],
  })
  const healthChecks = new Counter({
    name: 'switchboard_health_checks_total',
    help: 'Scheduled connection checks by kind (test, or refresh for a token renewed instead) and result (ok, failed).',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  })
  const webhookDeliveries = new Counter({
    name: 'switchboard_webhook_deliveries_total',
    help: 'Event webhook delivery attempts by event and result (delivered, retrying: failed and tried again later, failed: given up).',
    labelNames: ['event', 'result'] as const,
    registers: [registry],
  })
  const rateLimitWaits = new Histogram({
    name: 'switchboard_rate_limit_wait_seconds',
    help: 'How long requests were held back by a rate limit before going out, by connector.',
    labelNames: ['connector'] as const,
    buckets: SECONDS,
    registers: [registry],
  })
  const rateLimited = new Counter({
    name: 'switchboard_rate_limited_total',
    help: 'Requests refused with 429 rate_limited because the queue for a rate limit was full, by connector.',
    labelNames: ['connector'] as const,
    registers: [registry],
  })

  const requestSeries = createLabelCache((method: string, route: string, status: number) => ({
    count: requests.series({ method, route, status: String(status) }),
    time: requestSeconds.series({ method, route }),
  }))
  const upstreamSeries = createLabelCache((connector: string) => upstreamSeconds.series({ connector }))
  const storeSeries = createLabelCache((operation: string, engine: string) => storeSeconds.series({ operation, engine }))
  const renewalLabels = createLabelCache((connector: string, result: string) => ({ connector, result }))

  return {
    registry,
    http: {
      request(method: string, route: string, status: number, seconds: number) {
        const series = requestSeries(method, route, status)
        series.count.add()
        series.time.add(seconds)
      },
    } satisfies HttpMetrics,
    /** One upstream exchange of a connector's connection took `seconds`. */
    upstream(connector: string, seconds: number): void {
      upstreamSeries(connector, undefined, undefined).add(seconds)
    },
    /** One store operation took `seconds`. */
    store(operation: string, engine: string, seconds: number): void {
      storeSeries(operation, engine, undefined).add(seconds)
    },
    /** A token renewal ended. */
    tokenRenewal(connector: string, result: 'ok' | 'failed' | 'rejected'): void {
      tokenRenewals.inc(renewalLabels(connector, result, undefined))
    },
    tokenRenewals,
    healthChecks,
    webhookDeliveries,
    rateLimitWaits,
    rateLimited,
    /** The Prometheus text exposition of everything above, and its content type. */
    async exposition(): Promise<{ text: string; contentType: string }> {
      return { text: await registry.metrics(), contentType: registry.contentType }
    },
  }
}

/** The runtime's metrics. */
export type Metrics = ReturnType<typeof createMetrics>
