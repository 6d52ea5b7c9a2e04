/**
 * The store contract across processes, for engines several processes share (PostgreSQL): two Store instances on
 * the same data stand for two replicas.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { changesUntil, connection, isChange, useEngines } from './engines.ts'

interface Counter {
  id: string
  n: number
  [k: string]: unknown
}

const shared = useEngines().filter((engine) => engine.name === 'postgres')

describe.each(shared)('$name store: two processes on one database', (engine) => {
  const openTwo = async () => {
    const { store, another } = await engine.open()
    return [store, await another!()] as const
  }

  test('what one writes, the other reads, relaxed writes included', async () => {
    const [a, b] = await openTwo()
    await a.insert('connections', connection('c1', 'app'))
    await a.put('meta', { id: 'seen' }, { durability: 'relaxed' })
    expect(await b.get('connections', 'c1')).toEqual(connection('c1', 'app'))
    expect(await b.get('meta', 'seen')).toEqual({ id: 'seen' })
  })

  test('subscribe hears the changes the other makes', async () => {
    const [a, b] = await openTwo()
    const seen = changesUntil(a, isChange('meta', 'marker'))
    await b.insert('connections', connection('c1', 'app'))
    await b.transaction(async (tx) => tx.delete('connections', 'c1'))
    await b.insert('meta', { id: 'marker' })
    const changes = await seen
    expect(changes.filter((c) => c.collection === 'connections')).toContainEqual({ collection: 'connections', id: 'c1' })
  })

  test('updaters in both, on a record neither has yet: every increment kept', async () => {
    const [a, b] = await openTwo()
    const run = (store: typeof a) => async () => {
      for (let i = 0; i < 10; i++) await store.update<Counter>('meta', 'n', (c) => ({ id: 'n', n: (c?.n ?? 0) + 1 }))
    }
    await Promise.all([...Array.from({ length: 16 }, run(a)), ...Array.from({ length: 16 }, run(b))])
    expect(await a.get('meta', 'n')).toEqual({ id: 'n', n: 320 })
  })

  test('a single-use record read with tx.get is used once across both', async () => {
    const [a, b] = await openTwo()
    await a.insert('oauthStates', { id: 'st1' })
    const consume = (store: typeof a) =>
      store.transaction(async (tx) => {
        const state = await tx.get('oauthStates', 'st1')
        if (state === undefined || state.usedAt !== undefined) return false
        await sleep(20)
        await tx.put('oauthStates', { ...state, usedAt: 'now' })
        return true
      })
    const results = await Promise.all([consume(a), consume(b), consume(a), consume(b)])
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  test('lock is held by one process at a time', async () => {
    const [a, b] = await openTwo()
    let inside = 0
    let most = 0
    const hold = (store: typeof a) =>
      store.lock('refresh:cred_1', async () => {
        most = Math.max(most, ++inside)
        await sleep(3)
        inside--
      })
    await Promise.all(Array.from({ length: 20 }, (_, i) => hold(i % 2 === 0 ? a : b)))
    expect(most).toBe(1)
  })

  test('a process waiting for the other process lock gets it once it is let go', async () => {
    const [a, b] = await openTwo()
    let release!: () => void
    let entered!: () => void
    const inA = new Promise<void>((done) => (entered = done))
    const heldByA = a.lock('lease', () => {
      entered()
      return new Promise<void>((done) => (release = done))
    })
    await inA
    let bGotIt = false
    const inB = b.lock('lease', async () => void (bGotIt = true))
    await sleep(50)
    expect(bGotIt).toBe(false)
    release()
    await heldByA
    await inB
    expect(bGotIt).toBe(true)
  })
})
