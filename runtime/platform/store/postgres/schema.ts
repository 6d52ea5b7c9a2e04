/**
 * How {@link COLLECTIONS} maps onto PostgreSQL: one table per collection in the `switchboard` schema, with
 * `id`, the record as `data` (jsonb), a `version` bumped on every write, and one generated column per indexed
 * field, so the database keeps index columns and records in step whoever writes. The migrations create
 * exactly this shape (a test compares them); queries read column and index names from here.
 */
import { COLLECTIONS, type IndexSpec } from '../collections.ts'
import type { CollectionName } from '../contract.ts'

/** The PostgreSQL schema every table lives in, so Switchboard can share a database with other software. */
export const SCHEMA = 'switchboard'

/** The channel writers NOTIFY after committing, to wake the other processes' change feeds (change-feed.ts). */
export const CHANGE_CHANNEL = 'switchboard_store'

/** One indexed field, as a column. */
export interface IndexColumn {
  /** The field path as declared: `appId`, `members[].userId`. */
  readonly field: string
  /** The generated jsonb column holding it: `app_id`, `members_user_id`. */
  readonly column: string
  /** Whether the path names each element of an array: the column then holds a jsonb array (GIN index). */
  readonly multi: boolean
}

/** One declared index, as the database holds it. */
export interface TableIndex {
  /** The name in {@link COLLECTIONS}: `byApp`. */
  readonly name: string
  /** The database index: `connections_by_app`. */
  readonly sqlName: string
  readonly unique: boolean
  readonly columns: readonly IndexColumn[]
  /** An array path (its only field): a GIN index on the array column instead of a btree. */
  readonly multi: boolean
}

/** One collection's table. */
export interface Table {
  readonly collection: CollectionName
  /** Schema-qualified: `switchboard.oauth_states`. */
  readonly qualified: string
  readonly name: string
  /** Every generated index column, each once. */
  readonly columns: readonly IndexColumn[]
  readonly indexes: ReadonlyMap<string, TableIndex>
}

/** `oauthStates` → `oauth_states`; `members[].userId` → `members_user_id`. */
export function snakeCase(path: string): string {
  return path
    .replace(/\[\]/g, '')
    .replace(/\./g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
}

const RESERVED = new Set(['id', 'data', 'version'])

function tableIndex(collection: string, table: string, name: string, spec: IndexSpec): TableIndex {
  const columns = spec.fields.map((field) => {
    const column = snakeCase(field)
    if (RESERVED.has(column) || !/^[a-z][a-z0-9_]*$/.test(column)) {
      throw new Error(`${collection}.${name}: field "${field}" cannot be a PostgreSQL column ("${column}").`)
    }
    return { field, column, multi: field.includes('[]') }
  })
  const multi = columns.some((c) => c.multi)
  // A multi-valued field is kept as one jsonb array with a GIN index: that answers "which records hold this
  // value" from the index. Combining it with other fields or uniqueness would need a side table.
  if (multi && (columns.length > 1 || spec.unique)) {
    throw new Error(`${collection}.${name}: an array path must be a non-unique index's only field on PostgreSQL.`)
  }
  return { name, sqlName: `${table}_${snakeCase(name)}`, unique: spec.unique === true, columns, multi }
}

function buildTables(): ReadonlyMap<CollectionName, Table> {
  const tables = new Map<CollectionName, Table>()
  for (const [collection, spec] of Object.entries(COLLECTIONS) as [CollectionName, { indexes: Record<string, IndexSpec> }][]) {
    const name = snakeCase(collection)
    const indexes = new Map<string, TableIndex>()
    const columns = new Map<string, IndexColumn>()
    for (const [indexName, index] of Object.entries(spec.indexes)) {
      const built = tableIndex(collection, name, indexName, index)
      indexes.set(indexName, built)
      for (const column of built.columns) {
        const seen = columns.get(column.column)
        if (seen !== undefined && seen.field !== column.field) {
          throw new Error(`${collection}: fields "${seen.field}" and "${column.field}" both map to column "${column.column}".`)
        }
        columns.set(column.column, column)
      }
    }
    tables.set(collection, { collection, name, qualified: `${SCHEMA}.${name}`, columns: [...columns.values()], indexes })
  }
  return tables
}

/**
 * Every collection's table, derived once from {@link COLLECTIONS}.
 *
 * @example
 * TABLES.get('connections')!.indexes.get('byApp')!.columns.map((c) => c.column) // ['app_id', 'created_at']
 */
export const TABLES: ReadonlyMap<CollectionName, Table> = buildTables()
