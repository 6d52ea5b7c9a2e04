import { describe, expect, it } from 'vitest'
import { createKeyRing, type SealedSecret } from '../../runtime/platform/crypto/index.ts'
import { catchError, useTempDir } from './helpers.ts'

/** Returns a copy of `sealed` with one bit of one byte of `field` flipped. */
function flip(sealed: SealedSecret, field: 'iv' | 'tag' | 'ct', index: number, bit: number): SealedSecret {
  const bytes = Buffer.from(sealed[field], 'base64url')
  bytes[index]! ^= 1 << bit
  return { ...sealed, [field]: bytes.toString('base64url') }
}

describe('seal and open', () => {
  const dir = useTempDir()
  const ring = () => createKeyRing({ dataDir: dir(), env: {} })

  it('round-trips credential values and token sets', () => {
    const keyRing = ring()
    const values = { email: 'ada@example.com', token: 'zd-token-1', ünïcødé: '🔑' }
    const tokens = { access_token: 'at', refresh_token: 'rt', expires_at: 1_900_000_000, scopes: ['read', 'write'] }
    const shared = { connectionId: 'conn_1' }
    const personal = { connectionId: 'conn_1', userId: 'user_1' }
    expect(keyRing.open(keyRing.seal(values, shared), shared)).toEqual(values)
    expect(keyRing.open(keyRing.seal(tokens, personal), personal)).toEqual(tokens)
  })

  it('writes a record with version, key id and base64url parts, with a fresh IV every time', () => {
    const keyRing = ring()
    const a = keyRing.seal({ k: 'v' }, { connectionId: 'c' })
    const b = keyRing.seal({ k: 'v' }, { connectionId: 'c' })
    expect(Object.keys(a).sort()).toEqual(['ct', 'iv', 'kid', 'tag', 'v'])
    expect(a).toMatchObject({ v: 1, kid: keyRing.currentKid })
    expect(keyRing.currentKid).toMatch(/^k_[0-9a-f]{12}$/)
    expect(Buffer.from(a.iv, 'base64url')).toHaveLength(12)
    expect(Buffer.from(a.tag, 'base64url')).toHaveLength(16)
    expect(a.iv).not.toBe(b.iv)
    expect(a.ct).not.toBe(b.ct)
  })

  it('fails on every single-bit change of ct, iv or tag', () => {
    const keyRing = ring()
    const aad = { connectionId: 'conn_1' }
    const sealed = keyRing.seal({ t: 'x' }, aad)
    let tried = 0
    for (const field of ['ct', 'iv', 'tag'] as const) {
      const length = Buffer.from(sealed[field], 'base64url').length
      for (let index = 0; index < length; index++) {
        for (let bit = 0; bit < 8; bit++) {
          expect(catchError(() => keyRing.open(flip(sealed, field, index, bit), aad)).code).toBe('decryption_failed')
          tried++
        }
      }
    }
    expect(tried).toBe((9 + 12 + 16) * 8) // {"t":"x"} is 9 bytes
    expect(keyRing.open(sealed, aad)).toEqual({ t: 'x' })
  })

  it('fails on truncated or extended parts and on malformed records', () => {
    const keyRing = ring()
    const aad = { connectionId: 'conn_1' }
    const sealed = keyRing.seal({ t: 'x' }, aad)
    const bytes = (field: 'iv' | 'tag' | 'ct') => Buffer.from(sealed[field], 'base64url')
    const variants: unknown[] = [
      { ...sealed, tag: bytes('tag').subarray(0, 12).toString('base64url') }, // a 96-bit tag is weaker: refused
      { ...sealed, iv: bytes('iv').subarray(0, 8).toString('base64url') },
      { ...sealed, ct: bytes('ct').subarray(0, 8).toString('base64url') },
      { ...sealed, ct: Buffer.concat([bytes('ct'), Buffer.from([0])]).toString('base64url') },
      { ...sealed, ct: `${sealed.ct}!` }, // Node's decoder would skip the stray character
      { ...sealed, v: 2 },
      { ...sealed, kid: 'current' },
      { ...sealed, iv: undefined },
      null,
      'sealed',
    ]
    for (const variant of variants) {
      expect(catchError(() => keyRing.open(variant as SealedSecret, aad)).code).toBe('decryption_failed')
    }
  })

  it('refuses a record moved to another connection', () => {
    const keyRing = ring()
    const one = keyRing.seal({ token: 'one' }, { connectionId: 'conn_1' })
    const two = keyRing.seal({ token: 'two' }, { connectionId: 'conn_2' })
    expect(catchError(() => keyRing.open(one, { connectionId: 'conn_2' })).code).toBe('decryption_failed')
    // Swapping the ciphertexts (with or without their IVs and tags) between the two records.
    const swaps = [
      { ...one, ct: two.ct },
      { ...two, ct: one.ct },
      { ...one, ct: two.ct, iv: two.iv, tag: two.tag },
    ]
    expect(catchError(() => keyRing.open(swaps[0]!, { connectionId: 'conn_1' })).code).toBe('decryption_failed')
    expect(catchError(() => keyRing.open(swaps[1]!, { connectionId: 'conn_2' })).code).toBe('decryption_failed')
    expect(catchError(() => keyRing.open(swaps[2]!, { connectionId: 'conn_1' })).code).toBe('decryption_failed')
  })

  it('refuses a record moved to another user of the same connection, or between personal and shared', () => {
    const keyRing = ring()
    const ada = { connectionId: 'conn_1', userId: 'ada' }
    const bob = { connectionId: 'conn_1', userId: 'bob' }
    const shared = { connectionId: 'conn_1' }
    const adaSealed = keyRing.seal({ token: 'ada' }, ada)
    const bobSealed = keyRing.seal({ token: 'bob' }, bob)
    expect(catchError(() => keyRing.open(adaSealed, bob)).code).toBe('decryption_failed')
    expect(catchError(() => keyRing.open({ ...adaSealed, ct: bobSealed.ct }, ada)).code).toBe('decryption_failed')
    expect(catchError(() => keyRing.open({ ...bobSealed, iv: adaSealed.iv, tag: adaSealed.tag }, ada)).code).toBe('decryption_failed')
    expect(catchError(() => keyRing.open(adaSealed, shared)).code).toBe('decryption_failed')
    expect(catchError(() => keyRing.open(keyRing.seal({ token: 's' }, shared), ada)).code).toBe('decryption_failed')
  })

  it('keeps owners apart even when ids contain the separators of the encoding', () => {
    const keyRing = ring()
    const pairs = [
      [{ connectionId: 'a;user=b' }, { connectionId: 'a', userId: 'b' }],
      [{ connectionId: 'a' }, { connectionId: 'a', userId: '-' }],
      [
        { connectionId: 'a', userId: '%2D' },
        { connectionId: 'a', userId: '-' },
      ],
      [{ connectionId: 'a=1' }, { connectionId: 'a%3D1' }],
    ]
    for (const [first, second] of pairs) {
      expect(catchError(() => keyRing.open(keyRing.seal({ k: 'v' }, first!), second!)).code).toBe('decryption_failed')
      expect(keyRing.open(keyRing.seal({ k: 'v' }, second!), second!)).toEqual({ k: 'v' })
    }
  })

  it('answers unknown_key, naming the missing key and where keys come from', () => {
    const keyRing = ring()
    const sealed = keyRing.seal({ token: 't' }, { connectionId: 'c' })
    const error = catchError(() => keyRing.open({ ...sealed, kid: 'k_000000000000' }, { connectionId: 'c' }))
    expect(error.status).toBe(500)
    expect(error.code).toBe('unknown_key')
    expect(error.message).toContain('k_000000000000')
    expect(error.message).toContain('SWITCHBOARD_PREVIOUS_KEYS')
    expect(error.message).toContain(keyRing.keyFile)
    // A record from another ring (another key) is just as unknown.
    const other = createKeyRing({ keyFile: `${dir()}/other.keys`, env: {} })
    expect(catchError(() => keyRing.open(other.seal({ t: 1 }, { connectionId: 'c' }), { connectionId: 'c' })).code).toBe('unknown_key')
  })

  it('refuses plaintexts that are not JSON objects and owners without a connection id', () => {
    const keyRing = ring()
    for (const plaintext of ['token', 42, null, undefined, ['a'], { n: 1n }]) {
      expect(catchError(() => keyRing.seal(plaintext, { connectionId: 'c' })).code).toBe('invalid_plaintext')
    }
    for (const aad of [{ connectionId: '' }, { connectionId: 'c', userId: '' }, {}, null, { connectionId: 'c', userId: 7 }]) {
      expect(catchError(() => keyRing.seal({ k: 'v' }, aad as never)).code).toBe('invalid_binding')
    }
  })
})
