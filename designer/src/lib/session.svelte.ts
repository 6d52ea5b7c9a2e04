import { call } from './api.ts'
import type { SessionUser } from './types.ts'

const HINT = 'switchboard.signedIn'

function remember(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(HINT, '1')
    else localStorage.removeItem(HINT)
  } catch {
    // Storage may be off; the hint only saves time.
  }
}

/** Who is signed in; `undefined` while loading, `null` when nobody is. */
class Session {
  user = $state<SessionUser | null | undefined>(undefined)

  /** Asks the runtime, which answers "not signed in" as a 200: no 401 in the console before anyone signs in. */
  async load(): Promise<void> {
    const answer = await call('GET /api/session')
    this.user = answer.signedIn && answer.user ? answer.user : null
    remember(this.user !== null)
  }

  /** Whether this browser was signed in last time: the first page may then load its data while the session is asked. */
  get likelySignedIn(): boolean {
    try {
      return localStorage.getItem(HINT) === '1'
    } catch {
      return false
    }
  }

  /** Exchanges a token for the session cookie; the runtime accepts it only from this page's origin. */
  async signIn(token: string): Promise<void> {
    this.user = (await call('POST /api/session', { body: { token } })).user
    remember(true)
  }

  async signOut(): Promise<void> {
    await call('POST /api/session/signout')
    this.user = null
    remember(false)
    // Back to the sign-in page, not a page of the app that now asks for a session.
    location.hash = '#/signin?signed-out=1'
  }
}

/** The one session. */
export const session = new Session()
