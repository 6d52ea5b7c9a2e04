import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { TokenRecord, UserRecord } from '../../types.ts'
import { requestHeaders } from './request-headers.ts'
import { findToken } from './tokens.ts'

/** The name of the designer's session cookie. */
export const SESSION_COOKIE = 'sb_session'

/** What authentication puts on the request context. */
export interface AuthVariables {
  user: UserRecord
  token: TokenRecord
  /** Whether the request came with the session cookie (and so needs CSRF protection). */
  viaCookie: boolean
}

const LAST_USED_RESOLUTION_MS = 60_000

/**
 * Authenticates a request by `Authorization: Bearer <token>` or the session cookie, and puts the user and
 * token on the context. Cookie-authenticated writes must come from the runtime's own origin (CSRF). Every
 * route that is not public runs it first, through its policy.
 *
 * @example
 * await authenticateRequest(c, { store, clock })
 * c.get('user') // the signed-in user
 */
export async function authenticateRequest<E extends { Variables: AuthVariables }>(
  context: Context<E>,
  options: { store: Store; clock: () => Date },
): Promise<void> {
  // Every route environment carries the caller's variables; this sets only those.
  const c = context as unknown as Context<{ Variables: AuthVariables }>
  const { store, clock } = options
  const headers = requestHeaders(c)
  const header = headers.authorization
  let token: string | undefined
  let viaCookie = false
  if (header !== undefined) {
    const match = /^Bearer ([^\s]+)$/i.exec(header)
    if (!match) throw new SwitchboardError(401, 'unauthenticated', 'The Authorization header must be "Bearer <token>".')
    token = match[1]
  } else {
    token = getCookie(c, SESSION_COOKIE)
    viaCookie = token !== undefined
  }
  if (!token)
    throw new SwitchboardError(
      401,
      'unauthenticated',
      'Sign in first: send "Authorization: Bearer <token>", or open the sign-in link the runtime printed.',
    )
  const record = await findToken(store, token)
  const user = record && (await store.get<UserRecord>('users', record.userId, { shared: true }))
  if (!record || !user)
    throw new SwitchboardError(401, 'unauthenticated', 'The token is not valid or has been revoked. Ask the workspace owner for a new one.')
  if (viaCookie && !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
    const origin = headers.origin
    if (origin !== undefined && origin !== new URL(c.req.url).origin) {
      throw new SwitchboardError(403, 'cross_origin', 'Requests from other sites cannot use the session cookie.')
    }
  }
  const now = clock()
  if (!record.lastUsedAt || now.getTime() - Date.parse(record.lastUsedAt) > LAST_USED_RESOLUTION_MS) {
    // Recorded at minute resolution: a write per request would cost more than it tells.
    void store
      .update<TokenRecord>('tokens', record.id, (t) => t && { ...t, lastUsedAt: now.toISOString() }, { durability: 'relaxed' })
      .catch(() => {})
  }
  c.set('user', user)
  c.set('token', record)
  c.set('viaCookie', viaCookie)
}
