import { upstreamError } from '../errors.ts'
import type { AllowedHosts, HttpBody } from '../types.ts'
import { assertUrlAllowed } from '../url-policy.ts'

/** Everything that is sent on one hop. */
export interface Hop {
  url: URL
  method: string
  /** Lowercase names. */
  headers: Record<string, string>
  body: HttpBody | undefined
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

// Request-body headers, dropped when a redirect turns the request into a GET (Fetch §4.4 step 12).
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']

/**
 * Whether a response is a redirect the client may follow (it needs a Location too).
 *
 * @example
 * isRedirect(302, '/next') // true; isRedirect(304, null) // false
 */
export function isRedirect(status: number, location: string | null): location is string {
  return REDIRECTS.has(status) && location !== null && location !== ''
}

/**
 * The next hop of a redirect, or `undefined` when the redirect is not to be followed and the 3xx itself is
 * the answer. Only a redirect to the same origin (scheme, host and port) is followed: a request carries
 * credentials in places no list can name (any header, query parameter or body templated over a secret), so
 * nothing of it may go to another origin, and the caller decides what to do with the 3xx. A 307/308 that
 * would repeat a streamed body, which was consumed by sending it, is answered as it is too. Fetch semantics
 * otherwise: 303 (and 301/302 after POST) become GET without body, 307/308 repeat method and body. The target
 * passes the same URL checks as the first request (the socket checks happen again at connect).
 *
 * @example
 * const next = nextHop(hop, 303, response.headers.get('location')!, allowedHosts) // a GET without body, or undefined
 */
export function nextHop(current: Hop, status: number, location: string, allowedHosts: AllowedHosts): Hop | undefined {
  let target: URL
  try {
    target = new URL(location, current.url)
  } catch {
    throw upstreamError(current.url.host, 'network', 'it redirected to an invalid address')
  }
  if (target.origin !== current.url.origin || target.username !== '' || target.password !== '') return undefined
  target.hash = ''
  target = assertUrlAllowed(target, allowedHosts)

  const headers = { ...current.headers }
  let { method, body } = current
  if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
    method = 'GET'
    body = undefined
    for (const name of BODY_HEADERS) delete headers[name]
  } else if (body instanceof ReadableStream) {
    return undefined
  }
  return { url: target, method, headers, body }
}
