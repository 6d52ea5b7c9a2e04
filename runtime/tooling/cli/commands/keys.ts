import { openConfiguredStore, readConfig } from '../../../config.ts'
import { createKeyRing, rotateKeys } from '../../../platform/crypto/index.ts'
import { readAll, type Store } from '../../../platform/store/index.ts'
import type { CredentialRecord } from '../../../types.ts'
import type { Io } from '../io.ts'

export const usage = `switchboard keys <rotate|list>

  rotate   create a new master key, re-encrypt every credential under it, retire the old key
  list     the key ids in use (never key material)
Runs on the data directory (SWITCHBOARD_DATA_DIR); stop the runtime first.`

/**
 * `switchboard keys rotate`: new key, every credential re-encrypted in one durable write, then the
 * old keys retired. Reports the count.
 *
 * @example
 * await keysCommand(['rotate'], io) // "Re-encrypted 12 credentials under key k_…"
 */
export async function keysCommand(args: string[], io: Io): Promise<number> {
  const [sub] = args
  if (sub !== 'rotate' && sub !== 'list') return io.fail(`name a subcommand\n\n${usage}`, 2)
  const config = readConfig(process.env)
  let store: Store
  try {
    store = await openConfiguredStore(config, (level, message) => {
      if (level === 'warn') io.err(message)
    })
  } catch (error) {
    return io.fail((error as Error).message)
  }
  try {
    const keyRing = createKeyRing({ dataDir: config.dataDir, env: process.env })
    if (sub === 'list') {
      for (const key of keyRing.keys()) io.out(`${key.kid}${key.current ? '  (current)' : ''}  from ${key.sources.join(', ')}`)
      return 0
    }
    const kid = keyRing.currentSource === 'env' ? keyRing.currentKid : keyRing.rotate()
    const records = await readAll<CredentialRecord>(store, 'credentials')
    const result = rotateKeys({
      keyRing,
      records: records.map((record) => ({
        ...record,
        aad:
          record.userId === undefined
            ? { connectionId: record.connectionId }
            : { connectionId: record.connectionId, userId: record.userId },
      })),
    })
    // All or nothing: a rotation stopped half-way leaves every record under the keys it had.
    await store.transaction(async (tx) => {
      for (const { aad: _aad, ...record } of result.records) await tx.put('credentials', record as CredentialRecord)
    })
    const retired = keyRing.retire(result.retirable)
    io.out(
      `Re-encrypted ${result.count} credential${result.count === 1 ? '' : 's'} under key ` +
        `${kid}${retired.length ? `; retired ${retired.join(', ')}` : ''}.`,
    )
    return 0
  } catch (error) {
    return io.fail((error as Error).message)
  } finally {
    await store.close()
  }
}
