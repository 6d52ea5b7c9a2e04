/** The store contract under concurrency: read-modify-write with exact counts, named locks. */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { useEngines } from './engines.ts'

interface Counter {
  id: string
  n: number
  [k: string]: unknown
}

const bump = (id: string) => (current: Counter | undefined) => ({ id, n: (current?.n ?? 0) + 1 })

describe.each(useEngines())('$name store: concurrency', (engine) => {
  test('64 concurrent updaters × 10 increments of one record: exactly 640', async () => {
    const { store } = await engine.open()
    await store.insert('meta', { id: 'n', n: 0 })
    const updater = async () => {
      for (let i = 0; i < 10; i++) await store.update<Counter>('meta', 'n', bump('n'))
    }
    await Promise.all(Array.from({ length: 64 }, updater))
    expect(await store.get('meta', 'n')).toEqual({ id: 'n', n: 640 })
  })

  test('concurrent updaters of a record that does not exist yet: created once, every increment kept', async () => {
    const { store } = await engine.open()
    const results = await Promise.all(Array.from({ length: 32 }, () => store.update<Counter>('meta', 'fresh', bump('fresh'))))
    expect(results.map((r) => r!.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1))
    expect(await store.get('meta', 'fresh')).toEqual({ id: 'fresh', n: 32 })
  })

  test('an async updater holds the record while it waits', async () => {
    const { store } = await engine.open()
    const slow = () =>
      store.update<Counter>('meta', 'slow', async (current) => {
        await sleep(5)
        return { id: 'slow', n: (current?.n ?? 0) + 1 }
      })
    await Promise.all(Array.from({ length: 16 }, slow))
    expect(await store.get('meta', 'slow')).toEqual({ id: 'slow', n: 16 })
  })

  test('updates of different records go on side by side and each is exact', async () => {
    const { store } = await engine.open()
    const ids = Array.from({ length: 8 }, (_, i) => `r${i}`)
    await Promise.all(ids.flatMap((id) => Array.from({ length: 8 }, () => store.update<Counter>('meta', id, bump(id)))))
    for (const id of ids) expect(await store.get('meta', id)).toEqual({ id, n: 8 })
  })

  test('lock: one holder at a time, its result answered, released after a throw', async () => {
    const { store } = await engine.open()
    let inside = 0
    let most = 0
    const hold = (i: number) =>
      store.lock('refresh:cred_1', async () => {
        most = Math.max(most, ++inside)
        await sleep(2)
        inside--
        return i
      })
    expect(await Promise.all(Array.from({ length: 20 }, (_, i) => hold(i)))).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(most).toBe(1)
    const boom = new Error('refresh failed')
    await expect(store.lock('refresh:cred_1', async () => Promise.reject(boom))).rejects.toBe(boom)
    expect(await store.lock('refresh:cred_1', async () => 'free again')).toBe('free again')
  })

  test('lock: different names do not wait for each other', async () => {
    const { store } = await engine.open()
    let enteredB!: () => void
    const bEntered = new Promise<void>((done) => (enteredB = done))
    // A holds its lock until B is inside its own: this only ends if the two names are held at once.
    const a = store.lock('a', () => bEntered)
    const b = store.lock('b', async () => enteredB())
    await Promise.all([a, b])
  })
})
