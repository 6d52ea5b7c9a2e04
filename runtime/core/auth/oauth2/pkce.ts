import { createHash, randomBytes } from 'node:crypto'

/**
 * A PKCE pair (RFC 7636 §4.1–4.2): a 43-character verifier from 32 random bytes and its S256 challenge.
 *
 * @example
 * const { verifier, challenge } = createPkce()
 * // authorize: code_challenge=<challenge>&code_challenge_method=S256; token: code_verifier=<verifier>
 */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: s256(verifier) }
}

/**
 * The S256 code challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))).
 *
 * @example
 * s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}
