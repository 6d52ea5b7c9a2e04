/** The store contract, transactions: all or nothing, own writes visible, `tx.get` holding a record. */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { connection, useEngines } from './engines.ts'

interface OAuthState {
  id: string
  usedAt?: string
  [k: string]: unknown
}

describe.each(useEngines())('$name store: transactions', (engine) => {
  test('a transaction applies every write and answers what its function returned', async () => {
    const { store } = await engine.open()
    await store.insert('connections', connection('c1', 'a'))
    await store.insert('credentials', { id: 'k1', connectionId: 'c1' })
    const result = await store.transaction(async (tx) => {
      await tx.delete('connections', 'c1')
      for (const credential of await tx.find('credentials', 'byConnection', { equals: ['c1'] }))
        await tx.delete('credentials', credential.id)
      await tx.insert('audit', { id: 'e1', appId: 'a', seq: 1, action: 'connection.deleted' })
      await tx.put('meta', { id: 'seq', value: 1 })
      return 'done'
    })
    expect(result).toBe('done')
    expect(await store.get('connections', 'c1')).toBeUndefined()
    expect(await store.find('credentials', 'byConnection', { equals: ['c1'] })).toEqual([])
    expect(await store.count('audit', 'byApp', { equals: ['a'] })).toBe(1)
    expect(await store.get('meta', 'seq')).toEqual({ id: 'seq', value: 1 })
  })

  test('a throw applies nothing, and the error comes back', async () => {
    const { store } = await engine.open()
    await store.insert('connections', connection('c1', 'a', { name: 'before' }))
    const boom = new Error('half way')
    await expect(
      store.transaction(async (tx) => {
        await tx.put('connections', connection('c1', 'a', { name: 'after' }))
        await tx.insert('connections', connection('c2', 'a'))
        await tx.delete('credentials', 'k1')
        await tx.insert('audit', { id: 'e1', appId: 'a', seq: 1 })
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(await store.get('connections', 'c1')).toEqual(connection('c1', 'a', { name: 'before' }))
    expect(await store.get('connections', 'c2')).toBeUndefined()
    expect(await store.count('audit', 'byApp', { equals: ['a'] })).toBe(0)
  })

  test('a conflict inside a transaction rolls all of it back when not caught', async () => {
    const { store } = await engine.open()
    await store.insert('users', { id: 'u1', email: 'ada@example.com' })
    await expect(
      store.transaction(async (tx) => {
        await tx.insert('users', { id: 'u2', email: 'bob@example.com' })
        await tx.insert('users', { id: 'u3', email: 'ada@example.com' })
      }),
    ).rejects.toMatchObject({ status: 409, code: 'conflict' })
    expect(await store.get('users', 'u2')).toBeUndefined()
  })

  test('a conflict caught inside a transaction leaves the rest of it to commit', async () => {
    const { store } = await engine.open()
    await store.insert('users', { id: 'u1', email: 'ada@example.com' })
    await store.transaction(async (tx) => {
      await tx.insert('users', { id: 'u2', email: 'bob@example.com' })
      await expect(tx.insert('users', { id: 'u3', email: 'ada@example.com' })).rejects.toMatchObject({ status: 409 })
      await expect(tx.insert('users', { id: 'u2' })).rejects.toMatchObject({ status: 409 })
      await tx.put('users', { id: 'u4', email: 'cy@example.com' })
    })
    expect((await store.scan('users', { limit: 10 })).map((u) => u.id)).toEqual(['u1', 'u2', 'u4'])
  })

  test('reads inside see the transaction own writes; nobody else sees them before it ends', async () => {
    const { store } = await engine.open()
    await store.transaction(async (tx) => {
      await tx.insert('connections', connection('c1', 'a'))
      await tx.put('connections', connection('c2', 'a', { createdAt: '2024-01-01T00:00:00.000Z' }))
      expect(await tx.get('connections', 'c1')).toEqual(connection('c1', 'a'))
      expect((await tx.find('connections', 'byApp', { equals: ['a'] })).map((c) => c.id)).toEqual(['c2', 'c1'])
      await tx.delete('connections', 'c2')
      expect(await tx.get('connections', 'c2')).toBeUndefined()
      expect(await store.get('connections', 'c1')).toBeUndefined()
    })
    expect(await store.get('connections', 'c1')).toEqual(connection('c1', 'a'))
    expect(await store.get('connections', 'c2')).toBeUndefined()
  })

  test('a record read with tx.get stays the transaction own: a single-use state is used once', async () => {
    const { store } = await engine.open()
    await store.insert('oauthStates', { id: 'st1', expiresAt: '2030-01-01T00:00:00.000Z' })
    const consume = (who: string) =>
      store.transaction(async (tx) => {
        const state = await tx.get<OAuthState>('oauthStates', 'st1')
        if (state === undefined || state.usedAt !== undefined) return false
        // Give the other transaction every chance to read the state meanwhile.
        await sleep(20)
        await tx.put('oauthStates', { ...state, usedAt: who })
        return true
      })
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => consume(`t${i}`)))
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  test('read-check-create of a missing record in transactions creates it once', async () => {
    const { store } = await engine.open()
    const create = (who: string) =>
      store.transaction(async (tx) => {
        if ((await tx.get('meta', 'owner')) !== undefined) return false
        await sleep(10)
        await tx.put('meta', { id: 'owner', who })
        return true
      })
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => create(`t${i}`)))
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  test('transactions incrementing one record lose no update', async () => {
    const { store } = await engine.open()
    await store.insert('meta', { id: 'n', n: 0 })
    const increment = () =>
      store.transaction(async (tx) => {
        const current = (await tx.get<{ id: string; n: number }>('meta', 'n'))!
        await tx.put('meta', { ...current, n: current.n + 1 })
      })
    await Promise.all(Array.from({ length: 40 }, increment))
    expect(await store.get('meta', 'n')).toEqual({ id: 'n', n: 40 })
  })
})
