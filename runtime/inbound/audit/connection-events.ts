import type { Connection, RunMode, TestResult, UpdateConnection } from '../../../schemas/types/api.ts'
import { credentialId, credentialOwner } from '../../core/connections/index.ts'
import type { Store } from '../../platform/store/index.ts'
import type { ConnectionRecord } from '../../types.ts'
import type { AuditDetails, NewAuditEntry } from './audit-log.ts'

/** An audit entry as a route describes it; the caller is added when it is recorded. */
export type RouteEntry = Omit<NewAuditEntry, 'userId'>

/** Which connection an entry is about: ids and its name, never a value. */
type About = Pick<ConnectionRecord, 'id' | 'connectorId' | 'name'>

const about = (c: About) => ({ connectionId: c.id, connectorId: c.connectorId, connectionName: c.name })

/**
 * How many credential records a connection has: the shared one, or every member's own. The connection
 * service does not say how many it dropped, so the routes that drop some count them.
 *
 * @example
 * const before = await credentialCount(store, 'c_1')
 */
export async function credentialCount(store: Store, connectionId: string): Promise<number> {
  return store.count('credentials', 'byConnection', { equals: [connectionId] })
}

/**
 * Whether the caller has credentials on a connection already (the shared ones, or their own on a
 * personal connection): connecting again is a reconnect.
 *
 * @example
 * const reconnect = await hasCredentials(store, record, userId)
 */
export async function hasCredentials(store: Store, record: ConnectionRecord, userId: string): Promise<boolean> {
  return (await store.get('credentials', credentialId(record.id, credentialOwner(record, userId)))) !== undefined
}

/**
 * The entries of what people do with connections, from what the route knows: the connection as it was
 * (read by the route before the change) and as the service answered it after.
 *
 * @example
 * await audited(c, connectionEvents.created(view))
 */
export const connectionEvents = {
  created(made: Connection, clonedFrom?: string): RouteEntry {
    const details: AuditDetails =
      clonedFrom === undefined
        ? { sharing: made.sharing, connected: made.status === 'connected' || made.status === 'untested', status: made.status }
        : { sharing: made.sharing, clonedFrom }
    return { event: 'connection.created', ...about(made), details }
  },

  deleted(before: ConnectionRecord, credentialsDropped: number): RouteEntry {
    return { event: 'connection.deleted', ...about(before), details: { credentialsDropped } }
  },

  /** Nothing when the change changed nothing; `sharing_changed` when it switched the scope. */
  updated(before: ConnectionRecord, change: UpdateConnection, after: Connection, credentialsDropped: number): RouteEntry | undefined {
    const changed = changedKeys(before, change, after)
    const details: AuditDetails = { changed, credentialsDropped }
    if (after.sharing !== before.sharing)
      return { event: 'connection.sharing_changed', ...about(after), details: { ...details, from: before.sharing, to: after.sharing } }
    return changed.length || credentialsDropped ? { event: 'connection.updated', ...about(after), details } : undefined
  },

  connected(before: ConnectionRecord, after: Connection, reconnected: boolean): RouteEntry {
    return {
      event: reconnected ? 'connection.reconnected' : 'connection.connected',
      ...about(after),
      details: { sharing: before.sharing, authMethod: after.authMethod, status: after.status },
    }
  },

  unauthorized(before: ConnectionRecord, credentialsDropped: number): RouteEntry {
    return { event: 'connection.unauthorized', ...about(before), details: { sharing: before.sharing, credentialsDropped } }
  },

  tested(connection: ConnectionRecord, result: TestResult): RouteEntry {
    const details: AuditDetails = {
      ok: result.ok === true,
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.problem ? { problem: result.problem } : {}),
    }
    return { event: 'connection.tested', ...about(connection), details }
  },

  /** A run that got an answer (`ok`, `http_error`) or none (`failed`, with the error's code). */
  actionRun(connection: About, action: string, mode: RunMode, outcome: { status: number } | { code: string }): RouteEntry {
    const details: AuditDetails = { action, mode }
    if ('status' in outcome) Object.assign(details, { outcome: outcome.status < 400 ? 'ok' : 'http_error', status: outcome.status })
    else Object.assign(details, { outcome: 'failed', code: outcome.code })
    return { event: 'action.run', ...about(connection), details }
  },
}

/**
 * The properties a change asked for that came out different. Compared where the request touched them,
 * between the stored connection before and the connection the service answered after.
 */
function changedKeys(before: ConnectionRecord, change: UpdateConnection, after: Connection): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  const changed: string[] = []
  if (change.name !== undefined && after.name !== before.name) changed.push('name')
  if (change.baseUrl !== undefined && (change.baseUrl ?? undefined) !== before.baseUrl) changed.push('baseUrl')
  if (change.values !== undefined && Object.keys(change.values).some((key) => !same(after.fields[key], before.fields[key])))
    changed.push('fields')
  if (change.sharing !== undefined && after.sharing !== before.sharing) changed.push('sharing')
  return changed
}
