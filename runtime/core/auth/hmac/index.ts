import { createHmac, randomBytes } from 'node:crypto'
import type { HmacAuth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { withAuthQuery } from '../auth-query.ts'
import { emptyMaterial, hasSecretField, noteSecrets, place, placeAll, renderCredential } from '../material.ts'
import type { AuthType } from '../types.ts'
import { stringToSign } from './string-to-sign.ts'

/**
 * Declarative HMAC request signing. Per request: the placements (API key, passphrase) are rendered, a timestamp
 * and a nonce are made and placed where the method says, the parts are read from the request as it will be sent
 * (query parameters the method adds included, the signature not), joined, signed with the decoded key, and the
 * signature is written (hex, base64, base64url) into its header or appended to the query after everything else.
 *
 * @example
 * hmac.apply(binance, { values, fields, request }).query // [['timestamp', '1700000000000'], ['signature', '…']]
 */
export const hmac: AuthType<HmacAuth> = {
  type: 'hmac',
  signs: true,
  needsCredentials: (_method, fields) => hasSecretField(fields),
  apply(method, input) {
    const material = emptyMaterial()
    const rendered = placeAll(material, method.placements ?? [], input)
    const secret = renderCredential(method.key, input)
    if (secret === undefined) {
      throw new SwitchboardError(428, 'missing_credentials', 'The connection has no signing secret. Connect it and enter the secret.')
    }
    const now = Date.now()
    const timestamp = method.timestamp ? String(method.timestamp.unit === 'ms' ? now : Math.floor(now / 1000)) : ''
    const nonce = method.nonce ? randomBytes(16).toString('hex') : ''
    if (method.timestamp?.in && method.timestamp.name) place(material, { in: method.timestamp.in, name: method.timestamp.name }, timestamp)
    if (method.nonce?.in && method.nonce.name) place(material, { in: method.nonce.in, name: method.nonce.name }, nonce)
    const url = withAuthQuery(input.request.url, material.query)
    const text = stringToSign(method, { request: input.request, url, timestamp, nonce })
    const digest = createHmac(method.algorithm ?? 'sha256', signingKey(secret, method.keyEncoding ?? 'raw')).update(text, 'utf8')
    const signature = `${method.signature.prefix ?? ''}${digest.digest(method.signature.encoding ?? 'hex')}`
    place(material, method.signature, signature)
    noteSecrets(material, input, ...rendered)
    material.secrets.push(signature)
    return material
  },
}

function signingKey(secret: string, encoding: 'raw' | 'base64' | 'hex'): Buffer {
  if (encoding === 'raw') return Buffer.from(secret, 'utf8')
  const valid = encoding === 'hex' ? /^(?:[0-9a-fA-F]{2})+$/ : /^[A-Za-z0-9+/_-]+={0,2}$/
  if (!valid.test(secret)) {
    throw new SwitchboardError(
      400,
      'invalid_value',
      `The connection's signing secret is not ${encoding === 'hex' ? 'hexadecimal' : 'base64'}, as this connector expects. Connect ` +
        `again with the secret exactly as the provider shows it.`,
    )
  }
  return Buffer.from(secret, encoding === 'hex' ? 'hex' : 'base64')
}
