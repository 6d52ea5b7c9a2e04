import type { AuditEntry } from './people.ts'

type Details = NonNullable<AuditEntry['details']>
const str = (value: unknown) => (Array.isArray(value) ? value.join(', ') : String(value ?? ''))

/**
 * What an audit entry says happened, in words; `name` turns a user id into a name.
 *
 * @example
 * auditWhat({ event: 'connection.sharing_changed', details: { from: 'shared', to: 'personal' } }, (id) => id)
 * // 'Changed sharing from shared to personal'
 */
export function auditWhat(entry: Pick<AuditEntry, 'event' | 'details'>, name: (userId: string) => string): string {
  const d: Details = entry.details ?? {}
  switch (entry.event) {
    case 'connection.created':
      return d.clonedFrom ? 'Cloned the connection' : `Added the connection (${str(d.sharing)})`
    case 'connection.updated':
      return `Changed ${str(d.changed) || 'settings'}${Number(d.credentialsDropped) > 0 ? ', credentials dropped' : ''}`
    case 'connection.sharing_changed':
      return `Changed sharing from ${str(d.from)} to ${str(d.to)}; credentials dropped`
    case 'connection.connected':
      return `Connected${d.sharing === 'personal' ? ' their own account' : ''}${d.status === 'untested' ? ' (not tested yet)' : ''}`
    case 'connection.reconnected':
      return `Reconnected${d.sharing === 'personal' ? ' their own account' : ''}`
    case 'connection.unauthorized':
      return 'Unauthorized (credentials removed)'
    case 'connection.deleted':
      return 'Deleted the connection'
    case 'connection.tested':
      return 'Tested the connection'
    case 'action.run':
      return `Ran action “${str(d.action)}”${d.mode === 'workflow' ? ' (workflow)' : ''}`
    case 'member.set':
      return `Made ${name(str(d.member))} ${d.role === 'admin' ? 'an admin' : 'a member'}`
    case 'member.removed':
      return `Removed ${name(str(d.member))} from the app`
    case 'connection.failed':
      return `Stopped working${d.problem ? ` (${str(d.problem)})` : ''}`
    case 'connection.expired':
      return 'Expired: the provider no longer accepts its grant'
    case 'connection.recovered':
      return 'Works again'
    case 'webhook.created':
      return `Added a webhook to ${str(d.url)}`
    case 'webhook.updated':
      return `Changed the webhook to ${str(d.url)}`
    case 'webhook.deleted':
      return `Deleted the webhook to ${str(d.url)}`
    default:
      return entry.event
  }
}

/**
 * How an audited event ended: a tone for the badge and a short text, or `undefined` when it simply happened.
 *
 * @example
 * auditOutcome({ event: 'connection.tested', details: { ok: false, status: 401 } }) // { tone: 'danger', text: 'Failed (401)' }
 */
export function auditOutcome(entry: Pick<AuditEntry, 'event' | 'details'>): { tone: 'ok' | 'danger'; text: string } | undefined {
  const d: Details = entry.details ?? {}
  const status = typeof d.status === 'number' ? ` (${d.status})` : ''
  if (entry.event === 'connection.tested')
    return d.ok ? { tone: 'ok', text: `Passed${status}` } : { tone: 'danger', text: `Failed${status}` }
  if (entry.event === 'action.run') {
    if (d.outcome === 'ok') return { tone: 'ok', text: `OK${status}` }
    return { tone: 'danger', text: d.outcome === 'failed' ? `Failed: ${str(d.code)}` : `HTTP error${status}` }
  }
  return undefined
}
