import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import { SwitchboardError } from '../../errors.ts'
import type { Metrics } from '../../platform/metrics/index.ts'
import type { Policy, RouteEnv } from '../access/index.ts'

/**
 * `GET /metrics`: the Prometheus text exposition, for a scraper that sends `Authorization: Bearer <token>` with
 * the token set in `SWITCHBOARD_METRICS_TOKEN`. Without the setting it answers 404 `metrics_disabled`: counts of
 * routes, connectors and failures say more about a deployment than an anonymous caller should learn. Not an API
 * token: a scraper is not a person and should hold nothing that can read connections.
 *
 * @example
 * app.route('/metrics', metricsRoutes({ policy, metrics, token: process.env.SWITCHBOARD_METRICS_TOKEN }))
 */
export function metricsRoutes(deps: { policy: Policy; metrics: Metrics; token?: string | undefined }) {
  const expected = deps.token ? digest(deps.token) : undefined
  return new Hono<RouteEnv>().get('/', deps.policy({ role: 'public', what: 'read metrics' }), async (c) => {
    if (!expected) {
      throw new SwitchboardError(404, 'metrics_disabled', 'Metrics are off. Set SWITCHBOARD_METRICS_TOKEN to serve them at /metrics.')
    }
    const sent = /^Bearer (\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
    // Compared as digests of equal length, in constant time.
    if (!sent || !timingSafeEqual(digest(sent), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"')
      throw new SwitchboardError(
        401,
        'unauthenticated',
        'Send the metrics token (SWITCHBOARD_METRICS_TOKEN) as "Authorization: Bearer <token>".',
      )
    }
    const { text, contentType } = await deps.metrics.exposition()
    return c.body(text, 200, { 'content-type': contentType, 'cache-control': 'no-store' })
  })
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}
