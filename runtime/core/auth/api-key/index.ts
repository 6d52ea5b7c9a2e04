import type { ApiKeyAuth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { emptyMaterial, hasSecretField, noteSecrets, placeAll } from '../material.ts'
import type { AuthType } from '../types.ts'

/**
 * API keys in any number of headers and query parameters, with any name and prefix. A placement whose
 * optional field is empty is dropped instead of sending an empty header.
 *
 * @example
 * apiKey.apply({ type: 'apiKey', id: 'k', placements: [{ in: 'query', name: 'key', value: '{{key}}' }] }, input).query
 * // [['key', '…']]
 */
export const apiKey: AuthType<ApiKeyAuth> = {
  type: 'apiKey',
  needsCredentials: (_method, fields) => hasSecretField(fields),
  apply(method, input) {
    const material = emptyMaterial()
    const rendered = placeAll(material, method.placements, input)
    if (rendered.length === 0) {
      throw new SwitchboardError(428, 'missing_credentials', 'The connection has no API key to send. Connect it and enter the key.')
    }
    noteSecrets(material, input, ...rendered)
    return material
  },
}
