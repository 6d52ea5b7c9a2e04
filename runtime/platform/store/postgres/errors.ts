/**
 * What PostgreSQL and the driver throw, turned into the runtime's one error type: an unreachable or lost
 * database and a statement timeout are 503 `store_unavailable` (the caller may try again later), a unique
 * clash is 409 `conflict`. Codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import { isSwitchboardError, SwitchboardError } from '../../../errors.ts'

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
])
/** Shutdown, crash recovery, too many connections, out of resources, a read-only standby after a failover. */
const SERVER_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53000', '53100', '53200', '53300', '25006'])
/** The driver's own words for a connection that is gone or could not be had in time. */
const DRIVER_UNAVAILABLE =
  /connection terminated|not queryable|timeout exceeded when trying to connect|connection timeout|after calling end on the pool/i

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** Whether the database could not be reached or dropped the connection (nothing says the statement ran). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = sqlState(error)
  if (code !== undefined && (NETWORK.has(code) || SERVER_UNAVAILABLE.has(code) || code.startsWith('08'))) return true
  return DRIVER_UNAVAILABLE.test(error.message)
}

/** A deadlock or serialization failure: the transaction was rolled back and may simply run again. */
export function isRetryable(error: unknown): boolean {
  const code = sqlState(error)
  return code === '40001' || code === '40P01'
}

/** A unique index (or the primary key) refused a write. */
export function isUniqueViolation(error: unknown): error is Error & { constraint?: string } {
  return sqlState(error) === '23505'
}

/**
 * The error to throw for `error`, met while doing `what` (`"update of connections/c1"`): a SwitchboardError
 * as it is, 503 for an unreachable database or a timeout, anything else unchanged (a bug to see, not hide).
 *
 * @example
 * try { … } catch (error) { throw storeError(error, 'get of apps/a1', options.target) }
 */
export function storeError(error: unknown, what: string, target: string): unknown {
  if (isSwitchboardError(error)) return error
  const code = sqlState(error)
  if (code === '57014' || code === '55P03') {
    return new SwitchboardError(
      503,
      'store_unavailable',
      `The database at ${target} took too long with the ${what} (statement timeout); try again.`,
      {
        cause: error,
      },
    )
  }
  if (code === '22P05' || code === '22021') {
    // jsonb and text cannot hold U+0000 (https://www.postgresql.org/docs/current/datatype-json.html).
    return new SwitchboardError(
      500,
      'store_invalid_record',
      `The ${what} holds text PostgreSQL cannot store (${(error as Error).message}).`,
      { cause: error },
    )
  }
  if (isConnectionError(error)) {
    return new SwitchboardError(
      503,
      'store_unavailable',
      `The database at ${target} is unavailable (${(error as Error).message}); the ${what} did not happen.`,
      {
        cause: error,
      },
    )
  }
  return error
}

/**
 * The error for a database that cannot be used at start: names the host and port and what to check.
 *
 * @example
 * throw startError(error, 'db.internal:5432')
 */
export function startError(error: unknown, target: string): SwitchboardError {
  if (isSwitchboardError(error)) return error
  const code = sqlState(error)
  const reason = (error as Error)?.message ?? String(error)
  const say = (message: string) => new SwitchboardError(503, 'store_unavailable', message, { cause: error })
  if (code === '28P01' || code === '28000') {
    return say(
      `PostgreSQL at ${target} refused the login (${reason}). Check the user and password in the database URL ` +
        `(SWITCHBOARD_DATABASE_URL) and the server's pg_hba.conf.`,
    )
  }
  if (code === '3D000') {
    return say(
      `PostgreSQL at ${target} has no such database (${reason}). Create it (createdb) or fix the database name in ` +
        `SWITCHBOARD_DATABASE_URL.`,
    )
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return say(`Cannot resolve the database host of ${target} (${reason}). Check the host name in SWITCHBOARD_DATABASE_URL.`)
  }
  return say(
    `Cannot reach PostgreSQL at ${target} (${reason}). Check that the server is running and accepts connections on that host and port ` +
      '(listen_addresses, firewall), and the host and port in SWITCHBOARD_DATABASE_URL.',
  )
}
