import type { Context, MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { Logger } from '../../platform/log/index.ts'
import type { HttpMetrics } from '../../platform/metrics/index.ts'
import { requestHeaders } from '../callers/index.ts'
import { requestIdOf } from './request-id.ts'

/** The response header (and error envelope field) that carries the request id. */
export const REQUEST_ID_HEADER = 'X-Request-Id'
/** Where a proxied upstream's own `X-Request-Id` goes, so the caller still has it to quote to the API's owners. */
export const UPSTREAM_REQUEST_ID_HEADER = 'X-Upstream-Request-Id'

/**
 * Around every request: gives it an id ({@link requestIdOf}) that the handlers, the error envelope and the
 * response header (`X-Request-Id`; a proxied upstream's own id moves to `X-Upstream-Request-Id`) carry, counts it
 * by route pattern and status, and logs one entry: method, route pattern, path (never the query string, which can
 * carry tokens), status, duration and acting user.
 *
 * @example
 * app.use(accessLog(logger, metrics.http))
 */
export function accessLog(logger: Logger, metrics: HttpMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    const requestId = requestIdOf(requestHeaders(c)['x-request-id'])
    c.set('requestId' as never, requestId as never)
    await next()
    const seconds = (performance.now() - started) / 1000
    setHeader(c, requestId)
    const route = routePath(c) || 'unmatched'
    const status = c.res.status
    metrics.request(c.req.method, route, status, seconds)
    const user = (c.get('user' as never) as { id?: string } | undefined)?.id
    // `user` is left out of the line when undefined (JSON has no undefined).
    logger.info({ requestId, method: c.req.method, route, path: c.req.path, status, ms: Math.round(seconds * 1000), user }, 'request')
  }
}

function setHeader(c: Context, requestId: string): void {
  const upstream = c.res.headers.get(REQUEST_ID_HEADER)
  try {
    set(c.res.headers, requestId, upstream)
  } catch {
    // A response whose headers are immutable (one returned by fetch) is copied; its body streams on.
    c.res = new Response(c.res.body, c.res)
    set(c.res.headers, requestId, upstream)
  }
}

function set(headers: Headers, requestId: string, upstream: string | null): void {
  if (upstream !== null && upstream !== requestId) headers.set(UPSTREAM_REQUEST_ID_HEADER, upstream)
  headers.set(REQUEST_ID_HEADER, requestId)
}
