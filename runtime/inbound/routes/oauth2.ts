import { Hono, type Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { SetOAuthApp } from '../../../schemas/types/api.ts'
import type { CallbackQuery, OAuth2 } from '../../core/auth/oauth2/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import { findToken, SESSION_COOKIE, type AuthVariables } from '../callers/index.ts'
import { requireApp } from './apps.ts'
import { idParam, readBody } from './body.ts'

type Ctx = Context<{ Variables: AuthVariables }>

/**
 * `GET/PUT/DELETE /api/connectors/:id/oauth-app`: the workspace's OAuth app for a connector. Anyone signed
 * in may see whether it is set up (and the redirect URI to register); only the workspace owner changes it.
 *
 * @example
 * app.route('/api/connectors/:id/oauth-app', oauthAppRoutes(oauth2))
 */
export function oauthAppRoutes(oauth2: OAuth2) {
  const connectorId = (c: Ctx) => idParam(c, 'id', 'connector')
  const ownerOnly = (c: Ctx) => {
    if (!c.get('user').owner) throw new SwitchboardError(403, 'owner_only', 'Only the workspace owner can change OAuth apps.')
  }
  return new Hono<{ Variables: AuthVariables }>()
    .get('/', async (c) => c.json(await oauth2.apps.view(connectorId(c))))
    .put('/', async (c) => {
      ownerOnly(c)
      const id = connectorId(c)
      return c.json(await oauth2.apps.put(id, await readBody<SetOAuthApp>(c, 'SetOAuthApp'), c.get('user').id))
    })
    .delete('/', async (c) => {
      ownerOnly(c)
      await oauth2.apps.delete(connectorId(c))
      return c.body(null, 204)
    })
}

/**
 * `GET /api/apps/:appId/connections/:id/oauth/authorize[?scopes=a,b][&format=json]`: starts the flow.
 * Answers 302 to the provider, or `{ url, scopes, expiresAt }` with `format=json` (for the designer).
 *
 * @example
 * app.route('/api/apps/:appId/connections/:id/oauth', oauth2Routes(oauth2, store))
 */
export function oauth2Routes(oauth2: OAuth2, store: Store) {
  return new Hono<{ Variables: AuthVariables }>().get('/authorize', async (c) => {
    const appId = (await requireApp(store, idParam(c, 'appId', 'app'))).id
    const scopes = c.req.query('scopes')
    const result = await oauth2.authorize({ appId, id: idParam(c, 'id', 'connection'), userId: c.get('user').id, ...(scopes === undefined ? {} : { scopes }) })
    c.header('Cache-Control', 'no-store')
    if (c.req.query('format') === 'json') return c.json(result)
    return c.redirect(result.url, 302)
  })
}

/**
 * `GET /oauth/callback`: where providers send the person back. No bearer token: the state binds the answer
 * to the user and connection that started the flow; when a session cookie comes along, its user must be
 * the same. Always answers with a redirect to the designer, never with tokens.
 *
 * @example
 * app.route('/oauth', oauthCallbackRoutes(oauth2, store))
 */
export function oauthCallbackRoutes(oauth2: OAuth2, store: Store) {
  return new Hono().get('/callback', async (c) => {
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
