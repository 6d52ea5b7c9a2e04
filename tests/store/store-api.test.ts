import { access, mkdir, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import { expect, test } from 'vitest'
import { CURRENT_STORE_FORMAT, createLowdbStore, DurableJsonFile, type StoreFile } from '../../runtime/platform/store/index.ts'
import { useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()

async function open() {
  const dir = await tempDir()
  return { dir, store: await createLowdbStore({ dir, log: () => {} }) }
}

test('insert, get, list, update, delete', async () => {
  const { store } = await open()
  await store.insert('apps', { id: 'a1', name: 'One' })
  await store.insert('apps', { id: 'a2', name: 'Two' })
  expect(await store.get('apps', 'a1')).toEqual({ id: 'a1', name: 'One' })
  expect(await store.get('apps', 'nope')).toBeUndefined()
  expect(await store.list('apps', (a) => a.name === 'Two')).toEqual([{ id: 'a2', name: 'Two' }])
  expect(await store.list('users')).toEqual([])

  expect(await store.update('apps', 'a1', (a) => a && { ...a, name: 'Uno' })).toEqual({ id: 'a1', name: 'Uno' })
  expect(await store.update('apps', 'a3', (a) => a ?? { id: 'a3', name: 'Created' })).toEqual({ id: 'a3', name: 'Created' })
  expect(await store.update('apps', 'a2', () => undefined)).toBeUndefined()
  expect(await store.update('apps', 'missing', () => undefined)).toBeUndefined()
  expect(await store.delete('apps', 'a3')).toBe(true)
  expect(await store.delete('apps', 'a3')).toBe(false)
  expect(await store.list('apps')).toEqual([{ id: 'a1', name: 'Uno' }])
  await store.close()
})

test('an updater that throws changes nothing and does not hold up the next update', async () => {
  const { store } = await open()
  await store.insert('apps', { id: 'a1', n: 1 })
  await expect(store.update('apps', 'a1', () => Promise.reject(new Error('no')))).rejects.toThrow('no')
  expect(await store.update<{ id: string; n: number }>('apps', 'a1', (a) => a && { ...a, n: a.n + 1 })).toEqual({ id: 'a1', n: 2 })
  await store.close()
})

test('inserting an existing id is a 409 conflict', async () => {
  const { store } = await open()
  await store.insert('users', { id: 'u1' })
  await expect(store.insert('users', { id: 'u1' })).rejects.toMatchObject({ status: 409, code: 'conflict' })
  await store.close()
})

test('values handed out are copies: mutating them changes nothing stored', async () => {
  const { store } = await open()
  const input = { id: 'c1', config: { scopes: ['read'] } }
  const inserted = await store.insert('connections', input)
  input.config.scopes.push('input')
  inserted.config.scopes.push('inserted')
  const got = (await store.get<typeof input>('connections', 'c1'))!
  got.config.scopes.push('got')
  const [listed] = await store.list<typeof input>('connections')
  listed!.config.scopes.push('listed')
  await store.update<typeof input>('connections', 'c1', (current) => {
    current!.config.scopes.push('updater-mutated-its-copy')
    return current
  })
  await store.update<typeof input>('connections', 'c1', (current) => {
    expect(current!.config.scopes).toEqual(['read', 'updater-mutated-its-copy'])
    return current
  })
  await store.close()
})

test('the filter sees read-only records', async () => {
  const { store } = await open()
  await store.insert('apps', { id: 'a1', name: 'One' })
  await expect(store.list('apps', (a) => ((a.name = 'changed'), true))).rejects.toThrow(TypeError)
  expect(await store.get('apps', 'a1')).toEqual({ id: 'a1', name: 'One' })
  await store.close()
})

test('ids that are also Object.prototype names are ordinary ids', async () => {
  const { dir, store } = await open()
  for (const id of ['__proto__', 'constructor', 'toString']) await store.insert('meta', { id })
  expect(await store.get('meta', 'hasOwnProperty')).toBeUndefined()
  await store.close()
  const reopened = await createLowdbStore({ dir, log: () => {} })
  expect((await reopened.list('meta')).map((r) => r.id).sort()).toEqual(['__proto__', 'constructor', 'toString'])
  await reopened.close()
})

test('records that cannot be stored as they are are refused', async () => {
  const { store } = await open()
  await expect(store.insert('apps', { id: '' })).rejects.toMatchObject({ code: 'store_invalid_record' })
  await expect(store.insert('apps', { id: 'big', n: 1n } as never)).rejects.toMatchObject({ code: 'store_invalid_record' })
  await store.insert('apps', { id: 'a1' })
  await expect(store.update('apps', 'a1', () => ({ id: 'a2' }))).rejects.toThrow('ids cannot change')
  await expect(store.get('nope' as never, 'x')).rejects.toThrow('Unknown store collection "nope"')
  await store.close()
})

test('a transaction applies all of its changes in one go, or none', async () => {
  const { dir, store } = await open()
  await store.insert('connections', { id: 'c1' })
  await store.insert('credentials', { id: 'k1', connectionId: 'c1' })
  await store.insert('credentials', { id: 'k2', connectionId: 'c1' })

  await expect(
    store.transaction((tx) => {
      tx.delete('connections', 'c1')
      throw new Error('changed my mind')
    }),
  ).rejects.toThrow('changed my mind')
  expect(await store.get('connections', 'c1')).toBeDefined()

  const removed = await store.transaction((tx) => {
    tx.delete('connections', 'c1')
    const credentials = tx.list<{ id: string; connectionId: string }>('credentials', (c) => c.connectionId === 'c1')
    for (const c of credentials) tx.delete('credentials', c.id)
    tx.put('audit', { id: 'e1', event: 'connection.deleted' })
    expect(tx.get('connections', 'c1')).toBeUndefined() // a transaction sees its own changes
    return credentials.length
  })
  expect(removed).toBe(2)
  await store.close()
  const file = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as StoreFile
  expect(file.collections.connections).toEqual({})
  expect(file.collections.credentials).toEqual({})
  expect(file.collections.audit).toEqual({ e1: { id: 'e1', event: 'connection.deleted' } })
})

test('the transaction object cannot be used after the transaction', async () => {
  const { store } = await open()
  let leaked: Parameters<Parameters<typeof store.transaction>[0]>[0] | undefined
  await store.transaction((tx) => void (leaked = tx))
  expect(() => leaked!.put('apps', { id: 'late' })).toThrow('This transaction has finished')
  await store.close()
})

test('the file carries its format version', async () => {
  const { dir, store } = await open()
  await store.insert('apps', { id: 'a1' })
  await store.close()
  const file = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as StoreFile
  expect(file).toEqual({ format: CURRENT_STORE_FORMAT, collections: { apps: { a1: { id: 'a1' } } } })
})

test('the adapter works with plain lowdb', async () => {
  const dir = await tempDir()
  const file = new DurableJsonFile(join(dir, 'plain.json'))
  const db = new Low<StoreFile>(file, { format: CURRENT_STORE_FORMAT, collections: {} })
  await db.read()
  await db.update((data) => void (data.collections.apps = { a1: { id: 'a1' } }))
  expect(await file.read()).toEqual({ format: 1, collections: { apps: { a1: { id: 'a1' } } } })
})

test('bad options are refused before anything touches the disk', async () => {
  const dir = join(await tempDir(), 'not-yet')
  await expect(createLowdbStore({ dir: '' })).rejects.toThrow('"dir" must be a non-empty path')
  await expect(createLowdbStore({ dir, fileName: '../escape.json' })).rejects.toThrow('"fileName" must be a plain file name')
  await expect(createLowdbStore({ dir, fileName: 'x.bak' })).rejects.toThrow('must not end in .tmp, .bak or .lock')
  await expect(createLowdbStore({ dir, backupIntervalMs: -1 })).rejects.toThrow('"backupIntervalMs"')
  await expect(createLowdbStore({ dir, log: 'loud' as never })).rejects.toThrow('"log" must be a function')
  await expect(access(dir)).rejects.toThrow()
})

test('a missing data directory is created, and the store file is written with private permissions', async () => {
  const dir = join(await tempDir(), 'nested', 'data')
  const store = await createLowdbStore({ dir, fileName: 'custom.json', log: () => {} })
  await store.insert('apps', { id: 'a1' })
  await store.close()
  if (process.platform !== 'win32') expect((await stat(join(dir, 'custom.json'))).mode & 0o777).toBe(0o600)
})

test('a failed write is reported as 503, and the change goes out with the next write', async () => {
  const { dir, store } = await open()
  await store.insert('apps', { id: 'a1' })
  // A directory where the file should be makes the rename fail, the way a full or broken disk would.
  await rm(join(dir, 'store.json'))
  await mkdir(join(dir, 'store.json'))
  await expect(store.insert('apps', { id: 'a2' })).rejects.toMatchObject({ status: 503, code: 'store_write_failed' })
  await rmdir(join(dir, 'store.json'))
  await store.insert('apps', { id: 'a3' })
  await store.close()
  expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  const file = JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as StoreFile
  expect(Object.keys(file.collections.apps!)).toEqual(['a1', 'a2', 'a3'])
})
