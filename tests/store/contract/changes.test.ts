/** The store contract: change events, and a closed store. */
import { describe, expect, test } from 'vitest'
import type { Store } from '../../../runtime/platform/store/contract.ts'
import { changesUntil, connection, isChange, useEngines } from './engines.ts'

describe.each(useEngines())('$name store: changes and closing', (engine) => {
  test('subscribe reports every committed change, a rolled back transaction none', async () => {
    const { store } = await engine.open()
    const seen = changesUntil(store, isChange('meta', 'marker'))
    await store.insert('connections', connection('c1', 'a'))
    await store.put('connections', connection('c1', 'a', { name: 'renamed' }))
    await store.update('apps', 'app1', () => ({ id: 'app1', members: [] }))
    await store.delete('connections', 'c1')
    await store
      .transaction(async (tx) => {
        await tx.insert('tokens', { id: 'rolled-back', userId: 'u' })
        throw new Error('no')
      })
      .catch(() => {})
    await store.transaction(async (tx) => {
      await tx.insert('tokens', { id: 't1', userId: 'u' })
      await tx.insert('tokens', { id: 't2', userId: 'u' })
    })
    await store.insert('meta', { id: 'marker' })
    const changes = (await seen).filter((c) => c.collection !== '*')
    const keys = new Set(changes.map((c) => ('id' in c ? `${c.collection}/${c.id}` : '*')))
    expect(keys).toEqual(new Set(['connections/c1', 'apps/app1', 'tokens/t1', 'tokens/t2', 'meta/marker']))
  })

  test('an unsubscribed listener hears nothing more', async () => {
    const { store } = await engine.open()
    const heard: string[] = []
    const stop = store.subscribe((change) => void heard.push('id' in change ? change.id : '*'))
    const first = changesUntil(store, isChange('meta', 'm1'))
    await store.insert('meta', { id: 'm1' })
    await first
    stop()
    const second = changesUntil(store, isChange('meta', 'm2'))
    await store.insert('meta', { id: 'm2' })
    await second
    expect(heard).toEqual(['m1'])
  })

  test('after close every call fails with 503 store_closed; closing twice is fine', async () => {
    const { store } = await engine.open()
    await store.insert('meta', { id: 'm1' })
    await store.close()
    await store.close()
    const closed = { status: 503, code: 'store_closed' }
    const calls: ((s: Store) => Promise<unknown>)[] = [
      (s) => s.get('meta', 'm1'),
      (s) => s.find('connections', 'byApp', { equals: ['a'] }),
      (s) => s.count('connections', 'byApp', { equals: ['a'] }),
      (s) => s.scan('meta', { limit: 1 }),
      (s) => s.insert('meta', { id: 'm2' }),
      (s) => s.put('meta', { id: 'm2' }),
      (s) => s.update('meta', 'm1', () => undefined),
      (s) => s.delete('meta', 'm1'),
      (s) => s.transaction(async () => 1),
      (s) => s.lock('x', async () => 1),
    ]
    for (const call of calls) await expect(call(store)).rejects.toMatchObject(closed)
  })
})
