/** The store contract, writes: insert, put, update, delete, conflicts, copies, JSON round trips, durability. */
import { describe, expect, test } from 'vitest'
import { connection, useEngines } from './engines.ts'

interface Counter {
  id: string
  n: number
  [k: string]: unknown
}

describe.each(useEngines())('$name store: writes', (engine) => {
  test('insert refuses a taken id with 409 conflict naming the collection, and keeps what was there', async () => {
    const { store } = await engine.open()
    await store.insert('connections', connection('c1', 'a1'))
    const error = await store.insert('connections', connection('c1', 'a2', { nameKey: 'other' })).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 409, code: 'conflict' })
    expect((error as Error).message).toContain('connections')
    expect(await store.get('connections', 'c1')).toEqual(connection('c1', 'a1'))
  })

  test('insert and put refuse a value a unique index already holds for another record', async () => {
    const { store } = await engine.open()
    await store.insert('users', { id: 'u1', email: 'ada@example.com' })
    const taken = { status: 409, code: 'conflict', message: expect.stringContaining('users') }
    await expect(store.insert('users', { id: 'u2', email: 'ada@example.com' })).rejects.toMatchObject(taken)
    await expect(store.put('users', { id: 'u2', email: 'ada@example.com' })).rejects.toMatchObject(taken)
    await store.insert('users', { id: 'u3', email: 'bob@example.com' })
    await expect(store.put('users', { id: 'u3', email: 'ada@example.com' })).rejects.toMatchObject(taken)
    await expect(store.update('users', 'u3', (u) => u && { ...u, email: 'ada@example.com' })).rejects.toMatchObject(taken)
    expect(await store.get('users', 'u2')).toBeUndefined()
    expect(await store.get('users', 'u3')).toEqual({ id: 'u3', email: 'bob@example.com' })
    // The record itself keeps its value; records without one never clash.
    await store.put('users', { id: 'u1', email: 'ada@example.com', name: 'Ada' })
    await store.insert('users', { id: 'u4' })
    await store.insert('users', { id: 'u5', email: null })
    await store.insert('users', { id: 'u6' })
    // A unique index over several fields clashes only when all of them are equal.
    await store.insert('connections', connection('c1', 'a1', { nameKey: 'main' }))
    await store.insert('connections', connection('c2', 'a2', { nameKey: 'main' }))
    await expect(store.insert('connections', connection('c3', 'a1', { nameKey: 'main' }))).rejects.toMatchObject({ status: 409 })
  })

  test('put inserts, then replaces the whole record', async () => {
    const { store } = await engine.open()
    expect(await store.put('connectors', { id: 'k1', name: 'One', extra: true })).toEqual({ id: 'k1', name: 'One', extra: true })
    await store.put('connectors', { id: 'k1', name: 'Two' })
    expect(await store.get('connectors', 'k1')).toEqual({ id: 'k1', name: 'Two' })
  })

  test('update creates, changes and deletes, and answers what it stored', async () => {
    const { store } = await engine.open()
    const seen: (Counter | undefined)[] = []
    const bump = (current: Counter | undefined) => {
      seen.push(current)
      return { id: 'm1', n: (current?.n ?? 0) + 1 }
    }
    expect(await store.update<Counter>('meta', 'm1', bump)).toEqual({ id: 'm1', n: 1 })
    expect(await store.update<Counter>('meta', 'm1', bump)).toEqual({ id: 'm1', n: 2 })
    expect(seen).toEqual([undefined, { id: 'm1', n: 1 }])
    expect(await store.update<Counter>('meta', 'm1', async () => undefined)).toBeUndefined()
    expect(await store.get('meta', 'm1')).toBeUndefined()
    expect(await store.update<Counter>('meta', 'never', () => undefined)).toBeUndefined()
    expect(await store.get('meta', 'never')).toBeUndefined()
  })

  test('an updater that throws changes nothing and its error comes back', async () => {
    const { store } = await engine.open()
    await store.insert('meta', { id: 'm1', n: 1 })
    const boom = new Error('updater failed')
    await expect(
      store.update<Counter>('meta', 'm1', (current) => {
        current!.n = 99
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(await store.get('meta', 'm1')).toEqual({ id: 'm1', n: 1 })
  })

  test('update cannot change a record id: 500 store_invalid_record', async () => {
    const { store } = await engine.open()
    await store.insert('meta', { id: 'm1', n: 1 })
    await expect(store.update('meta', 'm1', () => ({ id: 'm2', n: 1 }))).rejects.toMatchObject({
      status: 500,
      code: 'store_invalid_record',
    })
    expect(await store.get('meta', 'm2')).toBeUndefined()
  })

  test('delete says whether there was a record', async () => {
    const { store } = await engine.open()
    await store.insert('tokens', { id: 't1', userId: 'u1' })
    expect(await store.delete('tokens', 't1')).toBe(true)
    expect(await store.delete('tokens', 't1')).toBe(false)
    expect(await store.find('tokens', 'byUser', { equals: ['u1'] })).toEqual([])
  })

  test('what goes in and comes out are copies: changing them changes nothing stored', async () => {
    const { store } = await engine.open()
    const input = { id: 'c1', appId: 'a', config: { scopes: ['read'] } }
    const inserted = await store.insert('connections', input)
    input.config.scopes.push('input')
    inserted.config.scopes.push('inserted')
    ;(await store.get<typeof input>('connections', 'c1'))!.config.scopes.push('got')
    ;((await store.find('connections', 'byApp', { equals: ['a'] }))[0] as typeof input).config.scopes.push('found')
    ;((await store.scan('connections', { limit: 1 }))[0] as typeof input).config.scopes.push('scanned')
    const updated = await store.update<typeof input>('connections', 'c1', (current) => {
      current!.config.scopes.push('changed-in-updater')
      return { ...current!, config: { scopes: ['read'] } }
    })
    updated!.config.scopes.push('updated')
    const put = await store.put('connections', { id: 'c2', appId: 'b', config: { scopes: [] as string[] } })
    put.config.scopes.push('put')
    expect(await store.get('connections', 'c1')).toEqual({ id: 'c1', appId: 'a', config: { scopes: ['read'] } })
    expect(await store.get('connections', 'c2')).toEqual({ id: 'c2', appId: 'b', config: { scopes: [] } })
  })

  test('records come back as JSON would carry them', async () => {
    const { store } = await engine.open()
    const record = {
      id: 'rt',
      text: 'naïve ☃ 𝄞 "quoted" \\ back\nline',
      numbers: [0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER, -0.000001],
      flags: [true, false, null],
      nested: { deep: { deeper: { list: [{ a: 1 }, [], {}] } } },
      empty: '',
      dropped: undefined,
      when: new Date('2025-01-01T00:00:00.000Z'),
    }
    const expected = JSON.parse(JSON.stringify(record))
    expect(await store.insert('meta', record)).toEqual(expected)
    expect(await store.get('meta', 'rt')).toEqual(expected)
    expect(Object.hasOwn((await store.get('meta', 'rt'))!, 'dropped')).toBe(false)
  })

  test('relaxed writes are visible at once, like durable ones', async () => {
    const { store } = await engine.open()
    const relaxed = { durability: 'relaxed' } as const
    await store.insert('runs', { id: 'r1', appId: 'a', connectionId: 'k', seq: 1 }, relaxed)
    await store.put('runs', { id: 'r2', appId: 'a', connectionId: 'k', seq: 2 }, relaxed)
    await store.update<Counter>('meta', 'last-use', (c) => ({ id: 'last-use', n: (c?.n ?? 0) + 1 }), relaxed)
    expect(await store.get('meta', 'last-use')).toEqual({ id: 'last-use', n: 1 })
    expect(await store.count('runs', 'byConnection', { equals: ['a', 'k'] })).toBe(2)
    await expect(store.insert('runs', { id: 'r1' }, relaxed)).rejects.toMatchObject({ status: 409, code: 'conflict' })
    expect(await store.delete('runs', 'r2', relaxed)).toBe(true)
    expect(await store.get('runs', 'r2')).toBeUndefined()
    await store.transaction(async (tx) => {
      await tx.put('runs', { id: 'r3', appId: 'a', connectionId: 'k', seq: 3 })
      await tx.delete('runs', 'r1')
    }, relaxed)
    expect((await store.find('runs', 'byConnection', { equals: ['a', 'k'] })).map((r) => r.id)).toEqual(['r3'])
    await expect(
      store.transaction(async (tx) => {
        await tx.put('runs', { id: 'r4', appId: 'a', connectionId: 'k', seq: 4 })
        throw new Error('changed my mind')
      }, relaxed),
    ).rejects.toThrow('changed my mind')
    expect(await store.get('runs', 'r4')).toBeUndefined()
  })

  test('relaxed writes are on disk once the store closes', async () => {
    const opened = await engine.open()
    const relaxed = { durability: 'relaxed' } as const
    await opened.store.transaction(async (tx) => {
      for (let i = 0; i < 50; i++) await tx.put('runs', { id: `r${i}`, appId: 'a', connectionId: 'k', seq: i })
    }, relaxed)
    await opened.store.delete('runs', 'r0', relaxed)
    const again = await opened.reopen()
    expect(await again.count('runs', 'byConnection', { equals: ['a', 'k'] })).toBe(49)
  })

  test('a record must be an object with a non-empty string id: 500 store_invalid_record', async () => {
    const { store } = await engine.open()
    const invalid = { status: 500, code: 'store_invalid_record' }
    await expect(store.insert('meta', { id: '' })).rejects.toMatchObject(invalid)
    await expect(store.put('meta', { id: 7 } as never)).rejects.toMatchObject(invalid)
    // @ts-expect-error: not a collection
    await expect(store.insert('metas', { id: 'x' })).rejects.toMatchObject(invalid)
  })
})
