import { SwitchboardError } from '../errors.ts'
import type { BearerAuth } from '../../schemas/types/connector.ts'
import { emptyMaterial, noteSecrets, renderCredential, type AuthInput, type AuthMaterial } from './material.ts'

/**
 * Bearer token (RFC 6750 §2.1): `Authorization: Bearer <token>`.
 *
 * @example
 * bearerAuth({ type: 'bearer', id: 't', token: '{{token}}' }, input).headers.Authorization // 'Bearer ghp_…'
 */
export function bearerAuth(method: BearerAuth, input: AuthInput): AuthMaterial {
  const token = renderCredential(method.token, input)
  if (!token) throw new SwitchboardError(428, 'missing_credentials', 'The connection has no token. Connect it and enter the token.')
  return bearerMaterial(token, input)
}

/** The material for a known token (also used with OAuth2 access tokens). */
export function bearerMaterial(token: string, input?: AuthInput): AuthMaterial {
  const material = emptyMaterial()
  material.headers.Authorization = `Bearer ${token}`
  material.credentialHeaders.push('Authorization')
  if (input) noteSecrets(material, input)
  material.secrets.push(token)
  return material
}
