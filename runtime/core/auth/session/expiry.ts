import { lookup } from '../../../../schemas/template/index.ts'
import type { SessionExpiry } from '../../../../schemas/types/connector.ts'
import { splitPointer } from '../../../../schemas/validate/index.ts'
import type { HttpResponse } from '../../../platform/http/index.ts'

/**
 * When a session ends (epoch ms): what the login answer says at `pointer` or in `header`, read in `format`,
 * or what the `cookie` it names says of itself, else `lifetimeSeconds` from now, else `undefined` (it lasts until the
 * API answers 401). A value that does not read as a time is ignored rather than trusted.
 *
 * @example
 * expiresAt({ pointer: '/expires_in' }, response, now) // now + 3600 * 1000
 */
export function expiresAt(expiry: SessionExpiry | undefined, response: HttpResponse, now: number): number | undefined {
  if (!expiry) return undefined
  if (expiry.cookie !== undefined) {
    const ends = cookieEnds(response.headers.getSetCookie(), expiry.cookie, now)
    return ends ?? (expiry.lifetimeSeconds === undefined ? undefined : now + expiry.lifetimeSeconds * 1000)
  }
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

/**
 * When a cookie the answer sets ends: its `Max-Age` in seconds, which wins over `Expires` (RFC 6265 §5.3 step 3),
 * else its `Expires` date; `undefined` for a cookie that lasts the browser session or is not set.
 */
function cookieEnds(setCookies: string[], name: string, now: number): number | undefined {
  let ends: number | undefined
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';')
    if (pair.slice(0, pair.indexOf('=')).trim() !== name) continue
    let maxAge: number | undefined
    let expires: number | undefined
    for (const attribute of attributes) {
      const eq = attribute.indexOf('=')
      const key = (eq === -1 ? attribute : attribute.slice(0, eq)).trim().toLowerCase()
      const value = eq === -1 ? '' : attribute.slice(eq + 1).trim()
      if (key === 'max-age' && /^-?[0-9]+$/.test(value)) maxAge = Number(value)
      else if (key === 'expires' && Number.isFinite(Date.parse(value))) expires = Date.parse(value)
    }
    ends = maxAge !== undefined ? now + maxAge * 1000 : expires
  }
  return ends
}
