import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ErrorEnvelope } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Logger } from '../../platform/log/index.ts'

/**
 * The one error handler: a {@link SwitchboardError} becomes `{ error: { code, message, details?, requestId } }`
 * with its status and its code in `X-Switchboard-Error`; anything else is a 500 whose details stay in the log (name
 * and stack frames, never the message, which may quote what it choked on, and never the request body).
 *
 * @example
 * app.onError(onError(logger))
 */
export function onError(logger: Logger): ErrorHandler {
  return (error, c) => {
    const known = error instanceof SwitchboardError ? error : error instanceof HTTPException ? fromHono(error) : undefined
    if (!known) {
      const stack =
        error.stack
          ?.split('\n')
          .slice(1, 6)
          .map((frame) => frame.trim()) ?? []
      logger.error({ requestId: requestIdOf(c), error: error.name, stack }, 'unexpected error')
    }
    const answer = known ?? new SwitchboardError(500, 'internal_error', 'Something went wrong inside the runtime. The log has the details.')
    // An answer that knows when to come back says so (429 `rate_limited`): RFC 9110 §10.2.3.
    const retryAfter = (answer.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
    if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter))
    // The header tells the runtime's own refusal from an upstream's answer passed through the proxy.
    return c.json(envelope(answer, c), answer.status as 500, { 'X-Switchboard-Error': answer.code })
  }
}

/**
 * An error's JSON body with the request's id, so what a caller reports can be found in the log.
 *
 * @example
 * return c.json(envelope(new SwitchboardError(404, 'route_not_found', '…'), c), 404)
 */
export function envelope(error: SwitchboardError, c: Context): ErrorEnvelope {
  const body = error.toJSON() as ErrorEnvelope
  const requestId = requestIdOf(c)
  if (requestId !== undefined) body.error.requestId = requestId
  return body
}

function requestIdOf(c: Context): string | undefined {
  return c.get('requestId' as never) as string | undefined
}

function fromHono(error: HTTPException): SwitchboardError {
  if (error.status === 413) return new SwitchboardError(413, 'body_too_large', 'The request body is too large (at most 1 MB).')
  return new SwitchboardError(error.status, 'http_error', error.message || 'The request could not be handled.')
}
