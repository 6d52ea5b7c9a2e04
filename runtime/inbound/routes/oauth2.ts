import { type Context, Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import type { OAuthApp, OAuthAuthorization, SetOAuthApp } from '../../../schemas/types/api.ts'
import type { CallbackQuery, OAuth2 } from '../../core/auth/oauth2/index.ts'
import type { Store } from '../../platform/store/index.ts'
import { appOf, idParam, type Policy, type RouteEnv } from '../access/index.ts'
import { findToken, SESSION_COOKIE } from '../callers/index.ts'
import { readBody } from './body.ts'

type Ctx = Context<RouteEnv>

/**
 * `GET/PUT/DELETE /api/connectors/:id/oauth-app`: the workspace's OAuth app for a connector. Anyone signed
 * in may see whether it is set up (and the redirect URI to register); only the workspace owner changes it.
 *
 * @example
 * app.route('/api/connectors/:id/oauth-app', oauthAppRoutes(oauth2, policy))
 */
export function oauthAppRoutes(oauth2: OAuth2, policy: Policy) {
  const connectorId = (c: Ctx) => idParam(c, 'id', 'connector')
  return new Hono<RouteEnv>()
    .get('/', policy({ role: 'signed-in', what: 'read OAuth apps' }), async (c) => c.json<OAuthApp>(await oauth2.apps.view(connectorId(c))))
    .put('/', policy({ role: 'owner', what: 'change OAuth apps' }), async (c) => {
      const id = connectorId(c)
      return c.json<OAuthApp>(await oauth2.apps.put(id, await readBody<SetOAuthApp>(c, 'SetOAuthApp'), c.get('user').id))
    })
    .delete('/', policy({ role: 'owner', what: 'delete OAuth apps' }), async (c) => {
      await oauth2.apps.delete(connectorId(c))
      return c.body(null, 204)
    })
}

/**
 * `GET /api/apps/:appId/connections/:id/oauth/authorize[?scopes=a,b][&format=json]`: starts the flow.
 * Answers 302 to the provider, or `{ url, scopes, expiresAt }` with `format=json` (for the designer).
 *
 * @example
 * app.route('/api/apps/:appId/connections/:id/oauth', oauth2Routes(oauth2, policy))
 */
export function oauth2Routes(oauth2: OAuth2, policy: Policy) {
  const declared = policy({ role: 'member', shared: 'admin', what: 'authorize a shared connection (its tokens serve everyone)' })
  return new Hono<RouteEnv>().get('/authorize', declared, async (c) => {
    const scopes = c.req.query('scopes')
    const result = await oauth2.authorize({
      appId: appOf(c).id,
      id: idParam(c, 'id', 'connection'),
      userId: c.get('user').id,
      ...(scopes === undefined ? {} : { scopes }),
    })
    c.header('Cache-Control', 'no-store')
    if (c.req.query('format') === 'json') return c.json<OAuthAuthorization>(result)
    return c.redirect(result.url, 302)
  })
}

/**
 * `GET /oauth/callback`: where providers send the person back. No bearer token: the state binds the answer
 * to the user and connection that started the flow; when a session cookie comes along, its user must be
 * the same. Always answers with a redirect to the designer, never with tokens.
 *
 * @example
 * app.route('/oauth', oauthCallbackRoutes(oauth2, store, policy))
 */
export function oauthCallbackRoutes(oauth2: OAuth2, store: Store, policy: Policy) {
  // Public: the provider sends the person here; what it may complete is bound to the state (see above).
  return new Hono<RouteEnv>().get('/callback', policy({ role: 'public', what: 'complete an OAuth2 authorization' }), async (c) => {
    const all = c.req.queries()
    const one = (name: string) => all[name]?.[0]
    const query: CallbackQuery = { repeated: ['state', 'code', 'error', 'iss'].some((name) => (all[name]?.length ?? 0) > 1) }
    for (const name of ['state', 'code', 'error', 'error_description', 'iss'] as const) {
      const value = one(name)
      if (value !== undefined) query[name] = value
    }
    const session = getCookie(c, SESSION_COOKIE)
    const sessionUserId = session ? (await findToken(store, session))?.userId : undefined
    const location = await oauth2.complete(query, sessionUserId)
    // The callback URL holds the code: keep it out of caches and of the designer's Referer.
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer')
    return c.redirect(location, 302)
  })
}
