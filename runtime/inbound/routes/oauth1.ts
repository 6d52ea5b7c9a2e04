import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import type { OAuth1CallbackQuery, OAuth1Flow } from '../../core/auth/oauth1/flow.ts'
import type { Store } from '../../platform/store/index.ts'
import { appOf, idParam, type Policy, type RouteEnv } from '../access/index.ts'
import { findToken, SESSION_COOKIE } from '../callers/index.ts'

/**
 * `GET /api/apps/:appId/connections/:id/oauth1/authorize[?format=json]`: starts the OAuth 1.0a three-legged flow
 * (a request token from the provider) and answers 302 to the provider's authorize page, or `{ url, expiresAt }`.
 *
 * @example
 * app.route('/api/apps/:appId/connections/:id/oauth1', oauth1Routes(flow, policy))
 */
export function oauth1Routes(flow: OAuth1Flow, policy: Policy) {
  const declared = policy({ role: 'member', shared: 'admin', what: 'authorize a shared connection (its tokens serve everyone)' })
  return new Hono<RouteEnv>().get('/authorize', declared, async (c) => {
    const result = await flow.authorize({ appId: appOf(c).id, id: idParam(c, 'id', 'connection'), userId: c.get('user').id })
    c.header('Cache-Control', 'no-store')
    if (c.req.query('format') === 'json') return c.json(result)
    return c.redirect(result.url, 302)
  })
}

/**
 * `GET /oauth1/callback?state=…&oauth_token=…&oauth_verifier=…`: where the provider sends the person back. Public:
 * what it may complete is bound to the single-use state, and a session cookie, when present, must be the same
 * user's. Always answers with a redirect to the designer, never with tokens.
 *
 * @example
 * app.route('/oauth1', oauth1CallbackRoutes(flow, store, policy))
 */
export function oauth1CallbackRoutes(flow: OAuth1Flow, store: Store, policy: Policy) {
  return new Hono<RouteEnv>().get('/callback', policy({ role: 'public', what: 'complete an OAuth 1.0a authorization' }), async (c) => {
    const query: OAuth1CallbackQuery = {}
    for (const name of ['state', 'oauth_token', 'oauth_verifier', 'denied'] as const) {
      const values = c.req.queries(name)
      // A parameter given twice is not trusted: the state check refuses a missing one.
      if (values?.length === 1) query[name] = values[0]!
    }
    const session = getCookie(c, SESSION_COOKIE)
    const sessionUserId = session ? (await findToken(store, session))?.userId : undefined
    const location = await flow.complete(query, sessionUserId)
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer')
    return c.redirect(location, 302)
  })
}
