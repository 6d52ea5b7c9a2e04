import { lookup } from '../../../../schemas/template/index.ts'
import type { SessionExpiry } from '../../../../schemas/types/connector.ts'
import { splitPointer } from '../../../../schemas/validate/index.ts'
import type { HttpResponse } from '../../../platform/http/index.ts'

/**
 * When a session ends (epoch ms): what the login answer says at `pointer` or in `header`, read in `format`,
 * else `lifetimeSeconds` from now, else `undefined` (it lasts until the API answers 401). A value that does
 * not read as a time is ignored rather than trusted.
 *
 * @example
 * expiresAt({ pointer: '/expires_in' }, response, now) // now + 3600 * 1000
 */
export function expiresAt(expiry: SessionExpiry | undefined, response: HttpResponse, now: number): number | undefined {
  if (!expiry) return undefined
  const said =
    expiry.pointer !== undefined
      ? lookup(response.body, splitPointer(expiry.pointer))
      : expiry.header !== undefined
        ? response.headers.get(expiry.header)
        : undefined
  const read = said === undefined || said === null ? undefined : readTime(said, expiry.format ?? 'seconds', now)
  if (read !== undefined) return read
  return expiry.lifetimeSeconds === undefined ? undefined : now + expiry.lifetimeSeconds * 1000
}

function readTime(value: unknown, format: NonNullable<SessionExpiry['format']>, now: number): number | undefined {
  if (format === 'iso8601') {
    const at = typeof value === 'string' ? Date.parse(value) : Number.NaN
    return Number.isFinite(at) ? at : undefined
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
  if (!Number.isFinite(n) || n <= 0) return undefined
  switch (format) {
    case 'seconds':
      return now + n * 1000
    case 'milliseconds':
      return now + n
    case 'epochSeconds':
      return n * 1000
    case 'epochMilliseconds':
      return n
  }
}
