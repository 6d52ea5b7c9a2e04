import { SwitchboardError } from '../../../errors.ts'
import type { SecretBinding } from '../types.ts'

/**
 * Encodes the owner of a secret as GCM associated data: authenticated but not encrypted, so a record moved
 * to another connection or user fails its tag check (NIST SP 800-38D §7.2,
 * https://doi.org/10.6028/NIST.SP.800-38D).
 *
 * The encoding must be injective or two owners could share one AAD: ids are percent-encoded (so `;` and `=`
 * cannot fake a field), an absent user is a lone `-`, and a user id that is literally `-` becomes `%2D`.
 * Changing this format makes every stored record undecryptable; a new format needs a new version prefix.
 *
 * @example
 * encodeAad({ connectionId: 'conn_42' })                    // 'switchboard:v1:connection=conn_42;user=-'
 * encodeAad({ connectionId: 'conn_42', userId: 'user_7' })  // 'switchboard:v1:connection=conn_42;user=user_7'
 */
export function encodeAad(aad: SecretBinding): Buffer {
  if (typeof aad !== 'object' || aad === null) throw invalid('must be an object { connectionId, userId? }')
  const { connectionId, userId } = aad
  if (typeof connectionId !== 'string' || connectionId === '') throw invalid('connectionId must be a non-empty string')
  if (userId !== undefined && (typeof userId !== 'string' || userId === '')) {
    throw invalid('userId must be a non-empty string when given')
  }
  const user = userId === undefined ? '-' : userId === '-' ? '%2D' : escape(userId)
  return Buffer.from(`switchboard:v1:connection=${escape(connectionId)};user=${user}`, 'utf8')
}

function escape(id: string): string {
  try {
    return encodeURIComponent(id)
  } catch {
    throw invalid('ids must be well-formed Unicode strings')
  }
}

function invalid(reason: string): SwitchboardError {
  return new SwitchboardError(500, 'invalid_binding', `The owner of a secret is invalid: ${reason}.`)
}
