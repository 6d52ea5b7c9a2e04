import { constants } from 'node:fs'
import { copyFile, open, rename, stat } from 'node:fs/promises'
import { isSwitchboardError, SwitchboardError } from '../../../errors.ts'
import type { DurableJsonFile } from '../durable-json-file.ts'
import { CURRENT_STORE_FORMAT } from '../store-format.ts'
import type { StoreFile, StoreLog } from '../types.ts'

type Outcome = { ok: StoreFile | null } | { damaged: string }

/**
 * Loads the store file, falling back to the last-good backup when it is damaged, and refreshes the backup
 * after a clean load. The rule: never start from an empty store while a file with data exists, and never
 * overwrite or delete a damaged file a person may still want to rescue. Returns the data to start from and
 * whether the backup now matches it.
 *
 * @example
 * const { data } = await loadStoreFile({ file, backup: new DurableJsonFile(`${file.path}.bak`), log })
 */
export async function loadStoreFile(options: {
  file: DurableJsonFile
  backup: DurableJsonFile
  log: StoreLog
}): Promise<{ data: StoreFile; backupFresh: boolean }> {
  const { file, backup, log } = options
  const main = await attempt(file)
  if ('ok' in main && main.ok !== null) {
    try {
      await backup.write(main.ok)
    } catch (error) {
      // The data is fine; a stale backup is worth a warning, not a refusal to start.
      log('warn', `Could not refresh the backup ${backup.path}: ${(error as Error).message}`)
      return { data: main.ok, backupFresh: false }
    }
    return { data: main.ok, backupFresh: true }
  }
  const fallback = await attempt(backup)
  if ('ok' in fallback && fallback.ok !== null) {
    const saved = (await stat(backup.path)).mtime.toISOString()
    let aside: string | undefined
    if ('damaged' in main) {
      aside = `${file.path}.damaged-${stamp()}`
      // A copy, not a rename: if we crash before the restore below, the next start finds the same situation.
      await copyFile(file.path, aside, constants.COPYFILE_EXCL)
      await syncFile(aside)
    }
    await file.write(fallback.ok)
    log(
      'warn',
      'damaged' in main
        ? `${file.path} was damaged (${main.damaged}); restored the last good copy from ${backup.path} (saved ${saved}). ` +
            `The damaged file was kept as ${aside}. Changes made after ${saved} may be missing.`
        : `${file.path} was missing; restored the last good copy from ${backup.path} (saved ${saved}). ` +
            'To start empty instead, stop Switchboard and delete both files.',
    )
    return { data: fallback.ok, backupFresh: true }
  }
  if ('damaged' in main) {
    const why = 'damaged' in fallback ? `${backup.path} is damaged too: ${fallback.damaged}` : `${backup.path} does not exist`
    throw new SwitchboardError(
      500,
      'store_damaged',
      `${file.path} is damaged (${main.damaged}) and there is no usable backup (${why}); ` +
        'move it aside to start empty, or restore it from your own backup.',
      { details: { file: file.path, reason: main.damaged } },
    )
  }
  if ('damaged' in fallback) {
    // No store file and a useless backup: keep the backup for inspection, but out of the way of future refreshes.
    const aside = `${backup.path}.damaged-${stamp()}`
    await rename(backup.path, aside)
    log(
      'warn',
      `${file.path} does not exist and its backup is damaged (${fallback.damaged}); starting empty. ` + `The backup was moved to ${aside}.`,
    )
  }
  return { data: { format: CURRENT_STORE_FORMAT, collections: {} }, backupFresh: false }
}

/** Reads one file; a newer format or an unreadable file stops everything, damage is for the caller to judge. */
async function attempt(file: DurableJsonFile): Promise<Outcome> {
  try {
    return { ok: await file.read() }
  } catch (error) {
    if (isSwitchboardError(error) && error.code === 'store_damaged') {
      return { damaged: (error.details as { reason: string }).reason }
    }
    throw error
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** A timestamp usable in file names on every platform (no colons). */
function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-')
}
