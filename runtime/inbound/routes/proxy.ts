import type { Context } from 'hono'
import type { createProxy } from '../../core/proxy/index.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AuthVariables } from '../callers/index.ts'
import { requireApp } from './apps.ts'
import { idParam } from './body.ts'

type Ctx = Context<{ Variables: AuthVariables }>

/**
 * `ALL /api/apps/:appId/connections/:id/proxy/*`: hands the request, as the caller sent it, to the proxy.
 *
 * @example
 * app.all('/api/apps/:appId/connections/:id/proxy/*', proxyRoute(createProxy({ use, http, runs }), store))
 */
export function proxyRoute(proxy: ReturnType<typeof createProxy>, store: Store) {
  return async (c: Ctx): Promise<Response> => {
    const appId = (await requireApp(store, idParam(c, 'appId', 'app'))).id
    return proxy({
      appId,
      id: idParam(c, 'id', 'connection'),
      userId: c.get('user').id,
      method: c.req.method,
      url: c.req.url,
      headers: c.req.raw.headers,
      body: c.req.raw.body,
      signal: c.req.raw.signal,
    })
  }
}
