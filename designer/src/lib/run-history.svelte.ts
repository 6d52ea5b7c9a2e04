import { call } from './api.ts'
import type { RunEntry, RunQuery } from './types.ts'

/** The filters a person sets; empty strings mean "any". */
export interface RunFilters {
  connection: string
  kind: '' | 'action' | 'proxy' | 'check'
  outcome: '' | 'ok' | 'http_error' | 'failed'
  /** `datetime-local` values, in the browser's time zone. */
  since: string
  until: string
}

/**
 * One app's run history read a page at a time, newest first, with the filters as they are when loading.
 *
 * @example
 * const history = new RunHistory('default')
 * history.filters.outcome = 'failed'
 * await history.load(); await history.older()
 */
export class RunHistory {
  filters = $state<RunFilters>({ connection: '', kind: '', outcome: '', since: '', until: '' })
  runs = $state<RunEntry[]>([])
  next = $state<string>()
  capacity = $state<number>()
  maxAgeDays = $state<number>()
  loaded = $state(false)
  busy = $state(false)
  error = $state('')

  constructor(readonly appId: string) {}

  /** The first page for the current filters. */
  async load(): Promise<void> {
    this.runs = []
    this.next = undefined
    await this.#page()
    this.loaded = true
  }

  /** The page after the oldest run shown ("Load older"). */
  older(): Promise<void> {
    return this.#page(this.next)
  }

  async #page(before?: string): Promise<void> {
    this.busy = true
    this.error = ''
    try {
      const query = { ...queryOf(this.filters), limit: 50, ...(before ? { before } : {}) }
      const page = await call('GET /api/apps/:appId/runs', { params: { appId: this.appId }, query })
      this.runs = [...this.runs, ...page.runs]
      this.next = page.next
      this.capacity = page.capacity
      this.maxAgeDays = page.maxAgeDays
    } catch (e) {
      this.error = (e as Error).message
    } finally {
      this.busy = false
    }
  }
}

/**
 * The API query of a set of filters: blanks left out, local times as ISO 8601 instants.
 *
 * @example
 * queryOf({ connection: '', kind: 'proxy', outcome: '', since: '2026-11-22T10:00', until: '' })
 * // { kind: 'proxy', since: '2026-11-22T09:00:00.000Z' } (in UTC+1)
 */
export function queryOf(filters: RunFilters): RunQuery {
  const instant = (local: string) => (local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : undefined)
  const since = instant(filters.since)
  const until = instant(filters.until)
  return {
    ...(filters.connection ? { connection: filters.connection } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  }
}
