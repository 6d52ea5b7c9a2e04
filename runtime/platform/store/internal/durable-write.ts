import { randomBytes } from 'node:crypto'
import { open, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

let sequence = 0

/** A file's content: text, bytes, or bytes in pieces (written in order with one writev). */
export type FileContent = string | Uint8Array | readonly Uint8Array[]

/**
 * Replaces `path` with `text` (a string, or its bytes) so that after a crash at any moment the file holds either the old or the new
 * content, never a mix, and once this resolves the new content survives a power cut: write a unique temp file
 * in the same directory (rename is only atomic within one file system), fsync it, rename it over the target,
 * then fsync the directory so the rename itself is on disk.
 *
 * @example
 * await writeFileDurably('data/store.json', JSON.stringify(data))
 */
export async function writeFileDurably(path: string, text: FileContent): Promise<void> {
  const temp = join(dirname(path), `${basename(path)}.${process.pid}.${++sequence}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    // 0o600: the store holds users and (encrypted) credentials; nobody else on the machine needs to read it.
    const handle = await open(temp, 'wx', 0o600)
    try {
      if (Array.isArray(text)) {
        const parts = text as Uint8Array[]
        const { bytesWritten } = await handle.writev(parts)
        const total = parts.reduce((sum, part) => sum + part.byteLength, 0)
        // libuv writes every piece (retrying short writes); a short count would be a truncated file, never renamed in.
        if (bytesWritten !== total) throw new Error(`Wrote ${bytesWritten} of ${total} bytes of ${temp}.`)
      } else await handle.writeFile(text as string | Uint8Array)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {})
    throw error
  }
  await fsyncDirectory(dirname(path))
}

/**
 * Makes a rename or create in `dir` durable. Windows cannot open a directory and has no such need.
 *
 * @example
 * await fsyncDirectory('data')
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Removes temp files a killed process left behind. Only safe while holding the data directory lock, which is
 * why the store calls it right after taking the lock.
 *
 * @example
 * await removeStaleTempFiles('data', 'store.json') // removes data/store.json.<pid>.<n>.<rand>.tmp
 */
export async function removeStaleTempFiles(dir: string, fileName: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith(`${fileName}.`) && name.endsWith('.tmp')) await rm(join(dir, name), { force: true })
  }
}
