/**
 * Hash routing (`#/connectors/github`): the runtime serves one page, and links survive reloads.
 */
function current(): string {
  return location.hash.replace(/^#/, '') || '/'
}

class Router {
  path = $state(current())
  /** Set by pages with unsaved changes; asked before leaving. */
  guard: (() => boolean) | undefined = undefined

  constructor() {
    addEventListener('hashchange', () => {
      const next = current()
      if (this.guard && !this.guard()) {
        history.replaceState(null, '', `#${this.path}`)
        return
      }
      this.path = next
    })
  }

  /** Segments of the path without the query: `/apps/default/connections` → ['apps', 'default', 'connections']. */
  get segments(): string[] {
    return this.path.split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent)
  }

  /** Query parameters of the hash route. */
  get query(): URLSearchParams {
    return new URLSearchParams(this.path.split('?')[1] ?? '')
  }

  go(path: string): void {
    location.hash = `#${path}`
  }
}

/** The one router. */
export const router = new Router()
