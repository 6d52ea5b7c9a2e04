import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createKeyRing, deriveKeyId, parseMasterKey } from '../../runtime/platform/crypto/index.ts'
import { catchError, KEY_A, KEY_B, useTempDir } from './helpers.ts'

const HINT = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`

describe('master key from SWITCHBOARD_MASTER_KEY', () => {
  const dir = useTempDir()

  it.each([
    ['base64', KEY_A.toString('base64')],
    ['base64 without padding', KEY_A.toString('base64').replace(/=$/, '')],
    ['base64url', KEY_A.toString('base64url')],
    ['hex', KEY_A.toString('hex')],
    ['upper-case hex', KEY_A.toString('hex').toUpperCase()],
    ['base64 with a trailing newline', `${KEY_A.toString('base64')}\n`],
  ])('accepts %s, with the key id derived from the key', (_, value) => {
    const keyRing = createKeyRing({ dataDir: dir(), env: { SWITCHBOARD_MASTER_KEY: value } })
    expect(keyRing.currentKid).toBe(deriveKeyId(KEY_A))
    expect(keyRing.currentSource).toBe('env')
    expect(existsSync(keyRing.keyFile)).toBe(false) // no key file when the environment holds the key
  })

  it.each([
    ['empty', '', 'is empty'],
    ['short base64', Buffer.alloc(16, 1).toString('base64'), '(16 bytes)'],
    ['short hex', Buffer.alloc(16, 1).toString('hex'), 'is 16 bytes of hex'],
    ['long hex', Buffer.alloc(33, 1).toString('hex'), 'is 33 bytes of hex'],
    ['garbage', 'correct horse battery staple!', 'some outside both alphabets'],
    ['non-canonical base64', `${KEY_A.toString('base64').slice(0, 42)}R=`, 'not canonical base64'],
  ])('refuses %s at construction, saying the format and how to generate a key', (_, value, reason) => {
    const error = catchError(() => createKeyRing({ dataDir: dir(), env: { SWITCHBOARD_MASTER_KEY: value } }))
    expect(error.code).toBe('invalid_master_key')
    expect(error.message).toContain('SWITCHBOARD_MASTER_KEY must be 32 random bytes written as base64')
    expect(error.message).toContain('64 hex characters')
    expect(error.message).toContain(HINT)
    expect(error.message).toContain(reason)
    if (value !== '') expect(error.message).not.toContain(value)
    expect(existsSync(join(dir(), 'master.keys'))).toBe(false)
  })

  it('gives the same key id to the same key however it is written', () => {
    expect(deriveKeyId(parseMasterKey(KEY_B.toString('hex')))).toBe(deriveKeyId(parseMasterKey(KEY_B.toString('base64'))))
    expect(deriveKeyId(KEY_A)).not.toBe(deriveKeyId(KEY_B))
  })

  it('rotates an env key through SWITCHBOARD_PREVIOUS_KEYS', () => {
    const aad = { connectionId: 'conn_1' }
    const old = createKeyRing({ dataDir: dir(), env: { SWITCHBOARD_MASTER_KEY: KEY_A.toString('base64') } })
    const sealed = old.seal({ token: 't' }, aad)
    const env = {
      SWITCHBOARD_MASTER_KEY: KEY_B.toString('hex'),
      SWITCHBOARD_PREVIOUS_KEYS: ` ${Buffer.alloc(32, 7).toString('base64')} ,${KEY_A.toString('base64')},`,
    }
    const keyRing = createKeyRing({ dataDir: dir(), env })
    expect(keyRing.currentKid).toBe(deriveKeyId(KEY_B))
    expect(keyRing.needsRotation(sealed)).toBe(true)
    const resealed = keyRing.reseal(sealed, aad)
    expect(resealed.kid).toBe(deriveKeyId(KEY_B))
    expect(keyRing.needsRotation(resealed)).toBe(false)
    const after = createKeyRing({ dataDir: dir(), env: { SWITCHBOARD_MASTER_KEY: KEY_B.toString('hex') } })
    expect(after.open(resealed, aad)).toEqual({ token: 't' })
    expect(catchError(() => after.open(sealed, aad)).code).toBe('unknown_key')
  })

  it('names the bad entry of SWITCHBOARD_PREVIOUS_KEYS without quoting it', () => {
    const env = {
      SWITCHBOARD_MASTER_KEY: KEY_B.toString('hex'),
      SWITCHBOARD_PREVIOUS_KEYS: `${KEY_A.toString('hex')},abc123`,
    }
    const error = catchError(() => createKeyRing({ dataDir: dir(), env }))
    expect(error.code).toBe('invalid_master_key')
    expect(error.message).toContain('SWITCHBOARD_PREVIOUS_KEYS (entry 2)')
    expect(error.message).not.toContain('abc123')
  })

  it('moves from the key file to an env key: file keys still decrypt, rotation is refused, the file can be retired', () => {
    const aad = { connectionId: 'conn_1', userId: 'ada' }
    const fromFile = createKeyRing({ dataDir: dir(), env: {} })
    const sealed = fromFile.seal({ token: 't' }, aad)
    const keyRing = createKeyRing({ dataDir: dir(), env: { SWITCHBOARD_MASTER_KEY: KEY_A.toString('base64') } })
    expect(keyRing.open(sealed, aad)).toEqual({ token: 't' })
    expect(keyRing.keys()).toEqual([
      { kid: deriveKeyId(KEY_A), current: true, sources: ['env'] },
      { kid: fromFile.currentKid, current: false, sources: ['file'], createdAt: expect.any(String) },
    ])
    const error = catchError(() => keyRing.rotate())
    expect(error.code).toBe('current_key_from_env')
    expect(error.message).toContain('SWITCHBOARD_PREVIOUS_KEYS')
    expect(error.message).toContain(HINT)
    expect(catchError(() => keyRing.retire([deriveKeyId(KEY_A)])).code).toBe('key_in_use')

    const {
      sealed: [resealed],
    } = keyRing.reencryptAll([{ sealed, aad }])
    expect(keyRing.retire([fromFile.currentKid])).toEqual([fromFile.currentKid])
    expect(existsSync(keyRing.keyFile)).toBe(false) // its last key retired, the file goes
    expect(keyRing.open(resealed!, aad)).toEqual({ token: 't' })
    expect(catchError(() => keyRing.open(sealed, aad)).code).toBe('unknown_key')
  })

  it('refuses to retire keys that come from the environment', () => {
    const env = { SWITCHBOARD_MASTER_KEY: KEY_B.toString('hex'), SWITCHBOARD_PREVIOUS_KEYS: KEY_A.toString('hex') }
    const keyRing = createKeyRing({ dataDir: dir(), env })
    const error = catchError(() => keyRing.retire([deriveKeyId(KEY_A)]))
    expect(error.code).toBe('key_from_env')
    expect(error.message).toContain('SWITCHBOARD_PREVIOUS_KEYS')
    expect(keyRing.retire(['k_000000000000'])).toEqual([]) // already gone: nothing to do
  })

  it('keeps a valid key file when retiring some of its keys while the env key is current', () => {
    const fromFile = createKeyRing({ dataDir: dir(), env: {} })
    const firstKid = fromFile.currentKid
    const secondKid = fromFile.rotate()
    const keyRing = createKeyRing({ dataDir: dir(), env: { SWITCHBOARD_MASTER_KEY: KEY_A.toString('base64') } })
    expect(keyRing.retire([secondKid])).toEqual([secondKid])
    const file = JSON.parse(readFileSync(keyRing.keyFile, 'utf8'))
    expect(file.current).toBe(firstKid)
    expect(file.keys.map((key: { kid: string }) => key.kid)).toEqual([firstKid])
    expect(createKeyRing({ dataDir: dir(), env: {} }).currentKid).toBe(firstKid)
  })
})
