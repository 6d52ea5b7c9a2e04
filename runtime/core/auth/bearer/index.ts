import type { BearerAuth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { emptyMaterial, hasSecretField, noteSecrets, renderCredential } from '../material.ts'
import type { AuthInput, AuthMaterial, AuthType } from '../types.ts'

/**
 * Bearer token (RFC 6750 §2.1): `Authorization: Bearer <token>`, the token a template over the fields.
 *
 * @example
 * bearer.apply({ type: 'bearer', id: 't', token: '{{token}}' }, input).headers.Authorization // 'Bearer ghp_…'
 */
export const bearer: AuthType<BearerAuth> = {
  type: 'bearer',
  needsCredentials: (_method, fields) => hasSecretField(fields),
  apply(method, input) {
    const token = renderCredential(method.token, input)
    if (!token) throw new SwitchboardError(428, 'missing_credentials', 'The connection has no token. Connect it and enter the token.')
    return bearerMaterial(token, input)
  },
}

/**
 * The material for a known token: also how token types (OAuth2) send theirs.
 *
 * @example
 * bearerMaterial(accessToken).headers // { Authorization: 'Bearer …' }
 */
export function bearerMaterial(token: string, input?: AuthInput): AuthMaterial {
  const material = emptyMaterial()
  material.headers.Authorization = `Bearer ${token}`
  material.credentialHeaders.push('Authorization')
  if (input) noteSecrets(material, input)
  material.secrets.push(token)
  return material
}
