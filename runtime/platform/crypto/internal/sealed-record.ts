import { SwitchboardError } from '../../../errors.ts'
import type { SealedSecret } from '../types.ts'
import { type GcmParts, IV_BYTES, TAG_BYTES } from './aes-gcm.ts'

const KID = /^k_[0-9a-f]{12}$/
const BASE64URL = /^[A-Za-z0-9_-]*$/

/**
 * Turns the parts of one encryption into the stored record.
 *
 * @example
 * toRecord('k_3f9a0c1d2e4b', gcmEncrypt(key, plaintext, aad)) // { v: 1, kid, iv, tag, ct }
 */
export function toRecord(kid: string, parts: GcmParts): SealedSecret {
  return {
    v: 1,
    kid,
    iv: parts.iv.toString('base64url'),
    tag: parts.tag.toString('base64url'),
    ct: parts.ct.toString('base64url'),
  }
}

/**
 * Checks a stored record's shape and decodes it. Decoding is strict (Node's base64url decoder skips stray
 * characters, which would let two spellings stand for one record) and the IV and tag must have their full
 * lengths. Failures say which field is wrong, never its value.
 *
 * @example
 * const { kid, parts } = parseRecord(connection.credentials)
 */
export function parseRecord(value: unknown): { kid: string; parts: GcmParts } {
  if (typeof value !== 'object' || value === null) throw malformed('it is not an object')
  const record = value as Record<string, unknown>
  if (record.v !== 1) throw malformed('its version is not 1')
  if (typeof record.kid !== 'string' || !KID.test(record.kid)) throw malformed('its key id is not of the form k_<12 hex>')
  const iv = decode(record, 'iv')
  const tag = decode(record, 'tag')
  const ct = decode(record, 'ct')
  if (iv.length !== IV_BYTES) throw malformed(`its iv is not ${IV_BYTES} bytes`)
  if (tag.length !== TAG_BYTES) throw malformed(`its tag is not ${TAG_BYTES} bytes`)
  return { kid: record.kid, parts: { iv, tag, ct } }
}

function decode(record: Record<string, unknown>, field: 'iv' | 'tag' | 'ct'): Buffer {
  const text = record[field]
  if (typeof text !== 'string' || !BASE64URL.test(text)) throw malformed(`its ${field} is not base64url`)
  const bytes = Buffer.from(text, 'base64url')
  if (bytes.toString('base64url') !== text) throw malformed(`its ${field} is not canonical base64url`)
  return bytes
}

function malformed(reason: string): SwitchboardError {
  return new SwitchboardError(500, 'decryption_failed', `Stored credentials cannot be decrypted: ${reason}.`)
}
