import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto'

// NIST SP 800-38D (https://doi.org/10.6028/NIST.SP.800-38D): 96-bit IVs are the recommended length (§5.2.1.1)
// and, drawn at random, stay safe for up to 2^32 encryptions under one key (§8.3) — far beyond the number of
// credentials a store holds, and rotation starts the count again.
export const IV_BYTES = 12
// Full 128-bit tags only (§5.2.1.2). Node would otherwise accept a truncated tag on decryption, which lets a
// forger guess far fewer bits.
export const TAG_BYTES = 16

/** The binary parts of one AES-256-GCM encryption. */
export interface GcmParts {
  iv: Buffer
  tag: Buffer
  ct: Buffer
}

/**
 * Encrypts with a fresh random IV.
 *
 * @example
 * const parts = gcmEncrypt(key, Buffer.from('{"token":"…"}'), encodeAad({ connectionId: 'c1' }))
 */
export function gcmEncrypt(key: KeyObject, plaintext: Buffer, aad: Buffer): GcmParts {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad)
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return { iv, tag: cipher.getAuthTag(), ct }
}

/**
 * Decrypts and authenticates; throws (OpenSSL's fixed message, no data) when anything was altered or the
 * key or AAD differ. No plaintext is released before the tag is checked, because `final()` is what checks it.
 *
 * @example
 * const plaintext = gcmDecrypt(key, parts, encodeAad({ connectionId: 'c1' }))
 */
export function gcmDecrypt(key: KeyObject, parts: GcmParts, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(aad)
  decipher.setAuthTag(parts.tag)
  const head = decipher.update(parts.ct)
  try {
    return Buffer.concat([head, decipher.final()])
  } finally {
    head.fill(0)
  }
}
