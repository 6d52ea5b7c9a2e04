import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { SwitchboardError } from '../../../errors.ts'
import { deriveKeyId, KEY_BYTES } from '../master-key.ts'

/** One key as the key file holds it. */
export interface KeyFileEntry {
  kid: string
  /** Standard base64 of the 32 key bytes. */
  key: string
  createdAt: string
}

/** The key file: every key still needed for decryption, and which one seals new records. */
export interface KeyFileContents {
  format: 1
  current: string
  keys: KeyFileEntry[]
}

/**
 * Reads and checks the key file; `undefined` when it does not exist. Refuses a file that other users can
 * read (the keys may have leaked: the person should look, fix the mode and consider rotating, rather than
 * have it fixed silently) and a damaged file (never replaced, or every record sealed with it is lost).
 *
 * @example
 * const contents = readKeyFile('./data/master.keys') // { format: 1, current: 'k_…', keys: [...] } | undefined
 */
export function readKeyFile(path: string): KeyFileContents | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new SwitchboardError(500, 'key_file_unreadable', `Key file ${path} cannot be opened.`, { cause })
  }
  let text: string
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw damaged(path, 'it is not a regular file')
    // POSIX modes mean nothing on Windows, where the file inherits the directory's ACL.
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0')
      throw new SwitchboardError(
        500,
        'insecure_key_file',
        `Key file ${path} can be read or written by other users (mode ${mode}). It holds the master keys: ` +
          `restrict it with "chmod 600 ${path}", and rotate the keys ("switchboard keys rotate") if someone ` +
          `else may have read it.`,
        { details: { path, mode } },
      )
    }
    text = readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
  return parseKeyFile(path, text)
}

function parseKeyFile(path: string, text: string): KeyFileContents {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    // No cause: V8's JSON errors quote the text, and the text is key material.
    throw damaged(path, 'it is not valid JSON')
  }
  const file = data as Partial<KeyFileContents> | null
  if (typeof file !== 'object' || file === null || file.format !== 1) throw damaged(path, 'its format is not 1')
  if (!Array.isArray(file.keys) || file.keys.length === 0) throw damaged(path, 'it lists no keys')
  file.keys.forEach((entry: Partial<KeyFileEntry> | null, index) => {
    const where = `key entry ${index + 1}`
    if (typeof entry !== 'object' || entry === null) throw damaged(path, `${where} is not an object`)
    if (typeof entry.key !== 'string' || typeof entry.kid !== 'string' || typeof entry.createdAt !== 'string') {
      throw damaged(path, `${where} lacks kid, key or createdAt`)
    }
    const key = Buffer.from(entry.key, 'base64')
    if (key.length !== KEY_BYTES || key.toString('base64') !== entry.key) {
      throw damaged(path, `${where} is not ${KEY_BYTES} bytes of base64`)
    }
    if (deriveKeyId(key) !== entry.kid) throw damaged(path, `${where} does not match its key id`)
  })
  if (!file.keys.some((entry) => entry.kid === file.current)) throw damaged(path, 'its current key is not listed')
  return file as KeyFileContents
}

function damaged(path: string, reason: string): SwitchboardError {
  return new SwitchboardError(
    500,
    'invalid_key_file',
    `Key file ${path} is damaged: ${reason}. It was left untouched; restore it from a backup, because ` +
      `credentials sealed with its keys cannot be decrypted without them.`,
    { details: { path } },
  )
}

/**
 * Writes the key file atomically and durably (temp file with mode 0600, fsync, rename, fsync of the
 * directory), so a crash leaves either the old or the new file, never a torn one. With `exclusive` the file
 * is only created if absent (hard link instead of rename) and `false` says someone else created it first:
 * two first starts must not each generate a key and overwrite the other's.
 *
 * @example
 * writeKeyFile('./data/master.keys', contents, { exclusive: true })
 */
export function writeKeyFile(path: string, contents: KeyFileContents, options: { exclusive: boolean }): boolean {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  const fd = openSync(temp, 'wx', 0o600)
  try {
    fchmodSync(fd, 0o600) // the umask may only remove bits, but be explicit
    writeFileSync(fd, `${JSON.stringify(contents, null, 2)}\n`) // loops until every byte is written
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    if (options.exclusive) linkSync(temp, path)
    else renameSync(temp, path)
  } catch (cause) {
    if (options.exclusive && (cause as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new SwitchboardError(500, 'key_file_unwritable', `Key file ${path} cannot be written.`, { cause })
  } finally {
    rmSync(temp, { force: true })
  }
  syncDirectory(dir)
  return true
}

/**
 * Deletes the key file (once every key in it is retired).
 *
 * @example
 * removeKeyFile('./data/master.keys')
 */
export function removeKeyFile(path: string): void {
  unlinkSync(path)
  syncDirectory(dirname(path))
}

/** Makes a rename or unlink durable; not possible on Windows, where the rename is already durable. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
