import { SwitchboardError } from '../errors.ts'
import type { BasicAuth } from '../../schemas/types/connector.ts'
import { emptyMaterial, noteSecrets, renderCredential, type AuthInput, type AuthMaterial } from './material.ts'

/**
 * HTTP Basic (RFC 7617): `Authorization: Basic base64(user-id ":" password)`, UTF-8 encoded.
 *
 * @example
 * basicAuth({ type: 'basic', id: 'b', username: '{{email}}/token', password: '{{token}}' }, input)
 * // headers: { Authorization: 'Basic b3BzQGFjbWUudGVzdC90b2tlbjpzM2NyM3Q=' }
 */
export function basicAuth(method: BasicAuth, input: AuthInput): AuthMaterial {
  const username = renderCredential(method.username, input) ?? ''
  const password = renderCredential(method.password, input) ?? ''
  // RFC 7617 §2: the user-id cannot contain a colon, the password can.
  if (username.includes(':')) {
    throw new SwitchboardError(400, 'invalid_value', 'The Basic auth username contains ":", which HTTP Basic cannot carry. Check the username field.')
  }
  const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64')
  const material = emptyMaterial()
  material.headers.Authorization = `Basic ${encoded}`
  material.credentialHeaders.push('Authorization')
  noteSecrets(material, input)
  material.secrets.push(encoded)
  return material
}
