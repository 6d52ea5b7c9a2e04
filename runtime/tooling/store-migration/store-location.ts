import { existsSync } from 'node:fs'
import { realpath } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { SwitchboardError } from '../../errors.ts'
import {
  createEmbeddedStore,
  createPostgresStore,
  type PostgresStoreOptions,
  type Store,
  type StoreLog,
} from '../../platform/store/index.ts'

/**
 * Where a store is: a data directory (the embedded engine) or a PostgreSQL database.
 *
 * @example
 * const location: StoreLocation = { engine: 'embedded', dir: '/srv/data', label: 'data directory /srv/data' }
 */
export type StoreLocation =
  | { engine: 'embedded'; dir: string; label: string }
  | {
      engine: 'postgres'
      url: string
      /** `host:port/database`: what identifies the database, never the user or password. */
      database: string
      label: string
    }

/**
 * Reads `--from`/`--to`: a `postgres://` (or `postgresql://`) URL is a database, anything else a data
 * directory (relative to `cwd`). Throws a TypeError naming the option for what cannot be either.
 *
 * @example
 * parseLocation('./data', '--from')                          // { engine: 'embedded', dir: '/srv/app/data', … }
 * parseLocation('postgres://sb@db:5432/switchboard', '--to') // { engine: 'postgres', database: 'db:5432/switchboard', … }
 */
export function parseLocation(text: string, option: string, cwd = process.cwd()): StoreLocation {
  if (text.trim() === '') throw new TypeError(`${option} needs a data directory or a postgres:// URL`)
  if (/^postgres(ql)?:\/\//i.test(text)) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      throw new TypeError(`${option} is not a valid URL (a password with @, / or : must be percent-encoded)`)
    }
    // libpq's URL syntax: the host and port may be in the query (a unix socket directory), the database
    // defaults to the user's name.
    const host = url.searchParams.get('host') ?? (url.hostname === '' ? 'localhost' : decodeURIComponent(url.hostname))
    const port = url.searchParams.get('port') ?? (url.port === '' ? '5432' : url.port)
    const name = decodeURIComponent(url.pathname.slice(1)) || url.searchParams.get('dbname') || decodeURIComponent(url.username)
    const database = `${host}:${port}/${name}`
    return { engine: 'postgres', url: text, database, label: `PostgreSQL at ${database}` }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new TypeError(`${option} must be a data directory or a postgres:// URL, not "${text.split('://')[0]}://…"`)
  }
  const dir = resolve(cwd, text)
  return { engine: 'embedded', dir, label: `data directory ${dir}` }
}

/**
 * Whether two locations name the same store: the same database, or the same directory (symbolic links
 * followed where the directory exists).
 *
 * @example
 * if (await sameLocation(from, to)) return io.fail('--from and --to name the same store', 2)
 */
export async function sameLocation(a: StoreLocation, b: StoreLocation): Promise<boolean> {
  if (a.engine === 'postgres' && b.engine === 'postgres') return a.database === b.database
  if (a.engine === 'embedded' && b.engine === 'embedded') {
    const real = (dir: string) => realpath(dir).catch(() => dir)
    return (await real(a.dir)) === (await real(b.dir))
  }
  return false
}

/**
 * Opens the store at a location. A data directory must not be in use (its lock file refuses it, with the
 * message saying by which process); a source directory must hold a store. A database is brought to this
 * version's schema by the engine (a newer one is refused); one that cannot be reached fails naming host
 * and port.
 *
 * @example
 * const source = await openLocation(parseLocation('./data', '--from'), { role: 'source', log })
 */
export async function openLocation(
  location: StoreLocation,
  options: { role: 'source' | 'target'; log: StoreLog; pool?: PostgresStoreOptions['pool'] },
): Promise<Store> {
  if (location.engine === 'postgres')
    return createPostgresStore({ url: location.url, log: options.log, ...(options.pool ? { pool: options.pool } : {}) })
  // Opening creates a missing directory and an empty store: right for a target, a mistyped path for a source.
  if (options.role === 'source' && !['store.json', 'store.json.bak'].some((name) => existsSync(join(location.dir, name)))) {
    throw new SwitchboardError(
      404,
      'store_not_found',
      `There is no store in ${location.dir} (no store.json): nothing to migrate from there.`,
    )
  }
  return createEmbeddedStore({ dir: location.dir, log: options.log })
}
