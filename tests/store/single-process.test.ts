import { spawn } from 'node:child_process'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { processStartTime } from '../../runtime/platform/store/internal/process-start.ts'
import { recordingLog, runFixture, useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const LOCK = 'switchboard.lock'

async function seeded(): Promise<string> {
  const dir = await tempDir()
  const store = await createEmbeddedStore({ dir, log: () => {} })
  await store.insert('apps', { id: 'app_1', name: 'Demo' })
  await store.close()
  return dir
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const name of (await readdir(dir)).sort()) files[name] = (await readFile(join(dir, name))).toString('base64')
  return files
}

/** A pid that certainly does not run any more: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''])
  await new Promise((done) => child.on('exit', done))
  return child.pid!
}

test('a second process is refused within a second, with a clear message, and changes nothing', async () => {
  const dir = await seeded()
  const holder = runFixture('open-store.ts', [dir, 'hold'])
  try {
    await holder.waitForLine((l) => l === 'ready')
    const before = await snapshot(dir)

    const second = runFixture('open-store.ts', [dir, 'try'])
    expect(await second.exited).toBe(3)
    const refusedAfter = Number(second.lines.find((l) => l.startsWith('refused-after-ms'))?.split(' ')[1])
    expect(refusedAfter).toBeLessThan(1000)
    expect(second.stderr()).toContain(
      `Another Switchboard process (pid ${holder.process.pid}) is using the data directory ${dir}. ` +
        'Stop it or choose another SWITCHBOARD_DATA_DIR.',
    )
    expect(await snapshot(dir)).toEqual(before)
  } finally {
    holder.process.kill('SIGKILL')
    await holder.exited
  }
})

test('the same directory cannot be opened twice in one process', async () => {
  const dir = await tempDir()
  const store = await createEmbeddedStore({ dir, log: () => {} })
  await expect(createEmbeddedStore({ dir, log: () => {} })).rejects.toMatchObject({ code: 'store_locked' })
  await store.close()
  const again = await createEmbeddedStore({ dir, log: () => {} })
  await again.close()
})

test('close() releases the lock', async () => {
  const dir = await seeded()
  expect(await readdir(dir)).not.toContain(LOCK)
})

test('a lock left by a process that no longer runs is taken over', async () => {
  const dir = await seeded()
  const pid = await deadPid()
  await writeFile(join(dir, LOCK), JSON.stringify({ pid, startedAt: Date.now() - 5000, hostname: hostname() }))
  const log = recordingLog()
  const store = await createEmbeddedStore({ dir, log })
  expect(await store.get('apps', 'app_1')).toEqual({ id: 'app_1', name: 'Demo' })
  expect(JSON.parse(await readFile(join(dir, LOCK), 'utf8'))).toMatchObject({ pid: process.pid })
  expect(log.lines).toEqual([`info: Took over the data directory ${dir} from pid ${pid}, which no longer runs.`])
  await store.close()
})

test('a lock whose pid now belongs to a different process (started at another time) is taken over', async () => {
  const dir = await seeded()
  // The parent process is alive, but it did not start at this time, so the lock is not its own.
  await writeFile(join(dir, LOCK), JSON.stringify({ pid: process.ppid, startedAt: 1_000_000, hostname: hostname() }))
  const store = await createEmbeddedStore({ dir, log: () => {} })
  await store.close()
})

test('a lock of a live process that started when the lock says is respected', async () => {
  const dir = await seeded()
  const startedAt = processStartTime(process.ppid) ?? 0
  await writeFile(join(dir, LOCK), JSON.stringify({ pid: process.ppid, startedAt, hostname: hostname() }))
  await expect(createEmbeddedStore({ dir, log: () => {} })).rejects.toThrow(
    `Another Switchboard process (pid ${process.ppid}) is using the data directory ${dir}.`,
  )
})

test('a lock written from another host is respected, and the message says how to clear it', async () => {
  const dir = await seeded()
  await writeFile(join(dir, LOCK), JSON.stringify({ pid: 1, startedAt: 0, hostname: 'elsewhere' }))
  await expect(createEmbeddedStore({ dir, log: () => {} })).rejects.toThrow(
    `(pid 1 on host elsewhere) is using the data directory ${dir}. Stop it or choose another ` +
      `SWITCHBOARD_DATA_DIR. If that process no longer exists (for example its container was replaced), delete ${join(dir, LOCK)}.`,
  )
})

test('an empty lock file (its writer died right after creating it) is taken over', async () => {
  const dir = await seeded()
  await writeFile(join(dir, LOCK), '')
  const log = recordingLog()
  const store = await createEmbeddedStore({ dir, log })
  expect(log.lines).toEqual([`info: Took over the data directory ${dir} from an unreadable lock file.`])
  await store.close()
})
