import { type AuditEntry, people } from './people.ts'

/**
 * One app's audit trail read a page at a time, newest first, with the names of who acted.
 *
 * @example
 * const feed = new AuditFeed('default', { connection: 'c_1', limit: 5 })
 * await feed.load(); await feed.older()
 */
export class AuditFeed {
  entries = $state<AuditEntry[]>([])
  names = $state<Record<string, string>>({})
  next = $state<number>()
  loaded = $state(false)
  busy = $state(false)
  error = $state('')

  constructor(
    readonly appId: string,
    readonly query: { connection?: string; limit?: number } = {},
  ) {}

  async load(): Promise<void> {
    this.entries = []
    this.next = undefined
    await Promise.all([this.#page(), this.#names()])
    this.loaded = true
  }

  /** The page before the oldest entry shown ("Load older"). */
  older(): Promise<void> {
    return this.#page(this.next)
  }

  async #page(before?: number): Promise<void> {
    this.busy = true
    this.error = ''
    try {
      const page = await people.audit(this.appId, { ...this.query, ...(before ? { before } : {}) })
      this.entries = [...this.entries, ...page.entries]
      this.next = page.next
    } catch (e) {
      this.error = (e as Error).message
    } finally {
      this.busy = false
    }
  }

  async #names(): Promise<void> {
    try {
      this.names = Object.fromEntries((await people.users()).map((u) => [u.id, u.name]))
    } catch {
      // Without names the ids are shown; the trail itself is what matters.
    }
  }
}
