import { expect, test } from 'vitest'
import type { Store, StoreRecord } from '../../runtime/platform/store/contract.ts'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { seededRandom, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()

interface Counter extends StoreRecord {
  n: number
}

const increment = (c: Counter | undefined, id: string): Counter => ({ id, n: (c?.n ?? 0) + 1 })
/** Yields to the event loop in the middle, so read-modify-write really overlaps. */
const slowIncrement = async (c: Counter | undefined, id: string): Promise<Counter> => {
  await new Promise((done) => setImmediate(done))
  return increment(c, id)
}
const tick = () => new Promise((done) => setImmediate(done))

async function open(dir?: string): Promise<{ dir: string; store: Store }> {
  dir ??= await tempDir()
  return { dir, store: await createEmbeddedStore({ dir, log: () => {} }) }
}

test('10,000 concurrent updates of one record lose none, durable or relaxed, also after reopening', async () => {
  const { dir, store } = await open()
  await Promise.all(
    Array.from({ length: 10_000 }, (_, i) =>
      store.update<Counter>('meta', 'hits', (c) => (i % 2 ? slowIncrement(c, 'hits') : increment(c, 'hits')), {
        durability: i % 3 ? 'durable' : 'relaxed',
      }),
    ),
  )
  expect(await store.get('meta', 'hits')).toEqual({ id: 'hits', n: 10_000 })
  await store.close()
  const reopened = await open(dir)
  expect(await reopened.store.get('meta', 'hits')).toEqual({ id: 'hits', n: 10_000 })
  await reopened.store.close()
})

test('10,000 concurrent updates across 100 records lose none, also after reopening', async () => {
  const { dir, store } = await open()
  await Promise.all(
    Array.from({ length: 10_000 }, (_, i) => {
      const id = `c${i % 100}`
      return store.update<Counter>('connections', id, (c) => (i % 3 ? increment(c, id) : slowIncrement(c, id)))
    }),
  )
  const each100 = async (s: Store) => {
    const all = await s.scan<Counter>('connections', { limit: 1000 })
    expect(all).toHaveLength(100)
    expect(all.every((c) => c.n === 100)).toBe(true)
  }
  await each100(store)
  await store.close()
  const reopened = await open(dir)
  await each100(reopened.store)
  await reopened.store.close()
})

test('a transaction that reads, waits and writes loses no update made meanwhile, and none of its own', async () => {
  const { store } = await open()
  await store.insert<Counter>('meta', { id: 'hits', n: 0 })
  const work: Promise<unknown>[] = []
  for (let i = 0; i < 400; i++) {
    work.push(store.update<Counter>('meta', 'hits', (c) => slowIncrement(c, 'hits')))
    if (i % 20 === 0) {
      work.push(
        store.transaction(async (tx) => {
          const current = (await tx.get<Counter>('meta', 'hits'))!
          await new Promise((done) => setTimeout(done, 2))
          await tx.put<Counter>('meta', { id: 'hits', n: current.n + 1000 })
        }),
      )
    }
  }
  await Promise.all(work)
  expect(await store.get('meta', 'hits')).toEqual({ id: 'hits', n: 400 + 20 * 1000 })
  await store.close()
})

test('2,000 concurrent transfers between 50 accounts, with deposits beside them, keep every unit', async () => {
  const { store } = await open()
  await store.transaction(async (tx) => {
    for (let i = 0; i < 50; i++) await tx.put<Counter>('meta', { id: `acct${i}`, n: 1000 })
  })
  const random = seededRandom(42)
  const work: Promise<unknown>[] = []
  for (let t = 0; t < 2000; t++) {
    const from = `acct${Math.floor(random() * 50)}`
    const to = `acct${Math.floor(random() * 50)}`
    const amount = 1 + Math.floor(random() * 20)
    // Locks are taken in whatever order each transaction reads: the engine must not deadlock on that.
    work.push(
      store.transaction(async (tx) => {
        const a = (await tx.get<Counter>('meta', from))!
        if (t % 2) await tick()
        const b = (await tx.get<Counter>('meta', to))!
        if (a.n < amount || from === to) return
        await tx.put<Counter>('meta', { ...a, n: a.n - amount })
        await tx.put<Counter>('meta', { ...b, n: b.n + amount })
      }),
    )
    if (t % 4 === 0) work.push(store.update<Counter>('meta', to, (c) => c && { ...c, n: c.n + 1 }))
  }
  await Promise.all(work)
  const total = (await store.scan<Counter>('meta', { limit: 100 })).reduce((sum, c) => sum + c.n, 0)
  expect(total).toBe(50 * 1000 + 500)
  await store.close()
})

test('a record a transaction has read stays its own until it ends; other records go on meanwhile', async () => {
  const { store } = await open()
  await store.insert<Counter>('meta', { id: 'held', n: 0 })
  await store.insert<Counter>('meta', { id: 'free', n: 0 })
  let finish!: () => void
  const finished = new Promise<void>((done) => (finish = done))
  let read!: () => void
  const hasRead = new Promise<void>((done) => (read = done))
  const order: string[] = []
  const tx = store.transaction(async (tx) => {
    const held = (await tx.get<Counter>('meta', 'held'))!
    read()
    await finished
    await tx.put<Counter>('meta', { ...held, n: held.n + 10 })
    order.push('tx')
  })
  await hasRead
  const waiting = store.update<Counter>('meta', 'held', (c) => {
    order.push('update')
    return c && { ...c, n: c.n + 1 }
  })
  const deleting = store.delete('meta', 'held').then(() => order.push('delete'))
  // Independent records, and reads, do not wait for the transaction.
  expect(await store.update<Counter>('meta', 'free', (c) => c && { ...c, n: c.n + 1 })).toEqual({ id: 'free', n: 1 })
  expect(await store.get('meta', 'held')).toEqual({ id: 'held', n: 0 })
  await tick()
  expect(order).toEqual([])
  finish()
  await Promise.all([tx, waiting, deleting])
  expect(order).toEqual(['tx', 'update', 'delete'])
  expect(await store.get('meta', 'held')).toBeUndefined()
  await store.close()
})

test('a transaction that throws applies nothing, and lets go of every record it held', async () => {
  const { store } = await open()
  await store.insert('connections', { id: 'c1', appId: 'a' })
  await store.insert('credentials', { id: 'k1', connectionId: 'c1' })
  await expect(
    store.transaction(async (tx) => {
      await tx.delete('connections', 'c1')
      for (const k of await tx.find('credentials', 'byConnection', { equals: ['c1'] })) await tx.delete('credentials', k.id)
      await tx.insert('audit', { id: 'x1', appId: 'a', seq: 1 })
      expect(await tx.get('connections', 'c1')).toBeUndefined()
      expect(await tx.find('credentials', 'byConnection', { equals: ['c1'] })).toEqual([])
      throw new Error('changed my mind')
    }),
  ).rejects.toThrow('changed my mind')
  expect(await store.get('connections', 'c1')).toEqual({ id: 'c1', appId: 'a' })
  expect(await store.find('credentials', 'byConnection', { equals: ['c1'] })).toHaveLength(1)
  expect(await store.get('audit', 'x1')).toBeUndefined()
  // Nothing is still locked: single-record writes and another transaction go through.
  await store.update('connections', 'c1', (c) => c && { ...c, name: 'kept' })
  await store.delete('credentials', 'k1')
  expect(await store.transaction(async (tx) => (await tx.get('connections', 'c1'))?.name)).toBe('kept')
  await store.close()
})

test('a transaction object used after its end, or a call it did not wait for, fails instead of holding a lock', async () => {
  const { store } = await open()
  await store.insert<Counter>('meta', { id: 'busy', n: 0 })
  let release!: () => void
  const holding = store.update<Counter>('meta', 'busy', async (c) => {
    await new Promise<void>((done) => (release = done))
    return c && { ...c, n: c.n + 1 }
  })
  await tick()
  let forgotten: Promise<unknown> | undefined
  let kept: Parameters<Parameters<Store['transaction']>[0]>[0] | undefined
  await store.transaction(async (tx) => {
    kept = tx
    // Not awaited: it waits for the update, and the transaction ends first.
    forgotten = tx.get('meta', 'busy').then(
      () => 'resolved',
      (error: Error) => error.message,
    )
  })
  release()
  await holding
  expect(await forgotten).toBe('This transaction finished before the record it asked for was free.')
  await expect(kept!.get('meta', 'busy')).rejects.toThrow('This transaction has finished')
  expect(await store.update<Counter>('meta', 'busy', (c) => c && { ...c, n: c.n + 1 })).toEqual({ id: 'busy', n: 2 })
  await store.close()
})

test('a relaxed write is visible at once and durable after the next group commit', async () => {
  const { dir, store } = await open()
  const { readFile } = await import('node:fs/promises')
  const onDisk = async () =>
    JSON.parse(await readFile(`${dir}/store.json`, 'utf8').catch(() => '{"collections":{}}')) as {
      collections: Record<string, Record<string, { at?: number }> | undefined>
    }
  await store.put('runs', { id: 'r1', at: 1 }, { durability: 'relaxed' })
  // Readers see it as soon as the call resolves.
  expect(await store.get('runs', 'r1')).toEqual({ id: 'r1', at: 1 })
  expect(await store.find('runs', 'byTime', { equals: [], range: { gte: 1 } })).toHaveLength(1)
  // The next durable write carries it.
  await store.put('meta', { id: 'durable' })
  expect((await onDisk()).collections.runs).toHaveProperty('r1')
  // And without any later write, it goes out on its own.
  await store.update('runs', 'r1', (r) => r && { ...r, at: 2 }, { durability: 'relaxed' })
  for (let i = 0; i < 500 && (await onDisk()).collections.runs?.r1?.at !== 2; i++) await new Promise((done) => setTimeout(done, 10))
  expect((await onDisk()).collections.runs).toEqual({ r1: { id: 'r1', at: 2 } })
  await store.close()
})
