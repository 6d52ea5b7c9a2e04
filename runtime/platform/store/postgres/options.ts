/** Options of {@link createPostgresStore}, and their checks (made before anything connects). */

/** Where the store tells what a person should know about (a lost connection, a reconnect). */
export type PostgresStoreLog = (level: 'info' | 'warn', message: string) => void

/**
 * Options of `createPostgresStore`.
 *
 * @example
 * const options: PostgresStoreOptions = { url: process.env.SWITCHBOARD_DATABASE_URL!, pool: { max: 20 } }
 */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database` (libpq URL syntax, `?sslmode=…` and the like allowed). */
  url: string
  pool?: {
    /** Connections for reads and writes (default 10); `lock` holds its own, up to as many again. */
    max?: number
    /** An unused connection is closed after this long (default 30 000 ms). */
    idleTimeoutMs?: number
    /** Giving up on connecting, or on waiting for a free connection, after this long (default 10 000 ms). */
    connectTimeoutMs?: number
    /** The server cancels a statement (a lock wait included) running longer (default 30 000 ms; 0: never). */
    statementTimeoutMs?: number
  }
  /** Default: `console.warn` / `console.info` with a `[store]` prefix. */
  log?: PostgresStoreLog
}

/** Options with every default filled in. */
export interface CheckedOptions {
  url: string
  max: number
  idleTimeoutMs: number
  connectTimeoutMs: number
  statementTimeoutMs: number
  log: PostgresStoreLog
  /** `host:port` for messages (never the user or password). */
  target: string
}

const defaultLog: PostgresStoreLog = (level, message) => {
  if (level === 'warn') console.warn(`[store] ${message}`)
  else console.info(`[store] ${message}`)
}

/**
 * Fills in defaults, or throws a TypeError naming the option that is wrong.
 *
 * @example
 * checkOptions({ url: 'postgres://localhost/switchboard' }).target // 'localhost:5432'
 */
export function checkOptions(options: PostgresStoreOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('createPostgresStore: options are required.')
  const { url, pool = {}, log = defaultLog } = options
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) {
    throw new TypeError('createPostgresStore: "url" must be a postgres:// URL, such as postgres://user:password@host:5432/switchboard.')
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new TypeError('createPostgresStore: "url" is not a valid URL (a password with @, / or : must be percent-encoded).')
  }
  const whole = (name: string, value: number | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback
    if (!Number.isInteger(value) || value < min) {
      throw new TypeError(`createPostgresStore: "pool.${name}" must be a whole number, ${min} or more; got ${String(value)}.`)
    }
    return value
  }
  // libpq's URL syntax allows the host in the query (`?host=/var/run/postgresql`), a unix socket directory.
  const host = parsed.searchParams.get('host') ?? (parsed.hostname === '' ? 'localhost' : decodeURIComponent(parsed.hostname))
  const port = parsed.searchParams.get('port') ?? (parsed.port === '' ? '5432' : parsed.port)
  return {
    url,
    max: whole('max', pool.max, 10, 1),
    idleTimeoutMs: whole('idleTimeoutMs', pool.idleTimeoutMs, 30_000, 0),
    connectTimeoutMs: whole('connectTimeoutMs', pool.connectTimeoutMs, 10_000, 1),
    statementTimeoutMs: whole('statementTimeoutMs', pool.statementTimeoutMs, 30_000, 0),
    log,
    target: `${host}:${port}`,
  }
}
