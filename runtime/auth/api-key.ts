import type { ApiKeyAuth } from '../../schemas/types/connector.ts'
import { SwitchboardError } from '../errors.ts'
import { emptyMaterial, noteSecrets, renderCredential, type AuthInput, type AuthMaterial } from './material.ts'

/**
 * API keys in any number of headers and query parameters. A placement whose optional field is
 * empty is dropped instead of sending an empty header.
 *
 * @example
 * apiKeyAuth({ type: 'apiKey', id: 'k', placements: [{ in: 'query', name: 'key', value: '{{key}}' }] }, input).query
 * // [['key', '…']]
 */
export function apiKeyAuth(method: ApiKeyAuth, input: AuthInput): AuthMaterial {
  const material = emptyMaterial()
  const rendered: string[] = []
  for (const placement of method.placements) {
    const value = renderCredential(placement.value, input)
    if (value === undefined) continue
    rendered.push(value)
    if (placement.in === 'header') {
      material.headers[placement.name] = value
      material.credentialHeaders.push(placement.name)
    } else {
      material.query.push([placement.name, value])
      material.credentialQuery.push(placement.name)
    }
  }
  if (rendered.length === 0) {
    throw new SwitchboardError(428, 'missing_credentials', 'The connection has no API key to send. Connect it and enter the key.')
  }
  noteSecrets(material, input, ...rendered)
  return material
}
