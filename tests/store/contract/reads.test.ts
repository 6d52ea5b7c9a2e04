/** The store contract, reads: get, find and count by every kind of index query, scan. */
import { describe, expect, test } from 'vitest'
import { connection, useEngines } from './engines.ts'

const ids = (records: { id: string }[]) => records.map((r) => r.id)

describe.each(useEngines())('$name store: reads', (engine) => {
  test('get answers undefined for a missing record and the stored record otherwise', async () => {
    const { store } = await engine.open()
    expect(await store.get('connections', 'nope')).toBeUndefined()
    await store.insert('connections', connection('c1', 'a1', { config: { scopes: ['repo'] } }))
    expect(await store.get('connections', 'c1')).toEqual(connection('c1', 'a1', { config: { scopes: ['repo'] } }))
  })

  test('a shared read gives the record as stored; a later write replaces it without changing what was handed out', async () => {
    const { store } = await engine.open()
    expect(await store.get('connections', 'nope', { shared: true })).toBeUndefined()
    await store.insert('connections', connection('c1', 'a1', { name: 'before' }))
    const shared = await store.get<ReturnType<typeof connection> & { name: string }>('connections', 'c1', { shared: true })
    expect(shared).toEqual(connection('c1', 'a1', { name: 'before' }))
    await store.put('connections', connection('c1', 'a1', { name: 'after' }))
    expect(shared!.name).toBe('before')
    expect((await store.get<ReturnType<typeof connection> & { name: string }>('connections', 'c1', { shared: true }))!.name).toBe('after')
    // Where the engine shares its own record, the record is frozen: a reader cannot change the store by accident.
    if (engine.name === 'embedded') expect(() => Object.assign(shared!, { name: 'changed' })).toThrow(TypeError)
    expect((await store.get<ReturnType<typeof connection> & { name: string }>('connections', 'c1'))!.name).toBe('after')
  })

  test('a connector definition reads back with its keys in the order written (query parameters are sent in it)', async () => {
    const { store } = await engine.open()
    const definition = { id: 'k', name: 'K', query: { pageSize: '100', pageNumber: '1', sort: 'name:asc', a: '1' }, z: 1, b: 2 }
    await store.put('connectors', { id: 'k', definition })
    await store.update('connectors', 'k', (c) => c && { ...c, updatedAt: 'now' })
    const read = await store.get<{ id: string; definition: typeof definition }>('connectors', 'k')
    expect(Object.keys(read!.definition)).toEqual(['id', 'name', 'query', 'z', 'b'])
    expect(Object.keys(read!.definition.query)).toEqual(['pageSize', 'pageNumber', 'sort', 'a'])
    const [scanned] = await store.scan<{ id: string; definition: typeof definition }>('connectors', { limit: 10 })
    expect(Object.keys(scanned!.definition.query)).toEqual(['pageSize', 'pageNumber', 'sort', 'a'])
  })

  test('find by an equals prefix: that prefix only, ordered by the next field, then id; desc reverses', async () => {
    const { store } = await engine.open()
    const at = (month: number) => `2025-0${month}-01T00:00:00.000Z`
    await store.insert('connections', connection('c1', 'a', { createdAt: at(3) }))
    await store.insert('connections', connection('c5', 'a', { createdAt: at(1) }))
    await store.insert('connections', connection('c2', 'a', { createdAt: at(1) }))
    await store.insert('connections', connection('c3', 'a', { createdAt: at(2) }))
    await store.insert('connections', connection('c4', 'b', { createdAt: at(1) }))
    expect(ids(await store.find('connections', 'byApp', { equals: ['a'] }))).toEqual(['c2', 'c5', 'c3', 'c1'])
    expect(ids(await store.find('connections', 'byApp', { equals: ['a'], order: 'desc' }))).toEqual(['c1', 'c3', 'c5', 'c2'])
    expect(ids(await store.find('connections', 'byApp', { equals: ['a'], limit: 2 }))).toEqual(['c2', 'c5'])
    expect(ids(await store.find('connections', 'byApp', { equals: ['b'] }))).toEqual(['c4'])
    expect(await store.find('connections', 'byApp', { equals: ['nobody'] })).toEqual([])
    expect(await store.count('connections', 'byApp', { equals: ['a'], limit: 1 })).toBe(4)
    expect(ids(await store.find('connections', 'byApp', { equals: [] }))).toEqual(['c2', 'c5', 'c3', 'c1', 'c4'])
  })

  test('ranges gt, gte, lt and lte on the field after equals, numbers in numeric order, with order and limit', async () => {
    const { store } = await engine.open()
    for (let seq = 1; seq <= 20; seq++) {
      await store.insert('audit', { id: `x${seq}`, appId: 'x', seq })
      await store.insert('audit', { id: `y${seq}`, appId: 'y', seq })
    }
    const seqs = async (query: Parameters<typeof store.find>[2]) =>
      (await store.find('audit', 'byApp', query)).map((r) => (r as unknown as { seq: number }).seq)
    expect(await seqs({ equals: ['x'], range: { gt: 5, lte: 9 } })).toEqual([6, 7, 8, 9])
    expect(await seqs({ equals: ['x'], range: { gte: 5, lt: 9 } })).toEqual([5, 6, 7, 8])
    expect(await seqs({ equals: ['x'], range: { gte: 9, lte: 11 } })).toEqual([9, 10, 11])
    expect(await seqs({ equals: ['x'], range: { lt: 10 }, order: 'desc', limit: 3 })).toEqual([9, 8, 7])
    expect(await seqs({ equals: ['x'], range: { gt: 18 } })).toEqual([19, 20])
    expect(await seqs({ equals: ['x'], range: { gt: 20 } })).toEqual([])
    expect(await store.count('audit', 'byApp', { equals: ['x'], range: { gt: 5, lte: 9 }, limit: 1 })).toBe(4)
  })

  test('the fields a query leaves open order the records, in the index order, then id', async () => {
    const { store } = await engine.open()
    await store.insert('runs', { id: 'r1', appId: 'a', connectionId: 'k2', seq: 1 })
    await store.insert('runs', { id: 'r2', appId: 'a', connectionId: 'k1', seq: 2 })
    await store.insert('runs', { id: 'r3', appId: 'a', connectionId: 'k1', seq: 1 })
    await store.insert('runs', { id: 'r4', appId: 'b', connectionId: 'k1', seq: 1 })
    expect(ids(await store.find('runs', 'byConnection', { equals: ['a'] }))).toEqual(['r3', 'r2', 'r1'])
    expect(ids(await store.find('runs', 'byConnection', { equals: ['a'], order: 'desc' }))).toEqual(['r1', 'r2', 'r3'])
    expect(ids(await store.find('runs', 'byConnection', { equals: ['a', 'k1'], range: { gte: 2 } }))).toEqual(['r2'])
    expect(ids(await store.find('runs', 'byConnection', { equals: ['a', 'k1', 1] }))).toEqual(['r3'])
  })

  test('records without a usable value at a field: never equal, never in a range, last in order (first in desc)', async () => {
    const { store } = await engine.open()
    await store.insert('connections', connection('c1', 'a', { createdAt: '2025-02-01' }))
    await store.insert('connections', connection('c2', 'a', { createdAt: undefined }))
    await store.insert('connections', connection('c3', 'a', { createdAt: null }))
    await store.insert('connections', connection('c4', 'a', { createdAt: { at: 1 } }))
    await store.insert('connections', connection('c5', 'a', { createdAt: '2025-01-01' }))
    await store.insert('connections', { id: 'c6', createdAt: '2025-01-01' })
    expect(ids(await store.find('connections', 'byApp', { equals: ['a'] }))).toEqual(['c5', 'c1', 'c2', 'c3', 'c4'])
    expect(ids(await store.find('connections', 'byApp', { equals: ['a'], order: 'desc' }))).toEqual(['c4', 'c3', 'c2', 'c1', 'c5'])
    expect(ids(await store.find('connections', 'byApp', { equals: ['a'], range: { gte: '2025' } }))).toEqual(['c5', 'c1'])
    expect(ids(await store.find('connections', 'byApp', { equals: ['a'], range: { lt: '2025-02' } }))).toEqual(['c5'])
    expect(await store.count('connections', 'byApp', { equals: ['a'] })).toBe(5)
    expect(ids(await store.find('connections', 'byConnector', { equals: ['github'] }))).toEqual(['c1', 'c2', 'c3', 'c4', 'c5'])
  })

  test('an array path indexes a record under each element, and finds it once', async () => {
    const { store } = await engine.open()
    await store.insert('apps', { id: 'app2', members: [{ userId: 'u1' }, { userId: 'u2' }, { userId: 'u1' }] })
    await store.insert('apps', { id: 'app1', members: [{ userId: 'u1', role: 'admin' }] })
    await store.insert('apps', { id: 'app3', members: [{ userId: 'u3' }, { role: 'member' }] })
    await store.insert('apps', { id: 'app4', members: [] })
    await store.insert('apps', { id: 'app5' })
    expect(ids(await store.find('apps', 'byMember', { equals: ['u1'] }))).toEqual(['app1', 'app2'])
    expect(ids(await store.find('apps', 'byMember', { equals: ['u1'], order: 'desc' }))).toEqual(['app2', 'app1'])
    expect(ids(await store.find('apps', 'byMember', { equals: ['u2'] }))).toEqual(['app2'])
    expect(ids(await store.find('apps', 'byMember', { equals: ['u3'] }))).toEqual(['app3'])
    expect(await store.find('apps', 'byMember', { equals: ['u9'] })).toEqual([])
    expect(await store.count('apps', 'byMember', { equals: ['u1'] })).toBe(2)
    await store.put('apps', { id: 'app2', members: [{ userId: 'u2' }] })
    expect(ids(await store.find('apps', 'byMember', { equals: ['u1'] }))).toEqual(['app1'])
  })

  test('a value is found by its type: the number 5 is not the string "5"', async () => {
    const { store } = await engine.open()
    await store.insert('audit', { id: 'n', appId: 'a', seq: 5 })
    await store.insert('audit', { id: 's', appId: 'a', seq: '5' })
    expect(ids(await store.find('audit', 'byApp', { equals: ['a', 5] }))).toEqual(['n'])
    expect(ids(await store.find('audit', 'byApp', { equals: ['a', '5'] }))).toEqual(['s'])
  })

  test('limit 0 finds nothing; unique indexes are read like any other', async () => {
    const { store } = await engine.open()
    await store.insert('users', { id: 'u1', email: 'ada@example.com', createdAt: '2025-01-02' })
    await store.insert('users', { id: 'u2', email: 'bob@example.com', createdAt: '2025-01-01' })
    expect(await store.find('users', 'byEmail', { equals: ['ada@example.com'], limit: 0 })).toEqual([])
    expect(ids(await store.find('users', 'byEmail', { equals: ['ada@example.com'] }))).toEqual(['u1'])
    expect(ids(await store.find('users', 'byCreated', { equals: [] }))).toEqual(['u2', 'u1'])
    expect(ids(await store.find('users', 'byCreated', { equals: [], range: { gt: '2025-01-01' } }))).toEqual(['u1'])
  })

  test('scan pages through a collection in id order', async () => {
    const { store } = await engine.open()
    const all = Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, '0')}`).sort()
    for (const id of [...all].reverse()) await store.insert('tokens', { id, userId: 'u' })
    await store.insert('users', { id: 'other' })
    const pages: string[][] = []
    let after: string | undefined
    for (;;) {
      const page = await store.scan('tokens', after === undefined ? { limit: 10 } : { after, limit: 10 })
      if (page.length === 0) break
      pages.push(ids(page))
      after = page.at(-1)!.id
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5])
    expect(pages.flat()).toEqual(all)
    expect(await store.scan('tokens', { after: 't23', limit: 10 })).toEqual([{ id: 't24', userId: 'u' }])
    expect(await store.scan('oauthApps', { limit: 10 })).toEqual([])
  })

  test('a malformed query is a programming error: 500 store_invalid_query', async () => {
    const { store } = await engine.open()
    const invalid = { status: 500, code: 'store_invalid_query' }
    // An index of another collection: refused at run time
    await expect(store.find('connections', 'byEmail', { equals: ['x'] })).rejects.toMatchObject(invalid)
    await expect(store.find('connections', 'byApp', { equals: ['a', 'b', 'c'] })).rejects.toMatchObject(invalid)
    await expect(store.find('connections', 'byConnector', { equals: ['a'], range: { gt: 'b' } })).rejects.toMatchObject(invalid)
    await expect(store.count('connections', 'byApp', { equals: [{} as never] })).rejects.toMatchObject(invalid)
    await expect(store.find('connections', 'byApp', { equals: ['a'], limit: -1 })).rejects.toMatchObject(invalid)
  })
})
