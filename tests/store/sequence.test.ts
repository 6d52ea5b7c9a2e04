import { describe, expect, test } from 'vitest'
import { createSequence } from '../../runtime/platform/store/sequence.ts'
import { useEngines } from './contract/engines.ts'

describe.each(useEngines())('sequences on $name', (engine) => {
  test('two users of one store never hand out the same number, and each goes up', async () => {
    const { store } = await engine.open()
    const a = createSequence(store, 'runs', 10)
    const b = createSequence(store, 'runs', 10)
    const fromA: number[] = []
    const fromB: number[] = []
    await Promise.all(
      Array.from({ length: 500 }, async (_, i) => {
        if (i % 3 === 0) fromB.push(await b.next())
        else fromA.push(await a.next())
      }),
    )
    const all = [...fromA, ...fromB]
    expect(new Set(all).size).toBe(500)
    expect(fromA).toEqual([...fromA].sort((x, y) => x - y))
    expect(fromB).toEqual([...fromB].sort((x, y) => x - y))
  })

  test('blocks grow while numbers go fast, and shrink back when they slow down', async () => {
    const { store } = await engine.open()
    let clock = 0
    const seq = createSequence(store, 'audit', 10, () => clock)
    const block = async () => (await store.get<{ id: string; value: number }>('meta', 'sequence:audit'))?.value
    await seq.next()
    expect(await block()).toBe(10)
    for (let i = 0; i < 10; i++) await seq.next() // the 11th number takes a block within the second: 20 more
    expect(await block()).toBe(30)
    clock += 5000
    for (let i = 0; i < 20; i++) await seq.next() // used up after a pause: back to 10
    expect(await block()).toBe(40)
  })

  test('after a restart numbers continue above every number handed out before', async () => {
    const opened = await engine.open()
    const before = createSequence(opened.store, 'runs')
    let last = 0
    for (let i = 0; i < 250; i++) last = await before.next()
    const again = await opened.reopen()
    expect(await createSequence(again, 'runs').next()).toBeGreaterThan(last)
  })
})
