import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { recordingLog, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()

/** A data directory with two records, closed cleanly: store.json and store.json.bak both good. */
async function seeded(): Promise<{ dir: string; main: string; bak: string }> {
  const dir = await tempDir()
  const store = await createEmbeddedStore({ dir, log: () => {} })
  await store.insert('apps', { id: 'app_1', name: 'Demo' })
  await store.insert('connections', { id: 'conn_1', appId: 'app_1' })
  await store.close()
  return { dir, main: join(dir, 'store.json'), bak: join(dir, 'store.json.bak') }
}

async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name), 'utf8')
  return out
}

const damages: [string, (good: string) => string, RegExp][] = [
  ['truncated', (good) => good.slice(0, good.length / 2), /not valid JSON at line \d+, column \d+: (the text ends too early|unexpected)/],
  ['garbage', () => '\u0000\u0000garbage\u0000', /not valid JSON at line 1, column 1: unexpected/],
  ['empty', () => '', /the file is empty/],
  ['holding an array', () => '[]', /it is not a JSON object/],
  ['with a record under the wrong id', (good) => good.replace('"id": "app_1"', '"id": "app_2"'), /record "app_1" in collection "apps"/],
  ['without collections', () => '{"format": 1}', /"collections" is missing/],
]

test.each(damages)('store file %s: restored from the backup, loudly, and kept aside', async (_, damage, reason) => {
  const { dir, main, bak } = await seeded()
  const damaged = damage(await readFile(main, 'utf8'))
  await writeFile(main, damaged)
  const log = recordingLog()

  const store = await createEmbeddedStore({ dir, log })
  expect(await store.get('apps', 'app_1')).toEqual({ id: 'app_1', name: 'Demo' })
  expect(await store.get('connections', 'conn_1')).toEqual({ id: 'conn_1', appId: 'app_1' })
  await store.close()

  expect(log.lines).toHaveLength(1)
  expect(log.lines[0]).toMatch(`warn: ${main} was damaged (`)
  expect(log.lines[0]).toMatch(reason)
  expect(log.lines[0]).toContain(`restored the last good copy from ${bak}`)
  const aside = (await readdir(dir)).filter((name) => name.startsWith('store.json.damaged-'))
  expect(aside).toHaveLength(1)
  expect(log.lines[0]).toContain(join(dir, aside[0]!))
  expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe(damaged)
})

test('a damaged file with a damaged backup is refused with a clear message, and neither file changes', async () => {
  const { dir, main, bak } = await seeded()
  // The error sits on line 3, column 5: a property name without quotes.
  await writeFile(main, '{\n  "format": 1,\n    collections: {}\n}\n')
  await writeFile(bak, '{"format": 1, "collections": {"apps": ')
  const before = await files(dir)

  await expect(createEmbeddedStore({ dir, log: () => {} })).rejects.toMatchObject({
    code: 'store_damaged',
    message:
      `${main} is damaged (not valid JSON at line 3, column 5: unexpected "c") and there is no usable backup ` +
      `(${bak} is damaged too: not valid JSON at line 1, column 39: the text ends too early); move it aside to start empty, ` +
      'or restore it from your own backup.',
  })
  expect(await files(dir)).toEqual(before)
})

test('a damaged file without a backup is refused, and left as it is', async () => {
  const { dir, main, bak } = await seeded()
  await rm(bak)
  const text = '{"format": 1, "collections": {"apps": {"app_1": {"id": "app_1", "name": tru}}}}'
  await writeFile(main, text)
  const before = await files(dir)
  const column = text.indexOf('tru}') + 1
  await expect(createEmbeddedStore({ dir, log: () => {} })).rejects.toThrow(
    `${main} is damaged (not valid JSON at line 1, column ${column}: unexpected "t") and there is no usable backup (${bak} does not exist)`,
  )
  expect(await files(dir)).toEqual(before)
})

test('moving the damaged file aside, as the message says, starts empty; the damaged backup is set aside too', async () => {
  const { dir, main, bak } = await seeded()
  await rm(main)
  await writeFile(bak, 'garbage')
  const log = recordingLog()
  const store = await createEmbeddedStore({ dir, log })
  expect(await store.scan('apps', { limit: 10 })).toEqual([])
  await store.close()
  expect(log.lines[0]).toMatch(`warn: ${main} does not exist and its backup is damaged`)
  expect((await readdir(dir)).some((name) => name.startsWith('store.json.bak.damaged-'))).toBe(true)
})

test('a missing store file with a good backup is restored, with a warning', async () => {
  const { dir, main } = await seeded()
  await rm(main)
  const log = recordingLog()
  const store = await createEmbeddedStore({ dir, log })
  expect(await store.get('apps', 'app_1')).toEqual({ id: 'app_1', name: 'Demo' })
  await store.close()
  expect(log.lines[0]).toMatch(`warn: ${main} was missing; restored the last good copy`)
})

test('a file from a newer format is refused, even with a good backup, and nothing changes', async () => {
  const { dir, main } = await seeded()
  await writeFile(main, JSON.stringify({ format: 2, collections: {}, somethingNew: true }))
  const before = await files(dir)
  await expect(createEmbeddedStore({ dir, log: () => {} })).rejects.toMatchObject({
    code: 'store_format_unsupported',
    message:
      `${main} uses store format 2, but this Switchboard understands format 1 at most; it was written by a newer ` +
      'Switchboard. Upgrade Switchboard, or choose another SWITCHBOARD_DATA_DIR.',
  })
  expect(await files(dir)).toEqual(before)
})

test('the backup follows the store: refreshed on open and on close', async () => {
  const { dir, main, bak } = await seeded()
  expect(await readFile(bak, 'utf8')).toBe(await readFile(main, 'utf8'))
  const store = await createEmbeddedStore({ dir, log: () => {}, backupIntervalMs: 3_600_000 })
  await store.insert('apps', { id: 'app_2', name: 'Second' })
  // Within the interval, the backup still holds what the store held when it was opened…
  expect(JSON.parse(await readFile(bak, 'utf8')).collections.apps).not.toHaveProperty('app_2')
  await store.close()
  // …and catches up on close.
  expect(await readFile(bak, 'utf8')).toBe(await readFile(main, 'utf8'))
})
