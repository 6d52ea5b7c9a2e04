import { createPrivateKey, type KeyObject, randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import type { JwtAuth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'

/** What one signed token is made of, rendered. */
export interface JwtParts {
  algorithm: JwtAuth['algorithm']
  /** The rendered signing key: PEM text, or the shared secret for HS256. */
  key: string
  keyId?: string | undefined
  claims: Record<string, string>
  /** Epoch ms of signing. */
  now: number
  lifetime: number
  backdate: number
  jti: boolean
}

/**
 * Signs a JWT (RFC 7519) with jose: `iat` is the signing time less `backdate`, `exp` is `iat` plus `lifetime`,
 * both in whole seconds (GitHub and Google refuse fractions); a random `jti` when asked. Claims stay strings as
 * templates render them. A key that cannot be read, or is of the wrong kind for the algorithm, is a 400
 * `invalid_private_key` that never shows the key.
 *
 * @example
 * const parts = { algorithm: 'RS256', key: pem, claims: { iss: '123' }, now: Date.now(), lifetime: 540, backdate: 60, jti: false }
 * const { token, expiresAt } = await signJwt(parts)
 */
export async function signJwt(parts: JwtParts): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(parts.now / 1000) - parts.backdate
  const exp = iat + parts.lifetime
  const payload: Record<string, string | number> = { ...parts.claims, iat, exp }
  if (parts.jti) payload.jti = randomUUID()
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: parts.algorithm, typ: 'JWT', ...(parts.keyId ? { kid: parts.keyId } : {}) })
    .sign(signingKey(parts.algorithm, parts.key))
  return { token, expiresAt: exp * 1000 }
}

/** The key as jose wants it. PEM keys pasted from JSON files often carry `\n` as two characters. */
function signingKey(algorithm: JwtAuth['algorithm'], text: string): KeyObject | Uint8Array {
  if (algorithm === 'HS256') {
    if (text === '') throw invalidKey('the shared secret is empty')
    return new TextEncoder().encode(text)
  }
  const pem = text.includes('\n') ? text.trim() : text.trim().replaceAll('\\n', '\n')
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    throw invalidKey('it is not a PEM private key (paste the whole file, its BEGIN and END lines included)')
  }
  const kind = key.asymmetricKeyType
  if (algorithm === 'RS256' && kind !== 'rsa') throw invalidKey(`RS256 needs an RSA key, and this one is ${kind ?? 'of another kind'}`)
  if (algorithm === 'RS256' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw invalidKey('RS256 needs an RSA key of at least 2048 bits')
  if (algorithm === 'ES256' && (kind !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1'))
    throw invalidKey('ES256 needs an EC key on the P-256 curve')
  return key
}

function invalidKey(why: string): SwitchboardError {
  return new SwitchboardError(
    400,
    'invalid_private_key',
    `The connection's signing key cannot be used: ${why}. Connect it again with the key the provider issued.`,
  )
}
