import { api } from './api.ts'

interface AppSummary {
  id: string
  name: string
}

/**
 * Which app a person works in: the one of the last connections page visited, `default` at first.
 * Links from the catalogue ("Add connection") go to this app.
 */
class AppsState {
  current = $state('default')
  list = $state<AppSummary[]>([])

  async load(): Promise<void> {
    this.list = (await api<{ apps: AppSummary[] }>('GET', '/api/apps')).apps
  }
}

/** The one apps state. */
export const apps = new AppsState()
