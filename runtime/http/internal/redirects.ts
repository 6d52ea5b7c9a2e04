import type { AllowedHosts } from '../types.ts'
import { upstreamError } from '../errors.ts'
import type { HttpBody } from '../types.ts'
import { assertUrlAllowed } from '../url-policy.ts'

/** Everything that is sent on one hop. */
export interface Hop {
  url: URL
  method: string
  headers: Headers
  body: HttpBody | undefined
}

export interface RedirectPolicy {
  allowedHosts: AllowedHosts
  /** Lower-case header names to drop on a cross-origin hop. */
  credentialHeaders: ReadonlySet<string>
  /** Lower-case query parameter names to drop on a cross-origin hop. */
  credentialQueryParams: ReadonlySet<string>
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/**
 * Headers that always carry credentials (Fetch standard §4.4 "HTTP-redirect fetch", step 13).
 *
 * @example
 * ALWAYS_CREDENTIAL_HEADERS.includes('authorization') // true
 */
export const ALWAYS_CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization']

// Request-body headers, dropped when a redirect turns the request into a GET (Fetch §4.4 step 12).
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']

/**
 * Whether a response is a redirect the client follows (it needs a Location too).
 *
 * @example
 * isRedirect(302, '/next') // true; isRedirect(304, null) // false
 */
export function isRedirect(status: number, location: string | null): location is string {
  return REDIRECTS.has(status) && location !== null && location !== ''
}

/**
 * The next hop of a redirect, with fetch semantics: 303 (and 301/302 after POST) become GET without body,
 * 307/308 repeat method and body. The target passes the same URL checks as the first request (the socket
 * checks happen again at connect), and on a change of origin every credential header and query parameter
 * is dropped, for good: a later hop back to the first origin does not get them again.
 *
 * @example
 * hop = nextHop(hop, 303, response.headers.get('location')!, policy) // now a GET without body
 */
export function nextHop(current: Hop, status: number, location: string, policy: RedirectPolicy): Hop {
  const host = current.url.host
  let target: URL
  try {
    target = new URL(location, current.url)
  } catch {
    throw upstreamError(host, 'network', 'it redirected to an invalid address')
  }
  target.hash = ''
  target = assertUrlAllowed(target, policy.allowedHosts)

  const headers = new Headers(current.headers)
  let { method, body } = current
  if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
    method = 'GET'
    body = undefined
    for (const name of BODY_HEADERS) headers.delete(name)
  } else if (body instanceof ReadableStream) {
    throw upstreamError(host, 'network', `it answered ${status} to a streamed body, which cannot be sent twice`)
  }

  if (target.origin !== current.url.origin) {
    for (const name of ALWAYS_CREDENTIAL_HEADERS) headers.delete(name)
    for (const name of policy.credentialHeaders) headers.delete(name)
    // Compared case-insensitively: `API_KEY` and `api_key` reach the same handler on many servers.
    const doomed = [...target.searchParams.keys()].filter((k) => policy.credentialQueryParams.has(k.toLowerCase()))
    for (const name of new Set(doomed)) target.searchParams.delete(name)
  }
  return { url: target, method, headers, body }
}
