import { Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Store } from '../store/index.ts'
import type { TokenRecord } from '../types.ts'
import { findToken, hashToken, issueToken, SESSION_COOKIE } from '../users/index.ts'

/**
 * Sign-in through the link the runtime prints: the token in the link is exchanged for a session
 * (its own token, HttpOnly cookie), and the link's token leaves the address bar by a redirect.
 *
 * @example
 * app.route('/', sessionRoutes({ store, clock }))
 */
export function sessionRoutes(deps: { store: Store; clock: () => Date; publicUrl?: string }) {
  return new Hono()
    .get('/signin', async (c) => {
      const record = await findToken(deps.store, c.req.query('token') ?? '')
      if (!record) return c.redirect('/#/signin?error=invalid_token', 303)
      const { token } = await issueToken(deps.store, record.userId, 'Browser session', { now: deps.clock().toISOString(), kind: 'session' })
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        // Behind a TLS-terminating proxy the request itself is http: the public URL says what people use.
        secure: (deps.publicUrl ?? c.req.url).startsWith('https:'),
        maxAge: 60 * 60 * 24 * 30,
      })
      c.header('Referrer-Policy', 'no-referrer')
      return c.redirect('/', 303)
    })
    .post('/api/session/signout', async (c) => {
      const origin = c.req.header('origin')
      if (origin !== undefined && origin !== new URL(c.req.url).origin && origin !== deps.publicUrl) {
        return c.json({ error: { code: 'cross_origin', message: 'Requests from other sites cannot sign you out.' } }, 403)
      }
      const token = getCookie(c, SESSION_COOKIE)
      if (token) {
        await deps.store.update<TokenRecord>('tokens', hashToken(token), (t) => t && t.kind === 'session' ? { ...t, revokedAt: deps.clock().toISOString() } : t)
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/' })
      return c.body(null, 204)
    })
}
