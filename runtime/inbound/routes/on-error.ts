import type { ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ErrorEnvelope } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'

/** Where the runtime writes log lines. */
export type Log = (line: string) => void

/**
 * The one error handler: a {@link SwitchboardError} becomes `{ error: { code, message, details? } }`
 * with its status and its code in `X-Switchboard-Error`; anything else is a 500 whose details stay in the log (name and stack, never the
 * request body).
 *
 * @example
 * app.onError(onError(console.error))
 */
export function onError(log: Log): ErrorHandler {
  return (error, c) => {
    const known = error instanceof SwitchboardError ? error : error instanceof HTTPException ? fromHono(error) : undefined
    if (!known) log(`error: unexpected ${error.name}: ${error.stack?.split('\n').slice(1, 6).join(' | ') ?? ''}`)
    const answer = known ?? new SwitchboardError(500, 'internal_error', 'Something went wrong inside the runtime. The log has the details.')
    // The header tells the runtime's own refusal from an upstream's answer passed through the proxy.
    return c.json(answer.toJSON() as ErrorEnvelope, answer.status as 500, { 'X-Switchboard-Error': answer.code })
  }
}

function fromHono(error: HTTPException): SwitchboardError {
  if (error.status === 413) return new SwitchboardError(413, 'body_too_large', 'The request body is too large (at most 1 MB).')
  return new SwitchboardError(error.status, 'http_error', error.message || 'The request could not be handled.')
}
