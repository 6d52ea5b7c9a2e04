import type { BasicAuth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { emptyMaterial, hasSecretField, noteSecrets, renderCredential } from '../material.ts'
import type { AuthType } from '../types.ts'

/**
 * HTTP Basic (RFC 7617): `Authorization: Basic base64(user-id ":" password)`, UTF-8 encoded, each part a
 * template over the fields (Zendesk's `{{email}}/token`, Freshdesk's constant password `X`).
 *
 * @example
 * basic.apply({ type: 'basic', id: 'b', username: '{{email}}/token', password: '{{token}}' }, input).headers
 * // { Authorization: 'Basic b3BzQGFjbWUudGVzdC90b2tlbjpzM2NyM3Q=' }
 */
export const basic: AuthType<BasicAuth> = {
  type: 'basic',
  needsCredentials: (_method, fields) => hasSecretField(fields),
  apply(method, input) {
    const material = emptyMaterial()
    const username = renderCredential(method.username, input, material) ?? ''
    const password = renderCredential(method.password, input, material) ?? ''
    // RFC 7617 §2: the user-id cannot contain a colon, the password can.
    if (username.includes(':')) {
      throw new SwitchboardError(
        400,
        'invalid_value',
        'The Basic auth username contains ":", which HTTP Basic cannot carry. Check the username field.',
      )
    }
    const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64')
    material.headers.Authorization = `Basic ${encoded}`
    material.credentialHeaders.push('Authorization')
    noteSecrets(material, input)
    material.secrets.push(encoded)
    return material
  },
}
