import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { recordingLog, runFixture, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const quiet = { log: () => {} }

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const name of (await readdir(dir)).sort()) files[name] = (await readFile(join(dir, name))).toString('base64')
  return files
}

test('a second process is refused with a clear message and changes nothing', async () => {
  const dir = await tempDir()
  const seed = await createEmbeddedStore({ dir, ...quiet })
  await seed.insert('apps', { id: 'app_1', name: 'Demo' })
  await seed.close()
  const holder = runFixture('embedded-open-store.ts', [dir, 'hold'])
  try {
    await holder.waitForLine((l) => l === 'ready')
    const before = await snapshot(dir)
    const second = runFixture('embedded-open-store.ts', [dir, 'try'])
    expect(await second.exited).toBe(3)
    expect(second.stderr()).toContain(
      `Another Switchboard process (pid ${holder.process.pid}) is using the data directory ${dir}. ` +
        'Stop it or choose another SWITCHBOARD_DATA_DIR.',
    )
    expect(await snapshot(dir)).toEqual(before)
  } finally {
    holder.process.kill('SIGKILL')
    await holder.exited
  }
  // Once the holder is gone (killed, so its lock file stays), the directory opens again.
  const after = await createEmbeddedStore({ dir, ...quiet })
  expect(await after.get('apps', 'app_1')).toEqual({ id: 'app_1', name: 'Demo' })
  await after.close()
})

test('one directory is one store in a process too, whichever engine holds it', async () => {
  const dir = await tempDir()
  const store = await createEmbeddedStore({ dir, ...quiet })
  await expect(createEmbeddedStore({ dir, ...quiet })).rejects.toMatchObject({ code: 'store_locked' })
  await store.close()
  expect(await readdir(dir)).not.toContain('switchboard.lock')
  const again = await createEmbeddedStore({ dir, ...quiet })
  await again.close()
})

test('a data directory written by an earlier version (format 1) opens as it is, with its indexes built', async () => {
  const dir = await tempDir()
  // What the earlier engine wrote: format 1, records by collection and id, two-space indented.
  const collections = {
    users: { u1: { id: 'u1', email: 'ada@example.com', createdAt: '2025-01-01' } },
    apps: { default: { id: 'default', name: 'Default', members: [{ userId: 'u1', role: 'admin' }] } },
    connections: { c1: { id: 'c1', appId: 'default', connectorId: 'github', nameKey: 'work', createdAt: '2025-01-02' } },
    credentials: { k1: { id: 'k1', connectionId: 'c1', sealed: { kid: 'k', iv: 'aa', data: 'bb' } } },
    audit: { e1: { id: 'e1', appId: 'default', connectionId: 'c1', seq: 1 } },
  }
  await writeFile(join(dir, 'store.json'), `${JSON.stringify({ format: 1, collections }, null, 2)}\n`, { mode: 0o600 })
  const written = await readFile(join(dir, 'store.json'), 'utf8')

  const store = await createEmbeddedStore({ dir, ...quiet })
  // Opening alone rewrites nothing but the backup: same format, same file.
  expect(await readFile(join(dir, 'store.json'), 'utf8')).toBe(written)
  expect((await store.find('apps', 'byMember', { equals: ['u1'] })).map((a) => a.id)).toEqual(['default'])
  expect((await store.find('connections', 'byApp', { equals: ['default'] })).map((c) => c.id)).toEqual(['c1'])
  expect(await store.find('credentials', 'byConnection', { equals: ['c1'] })).toEqual([
    { id: 'k1', connectionId: 'c1', sealed: { kid: 'k', iv: 'aa', data: 'bb' } },
  ])
  await expect(store.insert('users', { id: 'u2', email: 'ada@example.com' })).rejects.toMatchObject({ code: 'conflict' })
  await store.insert('runs', { id: 'r1', appId: 'default', connectionId: 'c1', seq: 1, at: '2025-01-03' })
  await store.update('connections', 'c1', (c) => c && { ...c, status: 'connected' })
  await store.close()

  // Still format 1: an earlier version reads what this one writes.
  expect(JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')).format).toBe(1)
})

test('an acknowledged write is already in the file on disk, with restrictive modes', async () => {
  const dir = join(await tempDir(), 'data')
  const store = await createEmbeddedStore({ dir, ...quiet })
  const results = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      await store.insert('connections', { id: `c${i}`, appId: 'a' })
      // Read the file the moment this insert is acknowledged, before anything else can run.
      return JSON.parse(await readFile(join(dir, 'store.json'), 'utf8')) as { collections: { connections: object } }
    }),
  )
  results.forEach((file, i) => expect(file.collections.connections).toHaveProperty(`c${i}`))
  await store.close()
  if (process.platform !== 'win32') {
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
    expect((await stat(join(dir, 'store.json'))).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'store.json.bak'))).mode & 0o777).toBe(0o600)
  }
})

test('a store file others can read is restricted on open, and the log says so', async () => {
  if (process.platform === 'win32') return
  const dir = await tempDir()
  const seed = await createEmbeddedStore({ dir, ...quiet })
  await seed.insert('meta', { id: 'm1' })
  await seed.close()
  await chmod(join(dir, 'store.json'), 0o644)
  const log = recordingLog()
  const store = await createEmbeddedStore({ dir, log })
  expect(log.lines).toEqual([`warn: ${join(dir, 'store.json')} could be read by other users (mode 0644); restricted it to 0600.`])
  await store.close()
})

test('a damaged file is restored from the last good backup, loudly, and kept aside; without one, refused', async () => {
  const dir = await tempDir()
  const seed = await createEmbeddedStore({ dir, ...quiet })
  await seed.insert('connections', { id: 'c1', appId: 'a' })
  await seed.close()
  const main = join(dir, 'store.json')
  await writeFile(main, (await readFile(main, 'utf8')).slice(0, 40))
  const log = recordingLog()
  const store = await createEmbeddedStore({ dir, log })
  expect(await store.find('connections', 'byApp', { equals: ['a'] })).toEqual([{ id: 'c1', appId: 'a' }])
  expect(log.lines).toHaveLength(1)
  expect(log.lines[0]).toMatch(/^warn: .*store\.json was damaged \(not valid JSON.*restored the last good copy/)
  await store.close()
  expect((await readdir(dir)).some((name) => name.startsWith('store.json.damaged-'))).toBe(true)

  await writeFile(main, '{"format": 1, "collections": []}')
  await rm(join(dir, 'store.json.bak'))
  await expect(createEmbeddedStore({ dir, ...quiet })).rejects.toMatchObject({ code: 'store_damaged' })
  // Refused, not replaced by an empty store.
  expect(await readFile(main, 'utf8')).toBe('{"format": 1, "collections": []}')
})

test('a file from a newer version is refused with both versions named', async () => {
  const dir = await tempDir()
  await writeFile(join(dir, 'store.json'), '{"format": 99, "collections": {}}')
  await chmod(dir, 0o700)
  await expect(createEmbeddedStore({ dir, ...quiet })).rejects.toThrow(/uses store format 99, but this Switchboard understands format 1/)
})

test('a failed write is reported to those who wait, logged for relaxed writes, and retried until it goes out', async () => {
  const dir = await tempDir()
  const log = recordingLog()
  const store = await createEmbeddedStore({ dir, log })
  await store.insert('meta', { id: 'before' })
  // A directory where the file is: the rename onto it fails, as a full or broken disk would fail it.
  await rm(join(dir, 'store.json'))
  await mkdir(join(dir, 'store.json', 'blocker'), { recursive: true })
  await expect(store.insert('meta', { id: 'durable' })).rejects.toMatchObject({ status: 503, code: 'store_write_failed' })
  await store.put('meta', { id: 'relaxed' }, { durability: 'relaxed' })
  expect(await store.get('meta', 'relaxed')).toEqual({ id: 'relaxed' })
  // The relaxed write fails too, with nobody waiting: only the log tells.
  const failures = () => log.lines.filter((line) => line.startsWith(`warn: Could not write ${join(dir, 'store.json')}`)).length
  for (let i = 0; i < 300 && failures() < 2; i++) await new Promise((done) => setTimeout(done, 10))
  expect(failures()).toBe(2)
  // Once the disk is fixed, the retry writes everything that stayed in memory, with nobody asking.
  await rm(join(dir, 'store.json'), { recursive: true })
  const onDisk = async () =>
    JSON.parse(await readFile(join(dir, 'store.json'), 'utf8').catch(() => '{}')) as { collections?: { meta?: object } }
  for (let i = 0; i < 300 && !(await onDisk()).collections?.meta; i++) await new Promise((done) => setTimeout(done, 20))
  expect(Object.keys((await onDisk()).collections!.meta!).sort()).toEqual(['before', 'durable', 'relaxed'])
  await store.close()
})
