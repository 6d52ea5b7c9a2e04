import type { StoreRecord } from '../contract.ts'
import { recordText } from '../internal/serialize-store-file.ts'

/**
 * A caller's own deep copy of a stored (frozen) record, parsed from the text the next file write needs anyway
 * and keeps per record: about twice as fast as `structuredClone`, and it reads one contiguous string where a
 * clone walks every object of a record that, in a large store, is rarely in the CPU cache.
 *
 * @example
 * return record && copyRecord<Connection>(record)
 */
export function copyRecord<T>(record: StoreRecord): T {
  return JSON.parse(recordText(record)) as T
}
