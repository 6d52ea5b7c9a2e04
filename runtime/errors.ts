/**
 * The one error type of the runtime. Anything that fails while handling a request throws this (or is
 * wrapped into it), and the app's single `onError` renders it as `{ error: { code, message, details? } }`.
 *
 * @example
 * throw new SwitchboardError(404, 'connection_not_found', `No connection "${id}" in app "${appId}".`)
 */
export class SwitchboardError extends Error {
  override readonly name = 'SwitchboardError'

  constructor(
    /** HTTP status to answer with. */
    readonly status: number,
    /** Stable snake_case code that callers can branch on. */
    readonly code: string,
    /** Plain words: what went wrong and what to do about it. Never contains a secret. */
    message: string,
    options: { details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    if (options.details !== undefined) this.details = options.details
  }

  /** Extra data for the caller (validation errors, connect links). Never contains a secret. */
  details?: unknown

  /** The JSON body the API answers with. */
  toJSON(): { error: { code: string; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    }
  }
}

/** Whether `value` is a {@link SwitchboardError}, across module copies. */
export function isSwitchboardError(value: unknown): value is SwitchboardError {
  return value instanceof SwitchboardError
}
