import type { StoreRecord } from '../contract.ts'
import type { StoreFile } from '../types.ts'

/** Serialised records by identity. Only frozen records are cached: they cannot change behind the cache's back. */
const cache = new WeakMap<StoreRecord, string>()

/**
 * Exactly `JSON.stringify(file, null, 2)` plus a newline, but each record's text is computed once and reused
 * while the (frozen) record is unchanged. Every write serialises the whole file on the event loop, so this is
 * what keeps a write of a 10,000-record store from blocking it for tens of milliseconds each time.
 *
 * @example
 * serializeStoreFile({ format: 1, collections: {} }) // '{\n  "format": 1,\n  "collections": {}\n}\n'
 */
export function serializeStoreFile(file: StoreFile): string {
  // Plain `+=` on purpose: V8 builds a rope and flattens it once when the text is written out, where
  // Array#join walks every cached piece again on each call.
  let out = `{\n  "format": ${JSON.stringify(file.format)},\n  "collections": {`
  let firstName = true
  for (const [name, records] of Object.entries(file.collections)) {
    if (records === undefined) continue
    out += `${firstName ? '' : ','}\n    ${JSON.stringify(name)}: {`
    firstName = false
    let firstId = true
    for (const [id, record] of Object.entries(records)) {
      if (record === undefined) continue
      out += `${firstId ? '' : ','}\n      ${JSON.stringify(id)}: ${recordText(record)}`
      firstId = false
    }
    out += firstId ? '}' : '\n    }'
  }
  return `${out}${firstName ? '}' : '\n  }'}\n}\n`
}

/**
 * A record's text as the store file holds it (computed once per frozen record). Parsing it is also the
 * cheapest deep copy of a stored record: one contiguous string instead of a walk through its objects.
 *
 * @example
 * const copy = JSON.parse(recordText(stored)) as StoreRecord
 */
export function recordText(record: StoreRecord): string {
  let text = cache.get(record)
  if (text === undefined) {
    // Indented as JSON.stringify would at this depth (three levels in). split/join rather than replaceAll: join
    // yields one flat string, which V8 copies out quickly on every write, where a patched-up string is slow.
    text = JSON.stringify(record, null, 2).split('\n').join('\n      ')
    if (Object.isFrozen(record)) cache.set(record, text)
  }
  return text
}
