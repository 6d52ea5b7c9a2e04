/**
 * The PostgreSQL engine's schema: the migrations create exactly the tables, generated columns and indexes that
 * `collections.ts` declares, apply once under a lock however many processes start together, and a database
 * a newer version migrated is refused.
 */
import pg from 'pg'
import { afterEach, describe, expect, test } from 'vitest'
import type { Store } from '../../../runtime/platform/store/contract.ts'
import { createPostgresStore } from '../../../runtime/platform/store/index.ts'
import { MIGRATIONS } from '../../../runtime/platform/store/postgres/migrations/list.ts'
import { SCHEMA, TABLES } from '../../../runtime/platform/store/postgres/schema.ts'
import { freshDatabase } from '../../support/postgres.ts'

const quiet = () => {}
const opened: Store[] = []
const clients: pg.Client[] = []
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((s) => s.close()))
  await Promise.allSettled(clients.splice(0).map((c) => c.end()))
})
const open = async (url: string) => {
  const store = await createPostgresStore({ url, log: quiet })
  opened.push(store)
  return store
}
const sql = async (url: string) => {
  const client = new pg.Client({ connectionString: url })
  clients.push(client)
  await client.connect()
  return client
}

describe('postgres schema', () => {
  test('the migrations are numbered 1, 2, 3… without a gap', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  test('the migrations create exactly the tables, columns and indexes collections.ts declares', async () => {
    const url = await freshDatabase()
    await open(url)
    const db = await sql(url)
    const tables = await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [
      SCHEMA,
    ])
    // Besides a table per collection: the migrations applied, and the log of changes the change feed reads.
    expect(tables.rows.map((r) => r.table_name).sort()).toEqual(
      [...[...TABLES.values()].map((t) => t.name), 'changes', 'schema_migrations'].sort(),
    )

    for (const table of TABLES.values()) {
      const columns = await db.query<{ column_name: string; data_type: string; is_generated: string }>(
        'SELECT column_name, data_type, is_generated FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
        [SCHEMA, table.name],
      )
      const expected = [
        { column_name: 'id', data_type: 'text', is_generated: 'NEVER' },
        // Connector definitions keep their key order (migration 2); records with index columns are jsonb.
        { column_name: 'data', data_type: table.name === 'connectors' ? 'json' : 'jsonb', is_generated: 'NEVER' },
        { column_name: 'version', data_type: 'bigint', is_generated: 'NEVER' },
        ...table.columns.map((c) => ({ column_name: c.column, data_type: 'jsonb', is_generated: 'ALWAYS' })),
      ]
      const byName = (a: { column_name: string }, b: { column_name: string }) => a.column_name.localeCompare(b.column_name)
      expect(columns.rows.sort(byName), table.name).toEqual(expected.sort(byName))

      const indexes = await db.query<{ name: string; unique: boolean; method: string; columns: string[] }>(
        `SELECT i.relname AS name, x.indisunique AS unique, am.amname AS method,
                array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
                      JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace s ON s.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
          WHERE s.nspname = $1 AND t.relname = $2`,
        [SCHEMA, table.name],
      )
      const expectedIndexes = [
        { name: `${table.name}_pkey`, unique: true, method: 'btree', columns: ['id'] },
        ...[...table.indexes.values()].map((index) => ({
          name: index.sqlName,
          unique: index.unique,
          method: index.multi ? 'gin' : 'btree',
          // Non-unique btree indexes end with id: the order queries ask for (the fields, then id) is the index's.
          columns: [...index.columns.map((c) => c.column), ...(index.unique || index.multi ? [] : ['id'])],
        })),
      ]
      const sortByName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)
      expect(indexes.rows.sort(sortByName), table.name).toEqual(expectedIndexes.sort(sortByName))
    }
  })

  test('each generated column holds the value of the field it is named after', async () => {
    const url = await freshDatabase()
    const store = await open(url)
    const db = await sql(url)
    for (const table of TABLES.values()) {
      for (const column of table.columns) {
        const id = `${table.name}-${column.column}`
        const value = `value of ${column.field}`
        const record: Record<string, unknown> = { id }
        const [head, tail] = column.field.split('[].')
        if (tail !== undefined) record[head!] = [{ [tail]: value }]
        else record[column.field] = value
        await store.insert(table.collection, record as { id: string })
        const { rows } = await db.query(`SELECT ${column.column} AS v FROM ${table.qualified} WHERE id = $1`, [id])
        expect(rows[0].v, `${table.name}.${column.column}`).toEqual(column.multi ? [value] : value)
      }
    }
  })

  test('migrations apply once, recorded in schema_migrations, however many processes start at once', async () => {
    const url = await freshDatabase()
    await Promise.all([open(url), open(url), open(url), open(url)])
    await open(url)
    const db = await sql(url)
    const { rows } = await db.query(`SELECT version, name FROM ${SCHEMA}.schema_migrations ORDER BY version`)
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })))
  })

  test('a database a newer version migrated is refused, naming both versions', async () => {
    const url = await freshDatabase()
    await (await open(url)).close()
    const db = await sql(url)
    const latest = MIGRATIONS.at(-1)!.version
    await db.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES ($1, 'from the future')`, [latest + 5])
    const error = await createPostgresStore({ url, log: quiet }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'SwitchboardError', code: 'store_schema_too_new' })
    expect((error as Error).message).toContain(`schema version ${latest + 5}`)
    expect((error as Error).message).toContain(`up to ${latest}`)
  })

  test('bad options are refused before connecting', async () => {
    await expect(createPostgresStore({ url: 'mysql://localhost/x' })).rejects.toThrow(TypeError)
    await expect(createPostgresStore({ url: 'postgres://localhost/x', pool: { max: 0 } })).rejects.toThrow(/pool\.max/)
    await expect(createPostgresStore({ url: 'postgres://localhost/x', pool: { statementTimeoutMs: 1.5 } })).rejects.toThrow(
      /statementTimeoutMs/,
    )
  })
})
