/**
 * A data directory that other users can read (made by hand, restored from a backup, left by an older
 * version) is made private on start: the directory 0700, the store file and its backup 0600, each change
 * logged. Real directories and files in the system's temp dir.
 */
import { chmod, copyFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { recordingLog, useTempDirs } from './helpers.ts'

const mode = async (path: string) => (await stat(path)).mode & 0o777

describe.skipIf(process.platform === 'win32')('data directory modes', () => {
  const tempDir = useTempDirs()

  it('an existing world-readable directory and store file are restricted to 0700/0600, and the log says so', async () => {
    const dir = await tempDir()
    const first = await createEmbeddedStore({ dir, backupIntervalMs: 0, log: recordingLog() })
    await first.insert('apps', { id: 'default', name: 'Default' })
    await first.close()
    await copyFile(join(dir, 'store.json'), join(dir, 'store.json.bak'))
    await chmod(dir, 0o755)
    await chmod(join(dir, 'store.json'), 0o644)
    await chmod(join(dir, 'store.json.bak'), 0o640)

    const log = recordingLog()
    const store = await createEmbeddedStore({ dir, backupIntervalMs: 0, log })
    try {
      expect(await mode(dir)).toBe(0o700)
      expect(await mode(join(dir, 'store.json'))).toBe(0o600)
      expect(await mode(join(dir, 'store.json.bak'))).toBe(0o600)
      const lines = log.lines.filter((line) => line.includes('restricted it to'))
      expect(lines).toEqual([
        `warn: ${dir} could be read by other users (mode 0755); restricted it to 0700.`,
        `warn: ${join(dir, 'store.json')} could be read by other users (mode 0644); restricted it to 0600.`,
        `warn: ${join(dir, 'store.json.bak')} could be read by other users (mode 0640); restricted it to 0600.`,
      ])
      // Nothing was lost on the way.
      expect(await store.get('apps', 'default')).toMatchObject({ name: 'Default' })
    } finally {
      await store.close()
    }
  })

  it('a loose empty directory given for a first start is restricted before anything is written in it', async () => {
    const dir = await tempDir()
    await chmod(dir, 0o775)
    const log = recordingLog()
    const store = await createEmbeddedStore({ dir, backupIntervalMs: 0, log })
    try {
      await store.insert('apps', { id: 'default', name: 'Default' })
      expect(await mode(dir)).toBe(0o700)
      expect(await mode(join(dir, 'store.json'))).toBe(0o600)
      expect(log.lines.filter((line) => line.includes('restricted it to'))).toHaveLength(1)
    } finally {
      await store.close()
    }
  })

  it('a directory every user may write to (like /tmp) is refused and left as it is', async () => {
    const dir = await tempDir()
    await chmod(dir, 0o1777)
    const error = await createEmbeddedStore({ dir, backupIntervalMs: 0, log: recordingLog() }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'shared_data_dir' })
    expect((error as Error).message).toContain('mode 1777')
    expect((error as Error).message).toContain('a directory of its own')
    expect((await stat(dir)).mode & 0o7777).toBe(0o1777)
    expect(await readdir(dir), 'nothing was written there').toEqual([])
    // Once it is a directory of its own, it opens.
    await chmod(dir, 0o700)
    await (await createEmbeddedStore({ dir, backupIntervalMs: 0, log: recordingLog() })).close()
  })

  it('a private directory is left alone and nothing is logged about it', async () => {
    const dir = await tempDir()
    await chmod(dir, 0o700)
    const first = await createEmbeddedStore({ dir, backupIntervalMs: 0, log: recordingLog() })
    await first.insert('apps', { id: 'default', name: 'Default' })
    await first.close()
    const log = recordingLog()
    const store = await createEmbeddedStore({ dir, backupIntervalMs: 0, log })
    await store.close()
    expect(log.lines.filter((line) => line.includes('mode'))).toEqual([])
  })
})
