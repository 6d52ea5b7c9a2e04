import type { ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { SwitchboardError } from '../../errors.ts'

/** Where the runtime writes log lines. */
export type Log = (line: string) => void

/**
 * The one error handler: a {@link SwitchboardError} becomes `{ error: { code, message, details? } }`
 * with its status; anything else is a 500 whose details stay in the log (name and stack, never the
 * request body).
 *
 * @example
 * app.onError(onError(console.error))
 */
export function onError(log: Log): ErrorHandler {
  return (error, c) => {
    if (error instanceof SwitchboardError) {
      return c.json(error.toJSON(), error.status as 400)
    }
    if (error instanceof HTTPException) {
      const status = error.status
      const code = status === 413 ? 'body_too_large' : 'http_error'
      const message = status === 413 ? 'The request body is too large (at most 1 MB).' : error.message || 'The request could not be handled.'
      return c.json({ error: { code, message } }, status)
    }
    log(`error: unexpected ${error.name}: ${error.stack?.split('\n').slice(1, 6).join(' | ') ?? ''}`)
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong inside the runtime. The log has the details.' } }, 500)
  }
}
