import type { OAuth2Auth } from '../../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../../errors.ts'
import type { FieldValue } from '../../../../types.ts'
import type { Loaded } from '../../../connections/index.ts'
import type { ClientCredentials } from '../types.ts'

/** The connection's OAuth2 method, or 409 when it uses another kind of auth. */
export function oauthMethod(loaded: Pick<Loaded, 'method' | 'record'>): OAuth2Auth {
  if (loaded.method.type !== 'oauth2') {
    throw new SwitchboardError(409, 'not_oauth2', `"${loaded.record.name}" does not use OAuth2 (its auth method is "${loaded.method.id}").`)
  }
  return loaded.method
}

export { renderEndpoint, renderParams } from '../../endpoints.ts'

/**
 * Which client authenticates a connection at the token endpoint. The rule: when the auth method declares a
 * `clientId` field, the connection brings its own client (`clientId`, and `clientSecret` as a secret field:
 * typical of client-credentials APIs where each customer registers a machine client); otherwise the
 * workspace's OAuth app for the connector, set by the owner.
 *
 * @example
 * const client = await clientFor((id) => apps.client(id), loaded, values) // { clientId, clientSecret }
 */
export async function clientFor(
  workspaceClient: (connectorId: string) => Promise<ClientCredentials>,
  loaded: Pick<Loaded, 'connector' | 'fields'>,
  values: Readonly<Record<string, FieldValue>>,
): Promise<ClientCredentials> {
  if (!loaded.fields.has('clientId')) return workspaceClient(loaded.connector.id)
  const clientId = values.clientId
  if (clientId === undefined || clientId === '') {
    throw new SwitchboardError(
      428,
      'missing_credentials',
      'The connection has no client id. Connect it again and fill in the client id and secret.',
      { details: { field: 'clientId' } },
    )
  }
  const secret = values.clientSecret
  return { clientId: String(clientId), ...(secret === undefined || secret === '' ? {} : { clientSecret: String(secret) }) }
}
