import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createKeyRing, rotateKeys, type SealedItem } from '../../runtime/platform/crypto/index.ts'
import { catchError, useTempDir } from './helpers.ts'

const COUNT = 1_000

/** Credentials of `COUNT` connections, a third of them personal. */
function credentials(): Array<{ id: string; values: Record<string, string>; aad: SealedItem['aad'] }> {
  return Array.from({ length: COUNT }, (_, index) => ({
    id: `conn_${index}`,
    values: { apiKey: `key-${index}-${'x'.repeat(index % 50)}`, email: `user${index}@example.com` },
    aad: index % 3 === 0 ? { connectionId: `conn_${index}`, userId: `user_${index % 7}` } : { connectionId: `conn_${index}` },
  }))
}

const fileKids = (path: string): string[] => JSON.parse(readFileSync(path, 'utf8')).keys.map((key: { kid: string }) => key.kid)

describe('key rotation', () => {
  const dir = useTempDir()

  it(`moves ${COUNT} credentials to a new key, then retires the old one`, () => {
    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const oldKid = keyRing.currentKid
    const items = credentials().map((credential) => ({
      sealed: keyRing.seal(credential.values, credential.aad),
      aad: credential.aad,
    }))
    expect(items.every((item) => item.sealed.kid === oldKid)).toBe(true)

    const newKid = keyRing.rotate()
    expect(newKid).not.toBe(oldKid)
    expect(keyRing.currentKid).toBe(newKid)
    expect(fileKids(keyRing.keyFile).sort()).toEqual([oldKid, newKid].sort())
    expect(JSON.parse(readFileSync(keyRing.keyFile, 'utf8')).current).toBe(newKid)
    expect(items.every((item) => keyRing.needsRotation(item.sealed))).toBe(true)

    const { sealed, count, rotated } = keyRing.reencryptAll(items)
    expect(count).toBe(COUNT)
    expect(rotated).toBe(COUNT)
    expect(sealed.filter((record) => record.kid === oldKid)).toHaveLength(0)
    expect(sealed.every((record) => record.kid === newKid && !keyRing.needsRotation(record))).toBe(true)
    credentials().forEach((credential, index) => {
      expect(keyRing.open(sealed[index]!, credential.aad)).toEqual(credential.values)
    })

    expect(keyRing.retire([oldKid])).toEqual([oldKid])
    expect(fileKids(keyRing.keyFile)).toEqual([newKid])
    expect(readFileSync(keyRing.keyFile, 'utf8')).not.toContain(oldKid)
    expect(catchError(() => keyRing.open(items[0]!.sealed, items[0]!.aad)).code).toBe('unknown_key')

    // A restart sees the same state.
    const restarted = createKeyRing({ dataDir: dir(), env: {} })
    expect(restarted.currentKid).toBe(newKid)
    expect(restarted.keys().map((key) => key.kid)).toEqual([newKid])
    expect(restarted.open(sealed[COUNT - 1]!, credentials()[COUNT - 1]!.aad)).toEqual(credentials()[COUNT - 1]!.values)
  })

  it('rotateKeys keeps the other properties of each record and names the keys that can be retired', () => {
    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const firstKid = keyRing.currentKid
    const records = credentials()
      .slice(0, 20)
      .map((credential) => ({
        id: credential.id,
        sealed: keyRing.seal(credential.values, credential.aad),
        aad: credential.aad,
      }))
    const secondKid = keyRing.rotate()
    records.push({
      id: 'late',
      sealed: keyRing.seal({ k: 'v' }, { connectionId: 'late' }),
      aad: { connectionId: 'late' },
    })
    keyRing.rotate()

    const result = rotateKeys({ keyRing, records })
    expect(result.count).toBe(21)
    expect(result.rotated).toBe(21)
    expect(result.records.map((record) => record.id)).toEqual(records.map((record) => record.id))
    expect(result.records.every((record) => record.sealed.kid === keyRing.currentKid)).toBe(true)
    expect(result.retirable.sort()).toEqual([firstKid, secondKid].sort())
    expect(result.unusedEnvKids).toEqual([])
    expect(records[0]!.sealed.kid).toBe(firstKid) // the input is left alone

    keyRing.retire(result.retirable)
    expect(fileKids(keyRing.keyFile)).toEqual([keyRing.currentKid])
    expect(keyRing.open(result.records[20]!.sealed, { connectionId: 'late' })).toEqual({ k: 'v' })
  })

  it('reseals everything again when nothing is on an old key, and counts nothing as rotated', () => {
    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const aad = { connectionId: 'c' }
    const sealed = keyRing.seal({ k: 'v' }, aad)
    const result = keyRing.reencryptAll(new Set([{ sealed, aad }]))
    expect(result).toMatchObject({ count: 1, rotated: 0 })
    expect(result.sealed[0]!.iv).not.toBe(sealed.iv)
  })

  it('stops at a record that does not open, naming it, and changes nothing', () => {
    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const good = { sealed: keyRing.seal({ k: 'v' }, { connectionId: 'a' }), aad: { connectionId: 'a' } }
    const moved = { sealed: keyRing.seal({ k: 'v' }, { connectionId: 'b' }), aad: { connectionId: 'c' } }
    keyRing.rotate()
    const before = readFileSync(keyRing.keyFile, 'utf8')
    const error = catchError(() => keyRing.reencryptAll([good, moved, good]))
    expect(error.code).toBe('decryption_failed')
    expect(error.message).toContain('record 2')
    expect(error.details).toEqual({ index: 1, connectionId: 'c', userId: undefined })
    expect(readFileSync(keyRing.keyFile, 'utf8')).toBe(before)
  })

  it('never retires the current key', () => {
    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const error = catchError(() => keyRing.retire([keyRing.currentKid]))
    expect(error.code).toBe('key_in_use')
    expect(fileKids(keyRing.keyFile)).toEqual([keyRing.currentKid])
  })
})
