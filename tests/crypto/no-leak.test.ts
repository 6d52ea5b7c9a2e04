import { createSecretKey } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { SwitchboardError } from '../../runtime/errors.ts'
import { createKeyRing, type KeyRing, type SealedSecret } from '../../runtime/platform/crypto/index.ts'
import { encodeAad } from '../../runtime/platform/crypto/internal/aad.ts'
import { gcmEncrypt } from '../../runtime/platform/crypto/internal/aes-gcm.ts'
import { toRecord } from '../../runtime/platform/crypto/internal/sealed-record.ts'
import { catchError, KEY_A, useTempDir } from './helpers.ts'

const MARKER = 'SB-MARKER-plaintext-7c1e9d4a'
/** Short enough to be quoted whole by V8's JSON error messages, which show the first ten characters. */
const SHORT_MARKER = 'Zq7#pin'

/** Every spelling in which a secret could slip out. */
function spellings(secret: string | Buffer): string[] {
  const bytes = Buffer.isBuffer(secret) ? secret : Buffer.from(secret)
  const list = [bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')]
  return Buffer.isBuffer(secret) ? list : [secret, ...list]
}

/** All the text an error could show: message, API body, and the full inspection with its cause chain. */
function errorText(error: SwitchboardError): string {
  return [error.message, JSON.stringify(error.toJSON()), inspect(error, { depth: 10 })].join('\n')
}

function fileKey(keyRing: KeyRing): Buffer {
  const file = JSON.parse(readFileSync(keyRing.keyFile, 'utf8'))
  return Buffer.from(file.keys.find((key: { kid: string }) => key.kid === keyRing.currentKid).key, 'base64')
}

describe('secrets stay secret', () => {
  const dir = useTempDir()

  it('never shows the plaintext in the sealed record or the key file', () => {
    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const sealed = keyRing.seal({ token: MARKER, nested: MARKER }, { connectionId: 'c' })
    const keyFile = readFileSync(keyRing.keyFile, 'utf8')
    for (const spelling of spellings(MARKER)) {
      expect(JSON.stringify(sealed)).not.toContain(spelling)
      expect(keyFile).not.toContain(spelling)
    }
  })

  it('never shows the plaintext or a key in an error', () => {
    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const aad = { connectionId: 'conn_1', userId: 'ada' }
    const sealed = keyRing.seal({ token: MARKER }, aad)
    const tag = Buffer.from(sealed.tag, 'base64url')
    tag[0]! ^= 1
    const circular: Record<string, unknown> = { token: MARKER }
    circular.self = circular
    // V8 quotes the start of a text it cannot parse as JSON ('Unexpected token …, "Zq7#pin" is not valid JSON').
    const key = createSecretKey(fileKey(keyRing))
    const notJson = toRecord(keyRing.currentKid, gcmEncrypt(key, Buffer.from(SHORT_MARKER), encodeAad(aad)))

    const errors = [
      catchError(() => keyRing.open(sealed, { connectionId: 'conn_1', userId: 'bob' })),
      catchError(() => keyRing.open(sealed, { connectionId: 'conn_2' })),
      catchError(() => keyRing.open({ ...sealed, tag: tag.toString('base64url') }, aad)),
      catchError(() => keyRing.open({ ...sealed, kid: 'k_000000000000' }, aad)),
      catchError(() => keyRing.open(notJson, aad)),
      catchError(() => keyRing.seal({ token: MARKER, n: 1n }, aad)),
      catchError(() => keyRing.seal(circular, aad)),
      catchError(() => keyRing.seal(MARKER, aad)),
      catchError(() => keyRing.reencryptAll([{ sealed, aad: { connectionId: 'conn_1' } }])),
    ]
    expect(errors.map((error) => error.code)).toEqual([
      'decryption_failed',
      'decryption_failed',
      'decryption_failed',
      'unknown_key',
      'decryption_failed',
      'invalid_plaintext',
      'invalid_plaintext',
      'invalid_plaintext',
      'decryption_failed',
    ])
    const secrets = [...spellings(MARKER), SHORT_MARKER, ...spellings(fileKey(keyRing))]
    for (const error of errors) {
      for (const secret of secrets) expect(errorText(error)).not.toContain(secret)
    }
  })

  it('never quotes a key in a configuration error', () => {
    const nearlyKey = `${KEY_A.toString('hex')}ff` // one byte too long: a real key with a typo
    const envError = catchError(() => createKeyRing({ dataDir: dir(), env: { SWITCHBOARD_MASTER_KEY: nearlyKey } }))
    expect(errorText(envError)).not.toContain(KEY_A.toString('hex'))

    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const key = fileKey(keyRing)
    const text = readFileSync(keyRing.keyFile, 'utf8')
    const damaged = [
      text.slice(0, text.indexOf(key.toString('base64')) + 44),
      text.replace('"format": 1', '"format": 1,,'),
      key.toString('base64'), // a bare key pasted into the file: V8 would quote its first ten characters
    ]
    for (const content of damaged) {
      writeFileSync(keyRing.keyFile, content)
      const error = catchError(() => createKeyRing({ dataDir: dir(), env: {} }))
      expect(error.code).toBe('invalid_key_file')
      for (const secret of spellings(key)) expect(errorText(error)).not.toContain(secret.slice(0, 8))
    }
  })

  it('never shows a key when the ring itself is logged or serialised', () => {
    const keyRing = createKeyRing({ dataDir: dir(), env: { SWITCHBOARD_MASTER_KEY: KEY_A.toString('base64') } })
    const shown = [inspect(keyRing, { depth: 10, getters: true }), JSON.stringify(keyRing), JSON.stringify(keyRing.keys())]
    for (const text of shown) {
      for (const secret of spellings(KEY_A)) expect(text).not.toContain(secret)
    }
    const sealed: SealedSecret = keyRing.seal({ token: MARKER }, { connectionId: 'c' })
    expect(inspect(sealed)).not.toContain(MARKER)
  })
})
