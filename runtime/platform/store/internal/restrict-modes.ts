import { chmod, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { SwitchboardError } from '../../../errors.ts'
import type { StoreLog } from '../types.ts'

/**
 * Makes an existing data directory private again: the directory 0700 and the store files in it 0600,
 * whatever mode an older version, a copy or a restore left them with (new ones are created that way).
 * Each change is logged; a mode that cannot be changed (another owner) stops the start with a message
 * saying what to run, rather than serving users and credentials from a readable file. A directory that
 * every user may write to is refused as it is.
 *
 * @example
 * await restrictModes('/var/lib/switchboard', ['store.json', 'store.json.bak'], log)
 */
export async function restrictModes(dir: string, files: readonly string[], log: StoreLog): Promise<void> {
  // POSIX modes mean nothing on Windows, where files inherit the directory's ACL.
  if (process.platform === 'win32') return
  const found = await stat(dir)
  // A directory anyone may write to (/tmp, with its sticky bit) is shared: narrowing it would break the
  // machine's other users, and keeping data there lets them replace files. It is refused, untouched.
  if ((found.mode & 0o1002) !== 0) {
    throw new SwitchboardError(
      500,
      'shared_data_dir',
      `The data directory ${dir} is writable by every user (mode ${octal(found.mode, true)}), like /tmp: other users could read or ` +
        `replace the store. ` +
        'Give SWITCHBOARD_DATA_DIR a directory of its own, for example ./data.',
      { details: { path: dir, mode: octal(found.mode, true) } },
    )
  }
  await restrict(dir, 0o700, log)
  for (const name of files) await restrict(join(dir, name), 0o600, log)
}

async function restrict(path: string, wanted: number, log: StoreLog): Promise<void> {
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!found || (found.mode & 0o077) === 0) return
  const was = octal(found.mode)
  try {
    await chmod(path, wanted)
  } catch (cause) {
    throw new SwitchboardError(
      500,
      'insecure_data_dir',
      `${path} can be read by other users (mode ${was}) and its mode cannot be changed: ${(cause as Error).message}. ` +
        `It holds users and credentials: run "chmod ${octal(wanted)} ${path}" as its owner, then start again.`,
      { details: { path, mode: was } },
    )
  }
  log('warn', `${path} could be read by other users (mode ${was}); restricted it to ${octal(wanted)}.`)
}

function octal(mode: number, special = false): string {
  return (mode & (special ? 0o7777 : 0o777)).toString(8).padStart(4, '0')
}
