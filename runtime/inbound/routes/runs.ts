import { type Context, Hono } from 'hono'
import type { RunList } from '../../../schemas/types/api.ts'
import { CURSOR, type RunLog, type RunQuery } from '../../core/actions/index.ts'
import { SwitchboardError } from '../../errors.ts'
import { appOf, type Policy, type RouteEnv } from '../access/index.ts'

const KINDS = ['action', 'proxy', 'check'] as const
const OUTCOMES = ['ok', 'http_error', 'failed'] as const

/**
 * `GET /api/apps/:appId/runs[?connection=][&kind=][&outcome=][&since=][&until=][&before=][&limit=]`: the app's run
 * history across its connections, newest first, a page at a time. App admins only: it shows who used which
 * connection, as the audit trail does.
 *
 * @example
 * app.route('/api/apps/:appId/runs', runRoutes({ policy, runs }))
 */
export function runRoutes(deps: { policy: Policy; runs: RunLog }) {
  return new Hono<RouteEnv>().get('/', deps.policy({ role: 'admin', what: 'read the run history' }), async (c) => {
    const connectionId = c.req.query('connection')
    return c.json<RunList>(await runPage(deps.runs, appOf(c).id, { ...readRunQuery(c), ...(connectionId ? { connectionId } : {}) }))
  })
}

/**
 * A page of runs with what the history keeps (capacity, age), as the run routes answer.
 *
 * @example
 * return c.json<RunList>(await runPage(runs, record.appId, { ...readRunQuery(c), connectionId: record.id }))
 */
export async function runPage(runs: RunLog, appId: string, query: RunQuery): Promise<RunList> {
  const page = await runs.query(appId, query)
  return { ...page, capacity: runs.capacity, maxAgeDays: runs.maxAgeMs / 86_400_000 }
}

/**
 * The run filters of a request's query (`kind`, `outcome`, `since`, `until`, `before`, `limit`), each checked: a bad
 * one is 400 `invalid_query` saying what it takes.
 *
 * @example
 * const query = readRunQuery(c) // { outcome: 'failed', limit: 20 }
 */
export function readRunQuery(c: Context): RunQuery {
  const query: RunQuery = {}
  const kind = c.req.query('kind')
  if (kind !== undefined) query.kind = oneOf('kind', kind, KINDS)
  const outcome = c.req.query('outcome')
  if (outcome !== undefined) query.outcome = oneOf('outcome', outcome, OUTCOMES)
  for (const name of ['since', 'until'] as const) {
    const raw = c.req.query(name)
    if (raw === undefined) continue
    const time = /^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:\d\d)?)?$/.test(raw) ? Date.parse(raw) : Number.NaN
    if (Number.isNaN(time)) throw invalid(`?${name} must be a date and time in ISO 8601, like 2026-11-22T10:00:00Z.`)
    query[name] = new Date(time).toISOString()
  }
  const before = c.req.query('before')
  if (before !== undefined) {
    if (!CURSOR.test(before)) throw invalid('?before must be the "next" of a page of runs, as it was given.')
    query.before = before
  }
  const limit = c.req.query('limit')
  if (limit !== undefined) {
    if (!/^[1-9]\d{0,2}$/.test(limit) || Number(limit) > 500) throw invalid('?limit must be a whole number from 1 to 500.')
    query.limit = Number(limit)
  }
  return query
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw invalid(`?${name} must be one of ${allowed.join(', ')} (got "${value.slice(0, 40)}").`)
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError(400, 'invalid_query', message)
}
