import type { MiddlewareHandler } from 'hono'
import type { Log } from './on-error.ts'

/**
 * One line per request: method, path (never the query string, which can carry tokens), status,
 * duration and acting user.
 *
 * @example
 * app.use(accessLog(console.log))
 */
export function accessLog(log: Log): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    await next()
    const user = (c.get('user' as never) as { id?: string } | undefined)?.id ?? '-'
    log(`${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms user=${user}`)
  }
}
