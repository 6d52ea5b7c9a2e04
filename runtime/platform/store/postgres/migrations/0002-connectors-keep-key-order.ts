import type { Migration } from './migration.ts'

/**
 * Custom connector definitions keep their text as written: `json`, not `jsonb`, which reorders object keys
 * (https://www.postgresql.org/docs/current/datatype-json.html). A definition's key order is meaningful: its
 * query parameters and JSON bodies are sent in that order, and some APIs (and every signature over them) see
 * it. Connectors have no index columns, so nothing else reads `data` as jsonb. Rows written before keep the
 * order jsonb gave them. Writes send the record's text untyped, so it takes the column's type as it is.
 */
export const connectorsKeepKeyOrder: Migration = {
  version: 2,
  name: 'connector definitions keep their key order',
  sql: 'ALTER TABLE switchboard.connectors ALTER COLUMN data TYPE json USING data::json;',
}
