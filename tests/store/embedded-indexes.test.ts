import { expect, test } from 'vitest'
import type { IndexQuery, Store, StoreRecord } from '../../runtime/platform/store/contract.ts'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()

async function open(): Promise<{ dir: string; store: Store }> {
  const dir = await tempDir()
  return { dir, store: await createEmbeddedStore({ dir, log: () => {} }) }
}

const ids = (records: StoreRecord[]) => records.map((r) => r.id)

/** Audit entries of two apps and three connections, seq 1..30, inserted out of order. */
async function seedAudit(store: Store): Promise<void> {
  const order = Array.from({ length: 30 }, (_, i) => (i * 7) % 30)
  for (const i of order) {
    await store.insert('audit', {
      id: `e${String(i + 1).padStart(2, '0')}`,
      appId: i % 2 ? 'app_b' : 'app_a',
      connectionId: `c${i % 3}`,
      seq: i + 1,
    })
  }
}

test('find: equals on a prefix, ranges, order and limit, in index order', async () => {
  const { store } = await open()
  await seedAudit(store)
  const find = (index: 'byApp' | 'byConnection', query: IndexQuery) => store.find('audit', index, query).then(ids)
  expect(await find('byApp', { equals: ['app_a'], limit: 3 })).toEqual(['e01', 'e03', 'e05'])
  expect(await find('byApp', { equals: ['app_a'], order: 'desc', limit: 3 })).toEqual(['e29', 'e27', 'e25'])
  expect(await find('byApp', { equals: ['app_b'], range: { gt: 10, lte: 16 } })).toEqual(['e12', 'e14', 'e16'])
  expect(await find('byApp', { equals: ['app_b'], range: { gte: 10, lt: 16 } })).toEqual(['e10', 'e12', 'e14'])
  // "The newest 50 below seq 900", the contract's own example.
  expect(await find('byApp', { equals: ['app_a'], range: { lt: 9 }, order: 'desc', limit: 50 })).toEqual(['e07', 'e05', 'e03', 'e01'])
  expect(await find('byApp', { equals: ['app_a'], range: { gt: 29 } })).toEqual([])
  expect(await find('byApp', { equals: ['app_c'] })).toEqual([])
  expect(await find('byApp', { equals: ['app_a'], limit: 0 })).toEqual([])
  // All three fields: appId, connectionId, seq.
  expect(await find('byConnection', { equals: ['app_a', 'c0'] })).toEqual(['e01', 'e07', 'e13', 'e19', 'e25'])
  expect(await find('byConnection', { equals: ['app_a', 'c0', 13] })).toEqual(['e13'])
  expect(await find('byConnection', { equals: ['app_b', 'c1'], range: { gte: 20 }, order: 'desc' })).toEqual(['e26', 'e20'])
  // No equals at all: the whole index, in its order.
  expect((await find('byApp', { equals: [] })).slice(0, 3)).toEqual(['e01', 'e03', 'e05'])
  expect(await store.count('audit', 'byApp', { equals: [] })).toBe(30)
  expect(await store.count('audit', 'byApp', { equals: ['app_b'], range: { gt: 10 }, limit: 1 })).toBe(10)
  expect(await store.count('audit', 'byConnection', { equals: ['app_a', 'c2'] })).toBe(5)
  await store.close()
})

test('indexes follow every write: update, put, delete, transaction', async () => {
  const { store } = await open()
  await store.insert('connections', { id: 'c1', appId: 'a', connectorId: 'github', createdAt: '2025-01-02' })
  await store.insert('connections', { id: 'c2', appId: 'a', connectorId: 'jira', createdAt: '2025-01-01' })
  const byApp = (appId: string) => store.find('connections', 'byApp', { equals: [appId] }).then(ids)
  expect(await byApp('a')).toEqual(['c2', 'c1'])
  await store.update('connections', 'c2', (c) => c && { ...c, createdAt: '2025-01-03' })
  expect(await byApp('a')).toEqual(['c1', 'c2'])
  await store.put('connections', { id: 'c1', appId: 'b', connectorId: 'github', createdAt: '2025-01-02' })
  expect(await byApp('a')).toEqual(['c2'])
  expect(await byApp('b')).toEqual(['c1'])
  await store.delete('connections', 'c2')
  expect(await byApp('a')).toEqual([])
  await store.transaction(async (tx) => {
    await tx.put('connections', { id: 'c3', appId: 'a', connectorId: 'slack', createdAt: '2025-02-01' })
    await tx.delete('connections', 'c1')
  })
  expect(await byApp('a')).toEqual(['c3'])
  expect(await byApp('b')).toEqual([])
  expect(ids(await store.find('connections', 'byConnector', { equals: ['slack'] }))).toEqual(['c3'])
  await store.close()
})

test('an array path indexes every element; a record comes once however many elements match', async () => {
  const { store } = await open()
  await store.insert('apps', {
    id: 'app_1',
    members: [
      { userId: 'u1', role: 'admin' },
      { userId: 'u2', role: 'member' },
    ],
  })
  await store.insert('apps', { id: 'app_2', members: [{ userId: 'u2' }, { userId: 'u2' }, { role: 'no user' }, 'junk'] })
  await store.insert('apps', { id: 'app_3', members: [] })
  await store.insert('apps', { id: 'app_4' })
  const byMember = (query: IndexQuery) => store.find('apps', 'byMember', query).then(ids)
  expect(await byMember({ equals: ['u1'] })).toEqual(['app_1'])
  expect(await byMember({ equals: ['u2'] })).toEqual(['app_1', 'app_2'])
  expect(await store.count('apps', 'byMember', { equals: ['u2'] })).toBe(2)
  expect(await byMember({ equals: [], range: { gte: 'u1' } })).toEqual(['app_1', 'app_2'])
  expect(await store.count('apps', 'byMember', { equals: [], range: { gte: 'u1' } })).toBe(2)
  expect(await byMember({ equals: [], range: { gte: 'u1' }, limit: 1 })).toEqual(['app_1'])
  await store.update('apps', 'app_1', (a) => a && { ...a, members: [{ userId: 'u3' }] })
  expect(await byMember({ equals: ['u1'] })).toEqual([])
  expect(await byMember({ equals: ['u3'] })).toEqual(['app_1'])
  await store.close()
})

test('a record without a value at a field: found by the fields before it, after the others; never equal, never in range', async () => {
  const { store } = await open()
  await store.insert('connections', { id: 'c1', appId: 'a', createdAt: '2025-01-02' })
  await store.insert('connections', { id: 'c2', appId: 'a' })
  await store.insert('connections', { id: 'c3', appId: 'a', createdAt: null })
  await store.insert('connections', { id: 'c4', appId: 'a', createdAt: { not: 'a scalar' } })
  await store.insert('connections', { id: 'c5', createdAt: '2025-01-01' })
  await store.insert('connections', { id: 'c6', appId: 'a', createdAt: '2025-01-01' })
  const byApp = (query: IndexQuery) => store.find('connections', 'byApp', query).then(ids)
  expect(await byApp({ equals: ['a'] })).toEqual(['c6', 'c1', 'c2', 'c3', 'c4'])
  expect(await byApp({ equals: ['a'], order: 'desc' })).toEqual(['c4', 'c3', 'c2', 'c1', 'c6'])
  expect(await byApp({ equals: ['a'], range: { gte: '2025' } })).toEqual(['c6', 'c1'])
  expect(await byApp({ equals: ['a'], range: { lt: '2026' }, order: 'desc' })).toEqual(['c1', 'c6'])
  expect(await store.count('connections', 'byApp', { equals: ['a'], range: { gt: '' } })).toBe(2)
  expect(await byApp({ equals: [] })).toHaveLength(6)
  await store.close()
})

test('unique indexes: a taken value is a 409 for insert, put, update and transactions; missing values never clash', async () => {
  const { store } = await open()
  const conflict = { status: 409, code: 'conflict' }
  await store.insert('users', { id: 'u1', email: 'ada@example.com' })
  await expect(store.insert('users', { id: 'u2', email: 'ada@example.com' })).rejects.toMatchObject(conflict)
  await expect(store.put('users', { id: 'u2', email: 'ada@example.com' })).rejects.toMatchObject(conflict)
  await store.insert('users', { id: 'u2', email: 'bob@example.com' })
  await expect(store.update('users', 'u2', (u) => u && { ...u, email: 'ada@example.com' })).rejects.toMatchObject(conflict)
  // The message names the fields, never the value.
  await expect(store.insert('users', { id: 'u3', email: 'ada@example.com' })).rejects.toThrow(
    'Another users record already has the same email (unique index byEmail).',
  )
  // A record may keep its own value, and give it up to another in one transaction.
  await store.update('users', 'u1', (u) => u && { ...u, name: 'Ada' })
  await store.put('users', { id: 'u1', email: 'ada@example.com', name: 'Ada L.' })
  await store.transaction(async (tx) => void (await tx.put('users', { id: 'u1', email: 'ada@example.com' })))
  await store.transaction(async (tx) => {
    await tx.put('users', { id: 'u1', email: 'ada@old.example.com' })
    await tx.put('users', { id: 'u3', email: 'ada@example.com' })
  })
  expect(ids(await store.find('users', 'byEmail', { equals: ['ada@example.com'] }))).toEqual(['u3'])
  // Inside a transaction the clash is seen at once, against stored and staged records, and nothing applies.
  await expect(
    store.transaction(async (tx) => {
      await tx.put('users', { id: 'u4', email: 'carol@example.com' })
      await expect(tx.insert('users', { id: 'u5', email: 'carol@example.com' })).rejects.toMatchObject(conflict)
      await expect(tx.put('users', { id: 'u5', email: 'bob@example.com' })).rejects.toMatchObject(conflict)
      await tx.put('users', { id: 'u5', email: 'dan@example.com' })
      throw new Error('give up')
    }),
  ).rejects.toThrow('give up')
  expect(await store.get('users', 'u4')).toBeUndefined()
  // Records without an email do not clash; nor do multi-field keys that differ in one field.
  await store.insert('users', { id: 'n1' })
  await store.insert('users', { id: 'n2', email: null })
  await store.insert('connections', { id: 'c1', appId: 'a', connectorId: 'github', nameKey: 'work' })
  await store.insert('connections', { id: 'c2', appId: 'a', connectorId: 'jira', nameKey: 'work' })
  await store.insert('connections', { id: 'c3', appId: 'a', connectorId: 'jira' })
  await store.insert('connections', { id: 'c4', appId: 'a', connectorId: 'jira' })
  await expect(store.insert('connections', { id: 'c5', appId: 'a', connectorId: 'github', nameKey: 'work' })).rejects.toMatchObject(
    conflict,
  )
  await store.close()
})

test('a transaction whose unique value was taken meanwhile by another writer applies nothing', async () => {
  const { store } = await open()
  let staged!: () => void
  const stagedYet = new Promise<void>((done) => (staged = done))
  const tx = store.transaction(async (tx) => {
    await tx.put('users', { id: 'u1', email: 'ada@example.com' })
    await tx.put('meta', { id: 'side-effect' })
    staged()
    await new Promise((done) => setTimeout(done, 10))
  })
  // Its refusal may come while the insert below is still being written: held from the start, never unhandled.
  const outcome = tx.then(
    () => undefined,
    (error: unknown) => error,
  )
  await stagedYet
  await store.insert('users', { id: 'u2', email: 'ada@example.com' })
  expect(await outcome).toMatchObject({ status: 409, code: 'conflict' })
  expect(await store.get('users', 'u1')).toBeUndefined()
  expect(await store.get('meta', 'side-effect')).toBeUndefined()
  await store.close()
})

test('find inside a transaction sees its own writes, merged into the index order', async () => {
  const { store } = await open()
  await seedAudit(store)
  await store.transaction(async (tx) => {
    await tx.delete('audit', 'e03')
    await tx.put('audit', { id: 'e05', appId: 'app_b', connectionId: 'c0', seq: 5 })
    await tx.put('audit', { id: 'x00', appId: 'app_a', connectionId: 'c0', seq: 0 })
    await tx.put('audit', { id: 'x99', appId: 'app_a', connectionId: 'c0', seq: 99 })
    const find = (query: IndexQuery) => tx.find('audit', 'byApp', query).then(ids)
    expect(await find({ equals: ['app_a'], limit: 4 })).toEqual(['x00', 'e01', 'e07', 'e09'])
    expect(await find({ equals: ['app_a'], order: 'desc', limit: 2 })).toEqual(['x99', 'e29'])
    expect(await find({ equals: ['app_b'], range: { lte: 6 } })).toEqual(['e02', 'e04', 'e05', 'e06'])
    // Outside, nothing has happened yet.
    expect(ids(await store.find('audit', 'byApp', { equals: ['app_a'], limit: 2 }))).toEqual(['e01', 'e03'])
  })
  expect(ids(await store.find('audit', 'byApp', { equals: ['app_a'], limit: 2 }))).toEqual(['x00', 'e01'])
  await store.close()
})

test('malformed queries are refused by name, not answered empty', async () => {
  const { store } = await open()
  const invalid = { status: 500, code: 'store_invalid_query' }
  await expect(store.find('audit', 'byNothing' as 'byApp', { equals: [] })).rejects.toMatchObject(invalid)
  await expect(store.find('audit', 'byApp', { equals: ['a', 1, 2] })).rejects.toThrow('audit index byApp has 2 fields')
  await expect(store.find('audit', 'byApp', { equals: [undefined as unknown as string] })).rejects.toThrow('for "appId"')
  await expect(store.find('audit', 'byApp', { equals: ['a', 1], range: { gt: 1 } })).rejects.toMatchObject(invalid)
  await expect(store.find('audit', 'byApp', { equals: ['a'], range: { gt: {} as string } })).rejects.toMatchObject(invalid)
  await expect(store.find('audit', 'byApp', { equals: ['a'], limit: -1 })).rejects.toMatchObject(invalid)
  await expect(store.find('audit', 'byApp', { equals: ['a'], order: 'up' as 'asc' })).rejects.toMatchObject(invalid)
  await expect(store.count('audit', 'byApp', {} as IndexQuery)).rejects.toMatchObject(invalid)
  await store.close()
})

test('indexes are rebuilt when the store opens again', async () => {
  const { dir, store } = await open()
  await seedAudit(store)
  await store.insert('apps', { id: 'app_1', members: [{ userId: 'u1' }, { userId: 'u2' }] })
  await store.insert('users', { id: 'u1', email: 'ada@example.com', createdAt: '2025-01-01' })
  await store.close()
  const reopened = await createEmbeddedStore({ dir, log: () => {} })
  expect(ids(await reopened.find('audit', 'byConnection', { equals: ['app_b', 'c1'], range: { gte: 20 }, order: 'desc' }))).toEqual([
    'e26',
    'e20',
  ])
  expect(ids(await reopened.find('apps', 'byMember', { equals: ['u2'] }))).toEqual(['app_1'])
  await expect(reopened.insert('users', { id: 'u2', email: 'ada@example.com' })).rejects.toMatchObject({ code: 'conflict' })
  expect(await reopened.count('users', 'byCreated', { equals: [] })).toBe(1)
  await reopened.close()
})

test('ids and values holding the characters index keys are built with are found as they are', async () => {
  const { store } = await open()
  const odd = ['a\u0000b', 'a\u0001', 'a', 'a\u0000', '\u0001\u0001', '']
  for (const [i, text] of odd.entries()) {
    await store.insert('credentials', { id: `k${text}x${i}`, connectionId: text })
  }
  for (const [i, text] of odd.entries()) {
    expect(ids(await store.find('credentials', 'byConnection', { equals: [text] }))).toEqual([`k${text}x${i}`])
  }
  expect(ids(await store.find('credentials', 'byConnection', { equals: [], range: { gt: 'a', lt: 'a\u0001' } }))).toEqual([
    'ka\u0000x3',
    'ka\u0000bx0',
  ])
  await store.close()
})
