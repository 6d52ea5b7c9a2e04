import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { StoreFile, StoreRecord } from '../../runtime/platform/store/index.ts'
import { deepFreeze } from '../../runtime/platform/store/internal/records.ts'
import { serializeStoreFile } from '../../runtime/platform/store/internal/serialize-store-file.ts'

const record = fc
  .tuple(fc.string({ minLength: 1 }), fc.dictionary(fc.string(), fc.jsonValue()))
  .map(([id, fields]) => ({ ...fields, id }) as StoreRecord)
const table = fc.array(record, { maxLength: 5 }).map((records) => Object.fromEntries(records.map((r) => [r.id, r])))
const file = fc.record({ format: fc.constant(1), collections: fc.dictionary(fc.string(), table, { maxKeys: 4 }) })

test('writes exactly what JSON.stringify(file, null, 2) writes, frozen (cached) or not', () => {
  fc.assert(
    fc.property(file, fc.boolean(), (data: StoreFile, freeze) => {
      if (freeze) deepFreeze(data)
      const expected = `${JSON.stringify(data, null, 2)}\n`
      expect(serializeStoreFile(data)).toBe(expected)
      expect(serializeStoreFile(data)).toBe(expected) // second time from the cache
    }),
  )
})

test('a record that is not frozen is serialised afresh every time', () => {
  const data: StoreFile = { format: 1, collections: { apps: { a1: { id: 'a1', n: 1 } } } }
  serializeStoreFile(data)
  data.collections.apps!.a1!.n = 2
  expect(serializeStoreFile(data)).toContain('"n": 2')
})
