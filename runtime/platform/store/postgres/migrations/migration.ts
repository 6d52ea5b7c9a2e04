/**
 * One step of the PostgreSQL schema: SQL run in the one transaction that applies every pending step. A
 * migration is never edited once released: a change to the schema (an index added to `collections.ts`) is a
 * new file with the next number, appended to {@link MIGRATIONS}.
 *
 * @example
 * const second: Migration = { version: 2, name: 'runs by status', sql: 'CREATE INDEX …' }
 */
export interface Migration {
  /** 1, 2, 3… with no gap: the number `schema_migrations` records. */
  readonly version: number
  /** A few words, kept beside the version in `schema_migrations`. */
  readonly name: string
  readonly sql: string
}
