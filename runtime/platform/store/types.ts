/** The embedded engine's file and log shapes; the store contract itself is in `contract.ts`. */
import type { StoreRecord } from './contract.ts'

/**
 * Where the store reports what a person should know about: a backup restored, a backup that could not be
 * refreshed. Errors that stop the store are thrown, not logged.
 *
 * @example
 * const log: StoreLog = (level, message) => logger[level](message)
 */
export type StoreLog = (level: 'info' | 'warn', message: string) => void

/**
 * What the store file holds. `format` lets a future version migrate or refuse a file it does not know.
 *
 * @example
 * const file: StoreFile = { format: 1, collections: { apps: { app_1: { id: 'app_1', name: 'Demo' } } } }
 */
export interface StoreFile {
  format: number
  /** Records by collection, then by id (the key always equals the record's `id`). */
  collections: Partial<Record<string, Record<string, StoreRecord>>>
}
