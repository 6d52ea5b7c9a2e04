import { createHash, type KeyObject, randomBytes } from 'node:crypto'
import { SwitchboardError } from '../../errors.ts'

/**
 * AES-256 takes a 256-bit key (GCM over AES-256, NIST SP 800-38D: https://doi.org/10.6028/NIST.SP.800-38D).
 *
 * @example
 * generateMasterKey().length === KEY_BYTES // true
 */
export const KEY_BYTES = 32

const GENERATE_HINT = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`
const HEX = /^[0-9a-fA-F]{64}$/
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/
const BASE64URL = /^[A-Za-z0-9_-]{43}=?$/

/**
 * Reads a 32-byte master key written as base64 (standard or url alphabet, padding optional) or as 64 hex
 * characters. Anything else is refused with a message that says the expected format and how to generate a
 * key, and never repeats the value given.
 *
 * @example
 * const key = parseMasterKey(process.env.SWITCHBOARD_MASTER_KEY ?? '', 'SWITCHBOARD_MASTER_KEY')
 */
export function parseMasterKey(text: string, name = 'SWITCHBOARD_MASTER_KEY'): Buffer {
  const value = text.trim()
  if (HEX.test(value)) return Buffer.from(value, 'hex')
  const encoding = BASE64.test(value) ? 'base64' : BASE64URL.test(value) ? 'base64url' : undefined
  if (encoding !== undefined) {
    const key = Buffer.from(value, encoding)
    // 43 characters carry 258 bits; insisting on the canonical spelling keeps one key = one string.
    const canonical = value.replace(/=$/, '').replace(/\+/g, '-').replace(/\//g, '_')
    if (key.length === KEY_BYTES && key.toString('base64url') === canonical) return key
  }
  throw new SwitchboardError(
    500,
    'invalid_master_key',
    `${name} must be ${KEY_BYTES} random bytes written as base64 (44 characters) or as 64 hex characters; ` +
      `the value given ${describe(value)}. Generate a key with: ${GENERATE_HINT}`,
    { details: { variable: name } },
  )
}

/** Says what is wrong with a key string without repeating any of it. */
function describe(value: string): string {
  if (value === '') return 'is empty'
  if (/^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0) return `is ${value.length / 2} bytes of hex`
  if (/^[A-Za-z0-9+/_-]+=*$/.test(value)) {
    const bytes = Buffer.from(value, 'base64').length
    if (bytes === KEY_BYTES) return 'is not canonical base64 (mixed alphabets, or stray bits in its last character)'
    return `has ${value.length} characters of base64 (${bytes} bytes)`
  }
  return `has ${value.length} characters, some outside both alphabets`
}

/**
 * Derives a key id from the key itself, so the same key always gets the same id wherever it is supplied
 * (env, previous keys, key file). 48 bits of SHA-256 name a key without revealing anything usable about it.
 *
 * @example
 * deriveKeyId(Buffer.alloc(32)) // 'k_66687aadf862'
 */
export function deriveKeyId(key: Buffer | KeyObject): string {
  const bytes = Buffer.isBuffer(key) ? key : key.export()
  return `k_${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`
}

/**
 * A fresh random master key.
 *
 * @example
 * const key = generateMasterKey() // 32 bytes from the CSPRNG
 */
export function generateMasterKey(): Buffer {
  return randomBytes(KEY_BYTES)
}
