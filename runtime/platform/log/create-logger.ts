import pino, { type DestinationStream, type Logger } from 'pino'
import { prettyLine } from './pretty.ts'

export type { Logger }

/** Where log lines go: anything with `write(line)`; tests pass one that keeps them. */
export type LogDestination = DestinationStream

/**
 * Keys whose values never reach the log, at the top of an entry and inside {@link REDACTED_IN}
 * (`headers.authorization`, `error.token`). Entries are built from chosen fields and never carry a body or a query
 * string; this is the net under that rule, for a header object or an error's own fields logged whole.
 */
export const REDACTED_KEYS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'password',
  'passphrase',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'apiKey',
  'api_key',
  'x-api-key',
  'privateKey',
  'private_key',
  'credentials',
  'secrets',
] as const

/**
 * The objects an entry may hold whose keys are redacted too. Named rather than every key one level down (`*.token`):
 * pino's wildcard redaction costs about 30 µs a line, the named paths about 0.2 µs, and every request logs a line.
 */
export const REDACTED_IN = ['headers', 'error', 'err', 'request', 'response', 'details', 'values'] as const

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** `trace` … `fatal`, or `silent` (default `info`). */
  level?: string | undefined
  /**
   * Where lines go. Default: stderr, written asynchronously in batches of up to 4 KiB, at least every 250 ms (a
   * line never waits for the terminal or a pipe; what is buffered is written at exit).
   */
  destination?: LogDestination | undefined
  /** Readable lines instead of JSON (default: when the default destination, stderr, is a terminal). */
  pretty?: boolean | undefined
}

/**
 * The runtime's logger: one JSON object per line (pino), `level` as a word, `time` in epoch ms, redacting
 * {@link REDACTED_KEYS}. In a terminal the same entries are printed readably by a small built-in printer.
 *
 * @example
 * const logger = createLogger({ level: process.env.SWITCHBOARD_LOG_LEVEL })
 * logger.info({ requestId, status: 200 }, 'request')
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level?.trim() || 'info'
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new TypeError(`The log level must be one of ${LEVELS.join(', ')} (got "${options.level}").`)
  }
  const pretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true)
  const out = options.destination ?? batchedDestination(2)
  const destination: LogDestination = pretty ? { write: (line: string) => void out.write(prettyLine(line, process.stderr.isTTY)) } : out
  return pino(
    {
      level,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: REDACTED_KEYS.flatMap((key) => [quoted(key), ...REDACTED_IN.map((within) => `${within}.${quoted(key)}`)]),
        censor: '[redacted]',
      },
    },
    destination,
  )
}

/**
 * Where the runtime writes log lines by default: a file descriptor or path, written asynchronously, lines
 * gathered up to 4 KiB or a quarter second per write (a write per line was a system call per request).
 *
 * @example
 * createLogger({ destination: batchedDestination('/dev/null') }) // as in production, to a sink that costs nothing
 */
export function batchedDestination(dest: number | string): LogDestination {
  return pino.destination({ dest, sync: false, minLength: 4096, periodicFlush: 250 })
}

/** A path segment as pino's redaction reads it: bracketed when it is not an identifier. */
function quoted(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`
}
