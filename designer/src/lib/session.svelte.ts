import { ApiError, call } from './api.ts'
import type { SessionUser } from './types.ts'

/** Who is signed in; `undefined` while loading, `null` when nobody is. */
class Session {
  user = $state<SessionUser | null | undefined>(undefined)

  async load(): Promise<void> {
    try {
      this.user = (await call('GET /api/me')).user
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.user = null
      else throw error
    }
  }

  /** Exchanges a token for the session cookie; the runtime accepts it only from this page's origin. */
  async signIn(token: string): Promise<void> {
    this.user = (await call('POST /api/session', { body: { token } })).user
  }

  async signOut(): Promise<void> {
    await call('POST /api/session/signout')
    this.user = null
    // Back to the sign-in page, not a page of the app that now asks for a session.
    location.hash = '#/signin?signed-out=1'
  }
}

/** The one session. */
export const session = new Session()
