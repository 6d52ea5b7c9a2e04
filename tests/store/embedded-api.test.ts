import { expect, test } from 'vitest'
import type { StoreChange, StoreRecord } from '../../runtime/platform/store/contract.ts'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()

async function open() {
  const dir = await tempDir()
  return { dir, store: await createEmbeddedStore({ dir, log: () => {} }) }
}

test('get, insert, put, update, delete, with the engine named', async () => {
  const { store } = await open()
  expect(store.engine).toBe('embedded')
  expect(await store.insert('apps', { id: 'a1', name: 'One' })).toEqual({ id: 'a1', name: 'One' })
  await expect(store.insert('apps', { id: 'a1', name: 'Again' })).rejects.toMatchObject({ status: 409, code: 'conflict' })
  expect(await store.put('apps', { id: 'a1', name: 'Replaced' })).toEqual({ id: 'a1', name: 'Replaced' })
  expect(await store.put('apps', { id: 'a2', name: 'Two' })).toEqual({ id: 'a2', name: 'Two' })
  expect(await store.get('apps', 'a1')).toEqual({ id: 'a1', name: 'Replaced' })
  expect(await store.get('apps', 'nope')).toBeUndefined()

  expect(await store.update('apps', 'a1', (a) => a && { ...a, name: 'Uno' })).toEqual({ id: 'a1', name: 'Uno' })
  expect(await store.update('apps', 'a3', (a) => a ?? { id: 'a3', name: 'Created' })).toEqual({ id: 'a3', name: 'Created' })
  expect(await store.update('apps', 'a2', () => undefined)).toBeUndefined()
  expect(await store.get('apps', 'a2')).toBeUndefined()
  expect(await store.update('apps', 'missing', () => undefined)).toBeUndefined()
  expect(await store.delete('apps', 'a3')).toBe(true)
  expect(await store.delete('apps', 'a3')).toBe(false)
  expect(await store.scan('apps', { limit: 10 })).toEqual([{ id: 'a1', name: 'Uno' }])
  await store.close()
})

test('an update cannot change the id; an updater that throws changes nothing and holds nothing up', async () => {
  const { store } = await open()
  await store.insert('apps', { id: 'a1', n: 1 })
  await expect(store.update('apps', 'a1', (a) => a && { ...a, id: 'a2' })).rejects.toMatchObject({ code: 'store_invalid_record' })
  await expect(store.update('apps', 'a1', () => Promise.reject(new Error('no')))).rejects.toThrow('no')
  expect(await store.update<{ id: string; n: number }>('apps', 'a1', (a) => a && { ...a, n: a.n + 1 })).toEqual({ id: 'a1', n: 2 })
  await store.close()
})

test('what is handed out is a copy: changing it changes nothing stored', async () => {
  const { store } = await open()
  const input = { id: 'c1', appId: 'app', config: { scopes: ['read'] } }
  const inserted = await store.insert('connections', input)
  input.config.scopes.push('input')
  inserted.config.scopes.push('inserted')
  ;(await store.get<typeof input>('connections', 'c1'))!.config.scopes.push('got')
  ;(await store.find<typeof input>('connections', 'byApp', { equals: ['app'] }))[0]!.config.scopes.push('found')
  ;(await store.scan<typeof input>('connections', { limit: 1 }))[0]!.config.scopes.push('scanned')
  await store.update<typeof input>('connections', 'c1', (current) => {
    current!.config.scopes.push('changed-but-not-returned')
    return { ...input, config: { scopes: ['read'] } }
  })
  await store.transaction(async (tx) => {
    ;(await tx.get<typeof input>('connections', 'c1'))!.config.scopes.push('in-tx')
    ;(await tx.find<typeof input>('connections', 'byApp', { equals: ['app'] }))[0]!.config.scopes.push('in-tx-find')
  })
  expect(await store.get('connections', 'c1')).toEqual({ id: 'c1', appId: 'app', config: { scopes: ['read'] } })
  await store.close()
})

test('records are kept as JSON: what is read back is what a restart reads', async () => {
  const { dir, store } = await open()
  const odd = { id: 'x', when: new Date('2025-01-01T00:00:00Z'), gone: undefined, list: [1, undefined], nan: Number.NaN }
  const expected = { id: 'x', when: '2025-01-01T00:00:00.000Z', list: [1, null], nan: null }
  expect(await store.insert('meta', odd)).toEqual(expected)
  expect(await store.get('meta', 'x')).toEqual(expected)
  await expect(store.insert('meta', { id: 'big', n: 1n } as unknown as StoreRecord)).rejects.toMatchObject({ code: 'store_invalid_record' })
  await expect(store.insert('meta', { id: '' })).rejects.toMatchObject({ code: 'store_invalid_record' })
  await expect(store.get('nope' as 'meta', 'x')).rejects.toMatchObject({ code: 'store_invalid_record' })
  await store.close()
  const reopened = await createEmbeddedStore({ dir, log: () => {} })
  expect(await reopened.get('meta', 'x')).toEqual(expected)
  await reopened.close()
})

test('ids that are Object.prototype names are plain ids', async () => {
  const { store } = await open()
  await store.insert('meta', { id: '__proto__', n: 1 })
  await store.insert('meta', { id: 'constructor', n: 2 })
  expect(await store.get('meta', '__proto__')).toEqual({ id: '__proto__', n: 1 })
  expect(await store.get('meta', 'toString')).toBeUndefined()
  expect((await store.scan('meta', { limit: 5 })).map((r) => r.id)).toEqual(['__proto__', 'constructor'])
  await store.close()
})

test('scan pages through a collection in id order', async () => {
  const { store } = await open()
  await store.transaction(async (tx) => {
    for (let i = 0; i < 2500; i++) await tx.put('runs', { id: `r${String(i).padStart(5, '0')}`, at: i })
  })
  const seen: string[] = []
  for (let after: string | undefined; ; ) {
    const page = await store.scan('runs', { after, limit: 700 })
    seen.push(...page.map((r) => r.id))
    if (page.length < 700) break
    after = page.at(-1)!.id
  }
  expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => `r${String(i).padStart(5, '0')}`))
  expect(await store.scan('runs', { after: 'r02499', limit: 5 })).toEqual([])
  expect(await store.scan('tokens', { limit: 5 })).toEqual([])
  await expect(store.scan('runs', { limit: 0 })).rejects.toMatchObject({ code: 'store_invalid_query' })
  await store.close()
})

test('subscribe reports every committed change, and nothing that did not happen', async () => {
  const { store } = await open()
  const seen: StoreChange[] = []
  const stop = store.subscribe((change) => seen.push(change))
  await store.insert('apps', { id: 'a1' })
  await store.put('apps', { id: 'a1', name: 'x' }, { durability: 'relaxed' })
  await store.update('apps', 'a1', (a) => a && { ...a, n: 1 })
  await store.update('apps', 'missing', () => undefined)
  await store.delete('apps', 'missing')
  await store.transaction(async (tx) => {
    await tx.put('users', { id: 'u1' })
    await tx.delete('apps', 'a1')
  })
  await store
    .transaction(async (tx) => {
      await tx.put('users', { id: 'u2' })
      throw new Error('rolled back')
    })
    .catch(() => {})
  await expect(store.insert('apps', { id: 'a2' }).then(() => store.insert('apps', { id: 'a2' }))).rejects.toMatchObject({
    code: 'conflict',
  })
  stop()
  await store.delete('apps', 'a2')
  expect(seen).toEqual([
    { collection: 'apps', id: 'a1' },
    { collection: 'apps', id: 'a1' },
    { collection: 'apps', id: 'a1' },
    { collection: 'users', id: 'u1' },
    { collection: 'apps', id: 'a1' },
    { collection: 'apps', id: 'a2' },
  ])
  await store.close()
})

test('a listener that throws is logged and does not fail the write', async () => {
  const dir = await tempDir()
  const lines: string[] = []
  const store = await createEmbeddedStore({ dir, log: (level, message) => void lines.push(`${level}: ${message}`) })
  store.subscribe(() => {
    throw new Error('listener broke')
  })
  await store.insert('apps', { id: 'a1' })
  expect(await store.get('apps', 'a1')).toEqual({ id: 'a1' })
  expect(lines).toEqual(['warn: A store change listener failed: listener broke'])
  await store.close()
})

test('lock runs one holder of a name at a time, names apart', async () => {
  const { store } = await open()
  let inside = 0
  let most = 0
  const order: string[] = []
  const hold = (name: string, tag: string) =>
    store.lock(name, async () => {
      inside++
      most = Math.max(most, inside)
      order.push(`${tag}+`)
      await new Promise((done) => setTimeout(done, 5))
      order.push(`${tag}-`)
      inside--
      return tag
    })
  expect(await Promise.all([hold('refresh:c1', 'a'), hold('refresh:c1', 'b'), hold('refresh:c1', 'c')])).toEqual(['a', 'b', 'c'])
  expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-'])
  expect(most).toBe(1)
  // Another name does not wait.
  let otherRan = false
  await store.lock('x', async () => {
    await store.lock('y', async () => void (otherRan = true))
  })
  expect(otherRan).toBe(true)
  await expect(store.lock('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
  expect(await store.lock('x', async () => 'free again')).toBe('free again')
  await store.close()
})

test('after close every call is refused with 503 store_closed; close waits for what was under way', async () => {
  const { dir, store } = await open()
  const pending = Array.from({ length: 100 }, (_, i) => store.insert('audit', { id: `a${i}`, appId: 'x', seq: i }))
  const slow = store.transaction(async (tx) => {
    await new Promise((done) => setTimeout(done, 20))
    await tx.put('meta', { id: 'late' })
  })
  await store.close()
  await Promise.all([...pending, slow])
  const closed = { status: 503, code: 'store_closed' }
  await expect(store.get('audit', 'a1')).rejects.toMatchObject(closed)
  await expect(store.find('audit', 'byApp', { equals: ['x'] })).rejects.toMatchObject(closed)
  await expect(store.count('audit', 'byApp', { equals: ['x'] })).rejects.toMatchObject(closed)
  await expect(store.scan('audit', { limit: 1 })).rejects.toMatchObject(closed)
  await expect(store.insert('audit', { id: 'z' })).rejects.toMatchObject(closed)
  await expect(store.put('audit', { id: 'z' })).rejects.toMatchObject(closed)
  await expect(store.update('audit', 'z', () => undefined)).rejects.toMatchObject(closed)
  await expect(store.delete('audit', 'a1')).rejects.toMatchObject(closed)
  await expect(store.transaction(async () => 1)).rejects.toMatchObject(closed)
  await expect(store.lock('x', async () => 1)).rejects.toMatchObject(closed)
  expect(() => store.subscribe(() => {})).toThrow(expect.objectContaining(closed))
  await store.close()

  const reopened = await createEmbeddedStore({ dir, log: () => {} })
  expect(await reopened.count('audit', 'byApp', { equals: ['x'] })).toBe(100)
  expect(await reopened.get('meta', 'late')).toEqual({ id: 'late' })
  await reopened.close()
})

test('bad options are refused before anything touches the disk', async () => {
  await expect(createEmbeddedStore({ dir: '' })).rejects.toThrow('"dir" must be a non-empty path')
  await expect(createEmbeddedStore({ dir: await tempDir(), fileName: '../x.json' })).rejects.toThrow('plain file name')
  await expect(createEmbeddedStore({ dir: await tempDir(), fileName: 'x.bak' })).rejects.toThrow('must not end in')
  await expect(createEmbeddedStore({ dir: await tempDir(), backupIntervalMs: -1 })).rejects.toThrow('backupIntervalMs')
  const { store } = await open()
  await expect(store.put('apps', { id: 'a' }, { durability: 'eventually' as 'relaxed' })).rejects.toMatchObject({
    code: 'store_invalid_options',
  })
  await store.close()
})
