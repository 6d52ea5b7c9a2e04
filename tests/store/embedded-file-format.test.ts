// The embedded engine writes the store file through cached blocks of records; the file must stay exactly what
// the synchronous engine writes (same format, same layout, byte for byte), so either engine opens the other's.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { CollectionName, StoreRecord } from '../../runtime/platform/store/contract.ts'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { parseStoreFile } from '../../runtime/platform/store/internal/parse-store-file.ts'
import { serializeStoreFile } from '../../runtime/platform/store/internal/serialize-store-file.ts'
import { useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const collections: CollectionName[] = ['connections', 'audit', 'meta']

const op = fc.oneof(
  fc.record({
    put: fc.constantFrom(...collections),
    id: fc.integer({ min: 0, max: 299 }).map((n) => `id${n}`),
    n: fc.integer(),
    text: fc.string({ unit: 'binary', maxLength: 12 }),
  }),
  fc.record({ drop: fc.constantFrom(...collections), id: fc.integer({ min: 0, max: 299 }).map((n) => `id${n}`) }),
)

test('the file holds exactly the records, laid out as the canonical serialiser lays them out', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(op, { maxLength: 400, size: 'max' }), { minLength: 1, maxLength: 5 }), async (batches) => {
      const dir = await tempDir()
      const store = await createEmbeddedStore({ dir, log: () => {} })
      const model = new Map(collections.map((c) => [c, new Map<string, StoreRecord>()]))
      try {
        for (const batch of batches) {
          // Some batches as one transaction, some as single writes, so blocks change both ways.
          const apply = async (put: typeof store.put, drop: typeof store.delete) => {
            for (const o of batch) {
              if ('put' in o) model.get(o.put)!.set(o.id, await put(o.put, { id: o.id, n: o.n, text: o.text }))
              else if ((await drop(o.drop, o.id)) !== model.get(o.drop)!.delete(o.id)) throw new Error('delete disagrees')
            }
          }
          if (batch.length % 2) await store.transaction((tx) => apply(tx.put.bind(tx), tx.delete.bind(tx)))
          else await apply((c, r) => store.put(c, r, { durability: 'relaxed' }), store.delete.bind(store))
          await store.put('meta', { id: 'flush' })
          model.get('meta')!.set('flush', { id: 'flush' })

          const text = await readFile(join(dir, 'store.json'), 'utf8')
          const parsed = parseStoreFile('store.json', text)
          expect(text).toBe(serializeStoreFile(parsed))
          const byId = (records: StoreRecord[]) => records.sort((a, b) => (a.id < b.id ? -1 : 1))
          for (const c of collections) expect(byId(Object.values(parsed.collections[c] ?? {}))).toEqual(byId([...model.get(c)!.values()]))
        }
      } finally {
        await store.close()
      }
    }),
    { numRuns: 30 },
  )
})
