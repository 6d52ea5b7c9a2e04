import type { KeyRing, SealedItem } from './types.ts'

/**
 * Result of {@link rotateKeys}.
 *
 * @example
 * const { records, count, retirable } = rotateKeys({ keyRing, records: stored })
 */
export interface RotateKeysResult<R extends SealedItem> {
  /** The input records, each with its `sealed` replaced by one on the current key; other properties kept. */
  records: R[]
  /** How many records were re-encrypted. */
  count: number
  /** How many of them were on an older key. */
  rotated: number
  /** Key-file keys no record uses any more: pass them to `keyRing.retire()` once `records` are stored. */
  retirable: string[]
  /** Keys from `SWITCHBOARD_PREVIOUS_KEYS` no record uses any more: they can be removed from the environment. */
  unusedEnvKids: string[]
}

/**
 * Moves every record onto the current key. Pure: it writes nothing, so the caller stores the new records
 * first and retires old keys only after that (a crash in between leaves old records that still decrypt).
 * All or nothing: one record that does not open stops it with an error naming the record.
 * `records` must be every sealed record there is, or `retirable` would name keys still in use.
 *
 * @example
 * keyRing.rotate()                                               // new current key in the key file
 * const result = rotateKeys({ keyRing, records: store.allCredentials() })
 * await store.replaceCredentials(result.records)
 * keyRing.retire(result.retirable)
 * console.log(`Re-encrypted ${result.count} credentials.`)
 */
export function rotateKeys<R extends SealedItem>(input: { keyRing: KeyRing; records: Iterable<R> }): RotateKeysResult<R> {
  const { keyRing } = input
  const list = [...input.records]
  const { sealed, count, rotated } = keyRing.reencryptAll(list)
  const old = keyRing.keys().filter((key) => !key.current)
  return {
    records: list.map((record, index) => ({ ...record, sealed: sealed[index]! })),
    count,
    rotated,
    retirable: old.filter((key) => key.sources.length === 1 && key.sources[0] === 'file').map((key) => key.kid),
    unusedEnvKids: old.filter((key) => key.sources.includes('previous-env')).map((key) => key.kid),
  }
}
