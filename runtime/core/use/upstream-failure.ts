import { SwitchboardError } from '../../errors.ts'

/**
 * Failures to reach the upstream, in the two codes callers branch on (502 `upstream_error` with
 * `details.reason`, 504 `upstream_timeout`), masked. Refusals before sending (4xx: blocked address, invalid
 * URL) pass as they are.
 *
 * @example
 * catch (error) { throw upstreamFailure(error, masker.text) }
 */
export function upstreamFailure(error: unknown, mask: (text: string) => string): SwitchboardError {
  if (!(error instanceof SwitchboardError))
    return new SwitchboardError(502, 'upstream_error', 'The request to the API failed unexpectedly.', { cause: error })
  if (error.status < 500)
    return new SwitchboardError(error.status, error.code, mask(error.message), { details: error.details, cause: error })
  if (error.code === 'upstream_timeout')
    return new SwitchboardError(504, 'upstream_timeout', mask(error.message), { details: error.details, cause: error })
  return new SwitchboardError(502, 'upstream_error', mask(error.message), {
    details: { ...(error.details as object), reason: error.code },
    cause: error,
  })
}
