import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Session, SignedIn, SignIn } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { TokenRecord, UserRecord } from '../../types.ts'
import type { Policy, RouteEnv } from '../access/index.ts'
import { findToken, hashToken, issueToken, SESSION_COOKIE } from '../callers/index.ts'
import { readBody } from './body.ts'

/**
 * Sign-in and sign-out of the designer. The printed link (`/signin?token=…`) sets no cookie: it opens
 * the designer's sign-in page, which shows whose account the token is and signs in only when the person
 * confirms, by a POST that must come from the designer's own origin. So another site can neither sign a
 * visitor into its own account (login CSRF) by a link, a redirect or a form, nor frame the page to get
 * the click.
 *
 * @example
 * app.route('/', sessionRoutes({ policy, store, clock, publicUrl }))
 */
export function sessionRoutes(deps: { policy: Policy; store: Store; clock: () => Date; publicUrl?: string }) {
  const { policy } = deps
  // Public: these are how a person gets a session; each checks what it accepts itself.
  return (
    new Hono<RouteEnv>()
      .get('/signin', policy({ role: 'public', what: 'open the sign-in link' }), (c) => {
        // The token moves into the fragment, which the browser never sends to a server nor in a Referer.
        const token = c.req.query('token') ?? ''
        c.header('Referrer-Policy', 'no-referrer')
        c.header('Cache-Control', 'no-store')
        return c.redirect(`/#/signin?token=${encodeURIComponent(token)}`, 303)
      })
      .post('/api/session', policy({ role: 'public', what: 'sign in' }), async (c) => {
        fromOwnPage(c, deps.publicUrl, 'sign you in')
        const { token } = await readBody<SignIn>(c, 'SignIn')
        const record = await findToken(deps.store, token)
        const user = record && (await deps.store.get<UserRecord>('users', record.userId))
        if (!record || !user)
          throw new SwitchboardError(
            401,
            'invalid_token',
            'That token is not valid or has been revoked. Ask the workspace owner for a new one.',
          )
        const session = await issueToken(deps.store, user.id, 'Browser session', { now: deps.clock().toISOString(), kind: 'session' })
        setCookie(c, SESSION_COOKIE, session.token, {
          httpOnly: true,
          sameSite: 'Lax',
          path: '/',
          // Behind a TLS-terminating proxy the request itself is http: the public URL says what people use.
          secure: (deps.publicUrl ?? c.req.url).startsWith('https:'),
          maxAge: 60 * 60 * 24 * 30,
        })
        c.header('Cache-Control', 'no-store')
        return c.json<SignedIn>({ user: { id: user.id, name: user.name, owner: user.owner } })
      })
      // The designer asks this before it knows whether anyone is signed in: "no" is a 200, not a 401 in the console.
      .get('/api/session', policy({ role: 'public', what: 'ask whether you are signed in' }), async (c) => {
        c.header('Cache-Control', 'no-store')
        const token = getCookie(c, SESSION_COOKIE)
        const record = token ? await findToken(deps.store, token) : undefined
        const user = record && (await deps.store.get<UserRecord>('users', record.userId))
        return c.json<Session>(user ? { signedIn: true, user: { id: user.id, name: user.name, owner: user.owner } } : { signedIn: false })
      })
      .post('/api/session/signout', policy({ role: 'public', what: 'sign out' }), async (c) => {
        fromOwnPage(c, deps.publicUrl, 'sign you out', { originOptional: true })
        const token = getCookie(c, SESSION_COOKIE)
        if (token) {
          await deps.store.update<TokenRecord>('tokens', hashToken(token), (t) =>
            t && t.kind === 'session' ? { ...t, revokedAt: deps.clock().toISOString() } : t,
          )
        }
        deleteCookie(c, SESSION_COOKIE, { path: '/' })
        return c.body(null, 204)
      })
  )
}

/**
 * Refuses a request that a page of another site made: its `Origin` must be the runtime's (as requested,
 * or its public URL behind a proxy), and `Sec-Fetch-Site`, where the browser sends it, `same-origin`.
 * Browsers send `Origin` with every POST; signing in requires it, so a client that hides it gets no cookie.
 */
function fromOwnPage(c: Context, publicUrl: string | undefined, what: string, options: { originOptional?: boolean } = {}): void {
  const origin = c.req.header('origin')
  const site = c.req.header('sec-fetch-site')
  const own = origin === undefined ? options.originOptional === true : origin === new URL(c.req.url).origin || origin === publicUrl
  if (!own || (site !== undefined && site !== 'same-origin')) {
    throw new SwitchboardError(
      403,
      'cross_origin',
      `Only the designer's own page can ${what}: open the sign-in link in the browser and confirm there.`,
    )
  }
}
