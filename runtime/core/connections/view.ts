import type { Connection } from '../../../schemas/types/api.ts'
import type { Connector } from '../../../schemas/types/connector.ts'
import type { ConnectionRecord } from '../../types.ts'
import { effectiveValues, fieldDefinitions, pickAuthMethod, resolveBaseUrl } from '../requests/index.ts'

/**
 * A connection as the API shows it: plain field values, for each secret only whether it has a
 * value, and where to complete authentication when it needs it.
 *
 * @example
 * toView(record, connector, new Set(['apiToken']), 'http://localhost:8787')
 */
export function toView(
  record: ConnectionRecord,
  connector: Connector,
  secretsWithValue: ReadonlySet<string>,
  publicUrl: string,
): Connection {
  const method = connector.auth.find((m) => m.id === record.authMethod) ?? pickAuthMethod(connector, undefined)
  const fields = fieldDefinitions(connector, method)
  const plain: Connection['fields'] = {}
  const secrets: Connection['secrets'] = {}
  for (const [key, field] of fields) {
    if (field.type === 'secret') secrets[key] = { hasValue: secretsWithValue.has(key) }
    else if (record.fields[key] !== undefined) plain[key] = record.fields[key]
  }
  const view: Connection = {
    id: record.id,
    appId: record.appId,
    connectorId: record.connectorId,
    name: record.name,
    authMethod: record.authMethod,
    sharing: record.sharing,
    status: record.status,
    fields: plain,
    secrets,
    baseUrl: displayBaseUrl(record, connector, fields),
    baseUrlOverride: record.baseUrl !== undefined,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  }
  if (record.accountLabel !== undefined) view.accountLabel = record.accountLabel
  if (record.grantedScopes !== undefined) view.grantedScopes = record.grantedScopes
  if (record.lastTest !== undefined) view.lastTest = record.lastTest
  if (!isUsable(record.status)) view.connectUrl = connectUrl(publicUrl, record)
  return view
}

/**
 * Whether a connection's credentials can be used now: connected, or typed in and not tested yet (`untested` is
 * honest about the check, not a reason to refuse the credentials).
 *
 * @example
 * isUsable('untested') // true
 */
export function isUsable(status: Connection['status']): boolean {
  return status === 'connected' || status === 'untested'
}

/** The designer page where a person completes authentication for a connection. */
export function connectUrl(publicUrl: string, record: Pick<ConnectionRecord, 'appId' | 'id'>): string {
  return `${publicUrl}/#/apps/${encodeURIComponent(record.appId)}/connections/${encodeURIComponent(record.id)}/connect`
}

function displayBaseUrl(record: ConnectionRecord, connector: Connector, fields: ReturnType<typeof fieldDefinitions>): string {
  try {
    return resolveBaseUrl(connector, effectiveValues(fields, record.fields), record.baseUrl).href.replace(/\/$/, '')
  } catch {
    return record.baseUrl ?? connector.baseUrl
  }
}
