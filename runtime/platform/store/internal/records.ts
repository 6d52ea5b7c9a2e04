import { SwitchboardError } from '../../../errors.ts'
import type { CollectionName, StoreRecord } from '../contract.ts'

const COLLECTIONS: ReadonlySet<string> = new Set<CollectionName>([
  'connectors',
  'connections',
  'credentials',
  'users',
  'tokens',
  'apps',
  'oauthStates',
  'oauthApps',
  'audit',
  'meta',
])

/**
 * Rejects a collection name the type system would have caught, for callers that are not type-checked.
 *
 * @example
 * checkCollection('connections') // fine; checkCollection('conections') throws 'store_invalid_record'
 */
export function checkCollection(collection: string): void {
  if (!COLLECTIONS.has(collection)) {
    throw new SwitchboardError(500, 'store_invalid_record', `Unknown store collection "${collection}".`)
  }
}

/**
 * The form a record is kept in memory: passed through JSON (so memory holds exactly what a restart would
 * read back) and deep-frozen (so the copies-only rule cannot be broken by accident inside the store).
 *
 * @example
 * table[id] = toStored('apps', next, id) // throws 'store_invalid_record' if next.id !== id
 */
export function toStored(collection: string, record: unknown, expectedId?: string): StoreRecord {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw invalid(`A ${collection} record must be an object.`)
  }
  const id = (record as { id?: unknown }).id
  if (typeof id !== 'string' || id === '') throw invalid(`A ${collection} record needs a non-empty string id.`)
  if (expectedId !== undefined && id !== expectedId) {
    throw invalid(`An update of ${collection} "${expectedId}" returned a record with id "${id}"; ids cannot change.`)
  }
  let text: string
  try {
    text = JSON.stringify(record)
  } catch (cause) {
    throw invalid(`The ${collection} record "${id}" cannot be stored as JSON (${(cause as Error).message}).`, cause)
  }
  return deepFreeze(JSON.parse(text) as StoreRecord)
}

/**
 * A mutable deep copy for a caller.
 *
 * @example
 * return record && copyOut<App>(record)
 */
export function copyOut<T>(record: StoreRecord): T {
  return structuredClone(record) as T
}

/**
 * Freezes `value` and everything in it; returns it.
 *
 * @example
 * deepFreeze({ a: { b: 1 } }).a.b = 2 // TypeError in strict mode
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/**
 * A null-prototype table, so an id such as "__proto__" or "constructor" is just a key.
 *
 * @example
 * const records = emptyTable(); records['__proto__'] = { id: '__proto__' }
 */
export function emptyTable(): Record<string, StoreRecord> {
  return Object.create(null) as Record<string, StoreRecord>
}

function invalid(message: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError(500, 'store_invalid_record', message, { cause })
}
