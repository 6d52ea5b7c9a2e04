import type { ApiKeyAuth, ApiKeyPlacement, AwsSigV4Auth, BasicAuth, BearerAuth } from '../../../../schemas/types/connector.ts'
import { type Conversion, Unsupported } from './conversion.ts'

const AUTH = { what: 'the auth method', credentials: true }

/**
 * Nango's API_KEY mode: the placements found in `proxy.headers` and `proxy.query`. When the only one is
 * `Authorization: Bearer ${apiKey}`, a bearer method says the same more plainly.
 *
 * @example
 * apiKeyAuth(conversion, [{ in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' }]).type // 'apiKey'
 */
export function apiKeyAuth(conv: Conversion, placements: ApiKeyPlacement[]): ApiKeyAuth | BearerAuth {
  const fields = [...conv.authFields.values()]
  const [first, ...rest] = placements
  if (!first || fields.length === 0) throw new Unsupported('API key is not sent in a header or query parameter')
  const key = fields[0]!.key
  const label = 'API key'
  if (rest.length === 0 && first.in === 'header' && first.name.toLowerCase() === 'authorization' && first.value === `Bearer {{${key}}}`) {
    return { type: 'bearer', id: 'apiKey', label, fields, token: `{{${key}}}` }
  }
  return { type: 'apiKey', id: 'apiKey', label, fields, placements: [first, ...rest] }
}

/**
 * Nango's BASIC mode: `${username}` and `${password}`, each a field unless Nango hides it behind a
 * constant (an empty password, Freshdesk's `X`), or the templates of an explicit Basic header.
 *
 * @example
 * basicAuth(conversion) // { type: 'basic', id: 'basic', username: '{{username}}', password: '{{password}}', fields: […] }
 */
export function basicAuth(conv: Conversion, templates?: { username: string; password: string }): BasicAuth {
  const username = templates?.username ?? conv.template('${username}', AUTH)
  const password = templates?.password ?? conv.template('${password}', AUTH)
  const fields = [...conv.authFields.values()]
  return { type: 'basic', id: 'basic', label: 'Username and password', ...(fields.length > 0 ? { fields } : {}), username, password }
}

/**
 * Nango's BASIC entries whose proxy signs with `${awsSigV4(…)}`: the username is the access key id, the
 * password the secret access key, and the region and service are the helper's arguments.
 *
 * @example
 * awsAuth(conversion, { accessKeyId: '{{username}}', secretAccessKey: '{{password}}', region: 'us-east-1', service: 'iam' })
 * // { type: 'awsSigV4', id: 'accessKey', … }
 */
export function awsAuth(conv: Conversion, aws: Pick<AwsSigV4Auth, 'accessKeyId' | 'secretAccessKey' | 'region' | 'service'>): AwsSigV4Auth {
  const fields = [...conv.authFields.values()]
  for (const field of fields) if (aws.secretAccessKey === `{{${field.key}}}`) field.type = 'secret'
  return { type: 'awsSigV4', id: 'accessKey', label: 'AWS access key', ...(fields.length > 0 ? { fields } : {}), ...aws }
}
