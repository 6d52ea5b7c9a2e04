import type { TokenPlacement } from '../../../schemas/types/connector.ts'
import { bearerMaterial } from './bearer/index.ts'
import { emptyMaterial, noteSecrets, place } from './material.ts'
import type { AuthInput, AuthMaterial } from './types.ts'

/**
 * The material for a token the runtime obtained (OAuth2, JWT), where the connector says it goes: by default
 * `Authorization: Bearer <token>` (RFC 6750 §2.1); otherwise the named header with its prefix (`X-Auth-Token`
 * bare, `Authorization: Zoho-oauthtoken …`) or a query parameter (`access_token=…`). The token and the value
 * carrying it are secrets.
 *
 * @example
 * tokenMaterial('tok', { in: 'header', name: 'X-Auth-Token', prefix: '' }).headers // { 'X-Auth-Token': 'tok' }
 * tokenMaterial('tok', { in: 'query', name: 'access_token' }).query               // [['access_token', 'tok']]
 */
export function tokenMaterial(token: string, placement: TokenPlacement | undefined, input?: AuthInput): AuthMaterial {
  if (!placement) return bearerMaterial(token, input)
  const material = emptyMaterial()
  const prefix = placement.prefix ?? (placement.in === 'header' && placement.name.toLowerCase() === 'authorization' ? 'Bearer ' : '')
  const value = `${prefix}${token}`
  place(material, placement, value)
  if (input) noteSecrets(material, input)
  material.secrets.push(token)
  if (value !== token) material.secrets.push(value)
  return material
}
