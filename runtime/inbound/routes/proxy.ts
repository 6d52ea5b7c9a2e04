import { type Context, Hono } from 'hono'
import type { createProxy } from '../../core/proxy/index.ts'
import { appOf, idParam, type Policy, type RouteEnv } from '../access/index.ts'
import { requestHeaders } from '../callers/index.ts'
import { streamedRequest } from './node-request.ts'

/**
 * `ALL /api/apps/:appId/connections/:id/proxy[/*]`: hands the request, as the caller sent it, to the proxy.
 * The body streams through, limited by the proxy itself, not read whole here.
 *
 * @example
 * app.route('/api/apps/:appId/connections/:id/proxy', proxyRoutes(createProxy({ use, http, runs }), policy))
 */
export function proxyRoutes(proxy: ReturnType<typeof createProxy>, policy: Policy) {
  const declared = policy({ role: 'member', what: 'send requests through connections', streamsBody: true })
  const handler = (c: Context<RouteEnv>) =>
    proxy({
      ...streamedRequest(c),
      appId: appOf(c).id,
      id: idParam(c, 'id', 'connection'),
      userId: c.get('user').id,
      method: c.req.method,
      url: c.req.url,
      headers: requestHeaders(c),
    })
  return new Hono<RouteEnv>().all('/', declared, handler).all('/*', declared, handler)
}
