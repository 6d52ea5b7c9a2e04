import type { AuthMethod, Connector, Field } from '../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../errors.ts'
import type { FieldValue } from '../../types.ts'

/**
 * The fields a connection of this connector and auth method has: the connector's own, then the
 * method's, by key.
 *
 * @example
 * fieldDefinitions(jira, jira.auth[1]).get('apiToken')?.type // 'secret'
 */
export function fieldDefinitions(connector: Connector, method: AuthMethod | undefined): Map<string, Field> {
  const fields = new Map<string, Field>()
  for (const field of connector.fields ?? []) fields.set(field.key, field)
  for (const field of method?.fields ?? []) fields.set(field.key, field)
  return fields
}

/**
 * The auth method a connection uses: the named one, or the connector's first.
 *
 * @example
 * pickAuthMethod(jira, 'apiToken').type // 'basic'
 */
export function pickAuthMethod(connector: Connector, id: string | undefined): AuthMethod {
  const method = id === undefined ? connector.auth[0] : connector.auth.find((m) => m.id === id)
  if (!method) {
    const ids = connector.auth.map((m) => `"${m.id}"`).join(', ')
    throw new SwitchboardError(400, 'unknown_auth_method', `Connector "${connector.id}" has no auth method "${id}". Choose one of ${ids}.`)
  }
  return method
}

/**
 * The values templates see: each field's default, overridden by what was entered.
 *
 * @example
 * effectiveValues(fields, { subdomain: 'acme' }, { apiToken: '…' })
 */
export function effectiveValues(
  fields: ReadonlyMap<string, Field>,
  ...sources: Array<Readonly<Record<string, FieldValue | undefined>> | undefined>
): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = Object.create(null) as Record<string, FieldValue>
  for (const [key, field] of fields) if (field.default !== undefined) values[key] = field.default
  for (const source of sources) {
    if (!source) continue
    for (const [key, value] of Object.entries(source)) if (value !== undefined && fields.has(key)) values[key] = value
  }
  return values
}
