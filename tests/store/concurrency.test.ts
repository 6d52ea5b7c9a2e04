import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { createLowdbStore, type StoreRecord } from '../../runtime/platform/store/index.ts'
import { useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()

interface Counter extends StoreRecord {
  n: number
}

const increment = (c: Counter | undefined, id: string): Counter => ({ id, n: (c?.n ?? 0) + 1 })
/** Half the updaters yield to the event loop in the middle, so read-modify-write really overlaps. */
const slowIncrement = async (c: Counter | undefined, id: string): Promise<Counter> => {
  await new Promise((done) => setImmediate(done))
  return increment(c, id)
}

test('10,000 concurrent updates of one record lose none, also after reopening', async () => {
  const dir = await tempDir()
  const store = await createLowdbStore({ dir, log: () => {} })
  await Promise.all(
    Array.from({ length: 10_000 }, (_, i) =>
      store.update<Counter>('meta', 'hits', (c) => (i % 2 ? slowIncrement(c, 'hits') : increment(c, 'hits'))),
    ),
  )
  expect(await store.get('meta', 'hits')).toEqual({ id: 'hits', n: 10_000 })
  await store.close()

  const reopened = await createLowdbStore({ dir, log: () => {} })
  expect(await reopened.get('meta', 'hits')).toEqual({ id: 'hits', n: 10_000 })
  await reopened.close()
})

test('10,000 concurrent updates across 100 records lose none, also after reopening', async () => {
  const dir = await tempDir()
  const store = await createLowdbStore({ dir, log: () => {} })
  await Promise.all(
    Array.from({ length: 10_000 }, (_, i) => {
      const id = `c${i % 100}`
      return store.update<Counter>('connections', id, (c) => (i % 3 ? increment(c, id) : slowIncrement(c, id)))
    }),
  )
  const expectEach100 = async (list: Counter[]) => {
    expect(list).toHaveLength(100)
    expect(list.every((c) => c.n === 100)).toBe(true)
  }
  await expectEach100(await store.list<Counter>('connections'))
  await store.close()

  const reopened = await createLowdbStore({ dir, log: () => {} })
  await expectEach100(await reopened.list<Counter>('connections'))
  await reopened.close()
})

test('a transaction that reads, waits and writes loses no update made meanwhile', async () => {
  const dir = await tempDir()
  const store = await createLowdbStore({ dir, log: () => {} })
  await store.insert<Counter>('meta', { id: 'hits', n: 0 })
  const work: Promise<unknown>[] = []
  for (let i = 0; i < 200; i++) {
    work.push(store.update<Counter>('meta', 'hits', (c) => slowIncrement(c, 'hits')))
    if (i % 20 === 0) {
      work.push(
        store.transaction(async (tx) => {
          const current = tx.get<Counter>('meta', 'hits')!
          await new Promise((done) => setTimeout(done, 2))
          tx.put<Counter>('meta', { id: 'hits', n: current.n + 1000 })
        }),
      )
    }
  }
  await Promise.all(work)
  expect(await store.get('meta', 'hits')).toEqual({ id: 'hits', n: 200 + 10 * 1000 })
  await store.close()
})

test('an acknowledged write is already in the file on disk', async () => {
  const dir = await tempDir()
  const store = await createLowdbStore({ dir, log: () => {} })
  const results = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      await store.insert('connections', { id: `c${i}` })
      // Read the file the moment this insert is acknowledged, before anything else can run.
      return JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as { collections: { connections: object } }
    }),
  )
  results.forEach((file, i) => expect(file.collections.connections).toHaveProperty(`c${i}`))
  await store.close()
})

test('operations after close() are refused; close() waits for pending writes', async () => {
  const dir = await tempDir()
  const store = await createLowdbStore({ dir, log: () => {} })
  const pending = Array.from({ length: 100 }, (_, i) => store.insert('audit', { id: `a${i}` }))
  await store.close()
  await Promise.all(pending)
  await expect(store.get('audit', 'a1')).rejects.toMatchObject({ code: 'store_closed', status: 503 })
  await expect(store.transaction(() => 1)).rejects.toMatchObject({ code: 'store_closed' })
  const reopened = await createLowdbStore({ dir, log: () => {} })
  expect(await reopened.list('audit')).toHaveLength(100)
  await reopened.close()
})
