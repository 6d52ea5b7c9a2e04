import { call } from './api.ts'
import type { App } from './types.ts'

/**
 * Which app a person works in: the one of the last connections page visited, `default` at first.
 * Links from the catalogue ("Add connection") go to this app.
 */
class AppsState {
  current = $state('default')
  list = $state<App[]>([])

  async load(): Promise<void> {
    this.list = (await call('GET /api/apps')).apps
  }
}

/** The one apps state. */
export const apps = new AppsState()
