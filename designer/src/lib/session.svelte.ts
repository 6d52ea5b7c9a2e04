import { api, ApiError } from './api.ts'

interface User {
  id: string
  name: string
  owner: boolean
}

/** Who is signed in; `undefined` while loading, `null` when nobody is. */
class Session {
  user = $state<User | null | undefined>(undefined)

  async load(): Promise<void> {
    try {
      this.user = (await api<{ user: User }>('GET', '/api/me')).user
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.user = null
      else throw error
    }
  }

  /** Exchanges a token for the session cookie; the runtime accepts it only from this page's origin. */
  async signIn(token: string): Promise<void> {
    this.user = (await api<{ user: User }>('POST', '/api/session', { token })).user
  }

  async signOut(): Promise<void> {
    await api('POST', '/api/session/signout')
    this.user = null
    // Back to the sign-in page, not a page of the app that now asks for a session.
    location.hash = '#/signin?signed-out=1'
  }
}

/** The one session. */
export const session = new Session()
