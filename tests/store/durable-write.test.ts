import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { writeFileDurably } from '../../runtime/platform/store/internal/durable-write.ts'
import { useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()

test('a file written in pieces holds them in order, past the kernel limit of 1,024 pieces per system call', async () => {
  const dir = await tempDir()
  const path = join(dir, 'store.json')
  const parts = Array.from({ length: 4000 }, (_, i) => Buffer.from(`${i}:${'x'.repeat((i * 7919) % 4000)}\n`))
  await writeFileDurably(path, parts)
  expect((await readFile(path)).equals(Buffer.concat(parts))).toBe(true)
  expect((await stat(path)).mode & 0o777).toBe(0o600)
  // Written to a temporary file and renamed over: nothing else is left in the directory.
  expect(await readdir(dir)).toEqual(['store.json'])
})

test('text and bytes are written as they are', async () => {
  const dir = await tempDir()
  await writeFileDurably(join(dir, 'a.json'), '{"format":1}\n')
  await writeFileDurably(join(dir, 'b.json'), new Uint8Array([123, 125]))
  expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('{"format":1}\n')
  expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe('{}')
})
