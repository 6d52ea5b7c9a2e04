/**
 * Brings the database's schema to this code's version on start: every pending migration in one transaction,
 * under a transaction-scoped advisory lock so replicas starting together take turns (the second finds the
 * work done), each recorded in `switchboard.schema_migrations`. A database a newer version migrated is
 * refused: this code would not know its tables.
 */
import type { Pool } from 'pg'
import { SwitchboardError } from '../../../errors.ts'
import { MIGRATIONS } from './migrations/list.ts'
import type { Migration } from './migrations/migration.ts'
import { SCHEMA } from './schema.ts'

/**
 * Applies what `migrations` has beyond the database's version; resolves with the versions before and after.
 *
 * @example
 * const { from, to } = await migrate(pool) // { from: 0, to: 1 } on an empty database
 */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<{ from: number; to: number }> {
  const latest = migrations.at(-1)?.version ?? 0
  const client = await pool.connect()
  let broken = false
  const lost = () => void (broken = true)
  client.on('error', lost)
  try {
    await client.query('BEGIN')
    // Released by COMMIT or ROLLBACK, or by the connection ending: a crashed starter blocks nobody.
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('switchboard:migrations', 0))")
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    )
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${SCHEMA}.schema_migrations`)
    const from = rows[0]?.version ?? 0
    if (from > latest) {
      throw new SwitchboardError(
        500,
        'store_schema_too_new',
        `The database is at schema version ${from}, written by a newer Switchboard; this version knows schema versions up to ${latest}. ` +
          'Run the newer version, or restore a backup taken before the upgrade.',
      )
    }
    for (const migration of migrations) {
      if (migration.version <= from) continue
      await client.query(migration.sql)
      await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name])
    }
    await client.query('COMMIT')
    return { from, to: Math.max(from, latest) }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true))
    throw error
  } finally {
    client.off('error', lost)
    client.release(broken)
  }
}
