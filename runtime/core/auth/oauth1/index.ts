import type { OAuth1Auth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { emptyMaterial, hasSecretField, noteSecrets, renderCredential } from '../material.ts'
import { renderPem } from '../signing/pem.ts'
import type { AuthInput, AuthType } from '../types.ts'
import { type OAuth1Signer, oauth1Header } from './sign.ts'

/**
 * OAuth 1.0a (RFC 5849): every request gets an `Authorization: OAuth …` header signed over the request as it will
 * be sent, with HMAC-SHA1 or RSA-SHA1. The token is the one the three-legged flow stored (handed in as `token`),
 * the one the person entered (`token`/`tokenSecret` templates), or none (two-legged).
 *
 * @example
 * oauth1.apply(x, { values, fields, request }).headers.Authorization // 'OAuth oauth_consumer_key="…", …'
 */
export const oauth1: AuthType<OAuth1Auth> = {
  type: 'oauth1',
  signs: true,
  needsCredentials: (_method, fields) => hasSecretField(fields),
  // The three-legged flow's access token is held in the sealed credential; OAuth 1.0a tokens do not expire
  // and cannot be renewed: a token the API rejects needs the person to connect again.
  tokens: {
    what: 'OAuth 1.0a tokens',
    holds: (method) => method.requestTokenUrl !== undefined,
    read: (secrets) => (secrets.oauth1 ? { accessToken: JSON.stringify([secrets.oauth1.token, secrets.oauth1.tokenSecret]) } : undefined),
    write: (secrets, token) => {
      const { key, secret } = parseHeldToken(token.accessToken)
      return { ...secrets, oauth1: { token: key, tokenSecret: secret } }
    },
    renewable: () => false,
    renew: async () => ({ ok: false, kind: 'rejected', revoked: true, error: 'not_renewable' }),
  },
  apply(method, input) {
    const signer = oauth1Signer(method, input)
    if (input.token !== undefined) signer.token = parseHeldToken(input.token)
    else if (method.token !== undefined && method.tokenSecret !== undefined) {
      const key = renderCredential(method.token, input)
      const secret = renderCredential(method.tokenSecret, input)
      if (key === undefined || secret === undefined) throw missing('access token and its secret')
      signer.token = { key, secret }
    }
    const material = emptyMaterial()
    const header = oauth1Header(signer, input.request)
    material.headers.Authorization = header
    material.credentialHeaders.push('Authorization')
    noteSecrets(material, input, header)
    material.secrets.push(header, ...(signer.token ? [signer.token.key, signer.token.secret] : []))
    return material
  },
}

/**
 * The consumer part of a method's signer, from the connection's values (the token is added by the caller).
 *
 * @example
 * const signer = oauth1Signer(method, input)
 */
export function oauth1Signer(method: OAuth1Auth, input: AuthInput): OAuth1Signer {
  const consumerKey = renderCredential(method.consumerKey, input)
  if (consumerKey === undefined) throw missing('consumer key')
  const signatureMethod = method.signatureMethod ?? 'HMAC-SHA1'
  const signer: OAuth1Signer = { signatureMethod, consumerKey, ...(method.realm ? { realm: method.realm } : {}) }
  if (signatureMethod === 'RSA-SHA1') {
    const key = method.privateKey === undefined ? undefined : renderPem(method.privateKey, input, 'RSA private key')
    if (key === undefined) throw missing('RSA private key')
    signer.privateKey = key
  } else {
    const secret = method.consumerSecret === undefined ? undefined : renderCredential(method.consumerSecret, input)
    if (secret === undefined) throw missing('consumer secret')
    signer.consumerSecret = secret
  }
  return signer
}

/** The token the three-legged flow stored, as the token engine hands it over: `[token, secret]` in JSON. */
export function parseHeldToken(held: string): { key: string; secret: string } {
  const [key, secret] = JSON.parse(held) as [string, string]
  return { key, secret }
}

function missing(what: string): SwitchboardError {
  return new SwitchboardError(428, 'missing_credentials', `The connection has no ${what}. Connect it again and enter it.`)
}
