import type { Context, MiddlewareHandler } from 'hono'
import { credentialId, credentialOwner } from '../../core/connections/index.ts'
import type { Store } from '../../platform/store/index.ts'
import type { ConnectionRecord, CredentialRecord } from '../../types.ts'
import type { AuthVariables } from '../callers/index.ts'
import type { AuditDetails, AuditLog, NewAuditEntry } from './audit-log.ts'

type Ctx = Context<{ Variables: AuthVariables }>

const CONNECTION_ROUTE = /^\/api\/apps\/([^/]+)\/connections(?:\/([^/]+)(?:\/(credentials|clone|test|actions\/[^/]+))?)?\/?$/

/** What the trail knows of a connection before and after a request. */
interface Snapshot {
  record?: ConnectionRecord
  /** Whether the actor's credentials (shared or their own) exist. */
  own: boolean
  /** How many credential records the connection has (shared and everyone's personal). */
  all: number
}

/**
 * Records what people do with an app's connections in its audit trail: created, changed, sharing
 * changed, connected, reconnected, unauthorized, deleted, tested, and every action run with its
 * outcome. It watches the connection routes from outside, comparing the connection before and after a
 * request that succeeded, so it holds nothing but ids, names and outcomes — never a value sent.
 * Mounted after access control: refused requests change nothing and are not recorded.
 *
 * @example
 * app.use('/api/*', auditTrail({ store, audit }))
 */
export function auditTrail(deps: { store: Store; audit: AuditLog }): MiddlewareHandler<{ Variables: AuthVariables }> {
  const { store } = deps

  async function snapshot(id: string, appId: string, userId: string): Promise<Snapshot> {
    const found = await store.get<ConnectionRecord>('connections', id)
    const record = found?.appId === appId ? found : undefined
    if (!record) return { own: false, all: 0 }
    const credentials = await store.list<CredentialRecord>('credentials', (r) => r.connectionId === id)
    const mine = credentialId(id, credentialOwner(record, userId))
    return { record, own: credentials.some((r) => r.id === mine), all: credentials.length }
  }

  return async (c, next) => {
    const route = CONNECTION_ROUTE.exec(c.req.path)
    const method = c.req.method.toUpperCase()
    if (!route || method === 'GET' || method === 'HEAD') return next()
    const [, appId, id, sub] = route as unknown as [string, string, string | undefined, string | undefined]
    const userId = c.get('user').id
    const before = id === undefined ? undefined : await snapshot(id, appId, userId)
    await next()
    const status = c.res.status
    if (id !== undefined && !before?.record) return
    const entries = describe({ c, method, sub, status, before, after: id === undefined ? undefined : await snapshot(id, appId, userId) })
    for (const entry of await entries) await deps.audit.record(appId, { ...entry, userId })
  }
}

async function describe(r: { c: Ctx; method: string; sub: string | undefined; status: number; before: Snapshot | undefined; after: Snapshot | undefined }): Promise<Array<Omit<NewAuditEntry, 'userId'>>> {
  const { c, method, sub, status, before, after } = r
  const about = (record: ConnectionRecord | undefined) => record ? { connectionId: record.id, connectorId: record.connectorId, connectionName: record.name } : {}
  const ok = status >= 200 && status < 300
  if (sub === undefined && before === undefined) {
    if (method !== 'POST' || status !== 201) return []
    const made = await json(c)
    return [{ event: 'connection.created', connectionId: made.id, connectorId: made.connectorId, connectionName: made.name, details: { sharing: made.sharing, connected: made.status === 'connected' } }]
  }
  const record = before!.record!
  if (sub === 'clone' && status === 201) {
    const made = await json(c)
    return [{ event: 'connection.created', connectionId: made.id, connectorId: made.connectorId, connectionName: made.name, details: { sharing: made.sharing, clonedFrom: record.id } }]
  }
  if (sub === undefined && method === 'DELETE' && ok) return [{ event: 'connection.deleted', ...about(record), details: { credentialsDropped: before!.all } }]
  if (sub === undefined && method === 'PATCH' && ok && after?.record) {
    const next = after.record
    const changed = (['name', 'baseUrl', 'fields', 'sharing'] as const).filter((key) => JSON.stringify(record[key]) !== JSON.stringify(next[key]))
    const dropped = before!.all - after.all
    const details: AuditDetails = { changed, credentialsDropped: dropped }
    if (next.sharing !== record.sharing) return [{ event: 'connection.sharing_changed', ...about(next), details: { ...details, from: record.sharing, to: next.sharing } }]
    return changed.length || dropped ? [{ event: 'connection.updated', ...about(next), details }] : []
  }
  if (sub === 'credentials' && ok) {
    const scope = { sharing: record.sharing }
    if (method === 'PUT') return [{ event: before!.own ? 'connection.reconnected' : 'connection.connected', ...about(after?.record ?? record), details: { ...scope, authMethod: after?.record?.authMethod ?? record.authMethod } }]
    if (method === 'DELETE') return [{ event: 'connection.unauthorized', ...about(record), details: { ...scope, credentialsDropped: before!.all - (after?.all ?? 0) } }]
  }
  if (sub === 'test' && ok) {
    const result = await json(c)
    return [{ event: 'connection.tested', ...about(record), details: { ok: result.ok === true, ...(typeof result.status === 'number' ? { status: result.status } : {}), ...(typeof result.problem === 'string' ? { problem: result.problem } : {}) } }]
  }
  if (sub?.startsWith('actions/') && status !== 404) {
    const result = await json(c)
    const mode = await requestMode(c)
    const details: AuditDetails = { action: decodeURIComponent(sub.slice('actions/'.length)), mode }
    if (ok) Object.assign(details, { outcome: result.status < 400 ? 'ok' : 'http_error', status: result.status })
    else Object.assign(details, { outcome: 'failed', code: typeof result.error?.code === 'string' ? result.error.code : 'internal_error' })
    return [{ event: 'action.run', ...about(record), details }]
  }
  return []
}

// Response bodies are read loosely: only ids, statuses and codes are picked out of them.
async function json(c: Ctx): Promise<any> {
  try {
    return await c.res.clone().json()
  } catch {
    return {}
  }
}

async function requestMode(c: Ctx): Promise<string> {
  try {
    const body = JSON.parse(await c.req.text()) as { mode?: unknown }
    return body.mode === 'workflow' ? 'workflow' : 'user'
  } catch {
    return 'user'
  }
}
