import { policyOf } from './policy.ts'
import type { RoutePolicy } from './types.ts'

/** A route as Hono lists it in `app.routes`. */
interface Registered {
  method: string
  path: string
  handler: unknown
}

const APP_WIDE = new WeakSet<object>()

/**
 * Marks middleware that runs around every route (the access log, security headers): it decides nothing
 * about who may call what, so the start-up check does not ask it for a policy.
 *
 * @example
 * app.use(appWide(accessLog(log)))
 */
export function appWide<M extends object>(middleware: M): M {
  APP_WIDE.add(middleware)
  return middleware
}

/**
 * Every route with the policy it declares, in the order they were registered.
 *
 * @example
 * declaredRoutes(app).find((r) => r.path === '/api/apps/:appId/connections/:id/clone')?.policy.role // 'admin'
 */
export function declaredRoutes(app: { routes: readonly Registered[] }): Array<{ method: string; path: string; policy: RoutePolicy }> {
  return app.routes.flatMap((r) => {
    const policy = policyOf(r.handler)
    return policy ? [{ method: r.method, path: r.path, policy }] : []
  })
}

/**
 * The start-up check: every handler registered on the app must come after a policy declared for the same
 * method and path, so a route nobody decided about fails when the app is built instead of answering
 * requests. Middleware marked {@link appWide} is the only exception.
 *
 * @example
 * const app = new Hono().get('/api/x', (c) => c.text('x'))
 * assertEveryRouteDeclared(app) // throws: GET /api/x has no policy
 */
export function assertEveryRouteDeclared(app: { routes: readonly Registered[] }): void {
  const declared = new Set<string>()
  const missing = new Set<string>()
  for (const route of app.routes) {
    const key = `${route.method} ${route.path}`
    if (policyOf(route.handler)) declared.add(key)
    else if (!(typeof route.handler === 'object' || typeof route.handler === 'function') || !APP_WIDE.has(route.handler as object)) {
      // A handler before its policy would run first, unchecked: that counts as missing too.
      if (!declared.has(key)) missing.add(key)
    }
  }
  if (missing.size > 0) {
    throw new TypeError(
      `Routes without a policy: ${[...missing].join(', ')}. Declare who may call each one where it is defined: app.get(path, policy({ ` +
        `role, what }), handler).`,
    )
  }
}
