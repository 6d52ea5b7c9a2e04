import { type AppRole, people } from './people.ts'
import { session } from './session.svelte.ts'

/**
 * The signed-in person's role in each app, so pages hide what only app admins may do (the runtime
 * still refuses it with 403). The workspace owner is an admin of every app.
 */
class Roles {
  #byApp = $state<Record<string, AppRole | null>>({})

  /** The role in `appId`: `undefined` until known, `null` for none. */
  of(appId: string): AppRole | null | undefined {
    if (session.user?.owner) return 'admin'
    return this.#byApp[appId]
  }

  isAdmin(appId: string): boolean {
    return this.of(appId) === 'admin'
  }

  async load(appId: string): Promise<void> {
    const me = session.user
    if (!me || me.owner) return
    try {
      const app = await people.app(appId)
      this.#byApp[appId] = app.members.find((m) => m.userId === me.id)?.role ?? null
    } catch {
      this.#byApp[appId] = null
    }
  }
}

/** The one role cache. */
export const roles = new Roles()
