import { jsonTextProblem } from '../../../../schemas/json-text/index.ts'
import { SwitchboardError } from '../../../errors.ts'
import type { StoreRecord } from '../contract.ts'
import { CURRENT_STORE_FORMAT, storeMigrations } from '../store-format.ts'
import type { StoreFile } from '../types.ts'
import { deepFreeze, emptyTable } from './records.ts'

/**
 * Parses and checks the text of a store file. A file that is not what this code wrote is reported as
 * 'store_damaged' (with `details.reason`), a file from a newer version as 'store_format_unsupported', so the
 * loader can tell "fall back to the backup" from "refuse".
 *
 * @example
 * parseStoreFile('data/store.json', '{"format":1,"collections":{}}') // { format: 1, collections: {} }
 */
export function parseStoreFile(path: string, text: string): StoreFile {
  if (text.trim() === '') throw damaged(path, 'the file is empty')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    const { line, column, found } = jsonTextProblem(text)
    throw damaged(path, `not valid JSON at line ${line}, column ${column}: ${found}`)
  }
  if (!isObject(parsed)) throw damaged(path, 'it is not a JSON object')
  let format = parsed.format
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) {
    throw damaged(path, '"format" is missing or not a positive integer')
  }
  if (format > CURRENT_STORE_FORMAT) {
    throw new SwitchboardError(
      500,
      'store_format_unsupported',
      `${path} uses store format ${format}, but this Switchboard understands format ${CURRENT_STORE_FORMAT} at most; ` +
        'it was written by a newer Switchboard. Upgrade Switchboard, or choose another SWITCHBOARD_DATA_DIR.',
      { details: { file: path, format, supported: CURRENT_STORE_FORMAT } },
    )
  }
  while (format < CURRENT_STORE_FORMAT) {
    const migrate = storeMigrations[format]
    if (migrate === undefined) throw damaged(path, `store format ${format} is not one this Switchboard can upgrade`)
    parsed = migrate(parsed as { format: number; collections: unknown })
    if (!isObject(parsed) || parsed.format !== format + 1) throw damaged(path, `upgrading from format ${format} failed`)
    format++
  }
  return { format, collections: checkCollections(path, parsed.collections) }
}

function checkCollections(path: string, value: unknown): StoreFile['collections'] {
  if (!isObject(value)) throw damaged(path, '"collections" is missing or not an object')
  const collections = Object.create(null) as StoreFile['collections']
  // Unknown collection names are kept as they are: they may come from a newer minor version or a plugin.
  for (const [name, records] of Object.entries(value)) {
    if (!isObject(records)) throw damaged(path, `collection "${name}" is not an object`)
    const table = emptyTable()
    for (const [id, record] of Object.entries(records)) {
      if (!isObject(record) || record.id !== id) {
        throw damaged(path, `record "${id}" in collection "${name}" is not an object whose "id" is "${id}"`)
      }
      table[id] = deepFreeze(record as StoreRecord)
    }
    collections[name] = table
  }
  return collections
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function damaged(path: string, reason: string): SwitchboardError {
  return new SwitchboardError(500, 'store_damaged', `${path} is damaged (${reason}).`, {
    details: { file: path, reason },
  })
}
