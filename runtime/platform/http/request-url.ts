import { invalidUrlError } from './errors.ts'
import { parseHttpUrl } from './url-policy.ts'

// Characters that end a request line or header, or that servers and proxies treat inconsistently (CRLF
// injection, request splitting): C0 controls, DEL and the C1 range.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/**
 * Appends a path (with optional `?query`) to a connection's base URL, keeping the base path, and refuses
 * anything that could move the request to another origin or out from under the base path, because the
 * credentials sent with it belong to that origin and path only (OWASP SSRF Prevention Cheat Sheet; OWASP
 * Path Traversal). Refused: absolute and scheme-relative URLs, backslashes, `.`/`..` segments written raw,
 * percent-encoded (once or more) or in full-width forms, encoded `/` or `\`, `..;` (Tomcat path
 * parameters), fragments, control characters and malformed percent-encoding.
 *
 * @example
 * resolveRequestUrl('https://x.atlassian.net/rest', '/api/3/myself').href
 * // 'https://x.atlassian.net/rest/api/3/myself'
 * resolveRequestUrl('https://api.example.com/v1/', 'users?page=2').href
 * // 'https://api.example.com/v1/users?page=2'
 * resolveRequestUrl('https://api.example.com/v1', '//evil.com/x') // throws invalid_url
 */
export function resolveRequestUrl(baseUrl: string | URL, path: string): URL {
  const base = parseHttpUrl(baseUrl)
  if (base.search !== '' || base.hash !== '') {
    throw invalidUrlError('A base URL cannot have a query or fragment; put those in the request.', 'base')
  }
  const refuse = (why: string, rule: string): never => {
    throw invalidUrlError(`The request path ${why}; it must be a path under the base URL.`, rule)
  }
  if (typeof path !== 'string') refuse('is not text', 'type')
  if (CONTROL.test(path)) refuse('contains control characters', 'control')
  if (path.includes('#')) refuse('contains a fragment (#)', 'fragment')
  if (path.startsWith('//')) refuse('is scheme-relative (//host)', 'scheme_relative')
  if (SCHEME.test(path)) refuse('is an absolute URL', 'absolute')
  const queryAt = path.indexOf('?')
  const rawPath = queryAt === -1 ? path : path.slice(0, queryAt)
  const query = queryAt === -1 ? '' : path.slice(queryAt)
  if (rawPath.includes('\\')) refuse('contains a backslash', 'backslash')
  for (const segment of rawPath.split('/')) {
    const rule = unsafeSegment(segment)
    if (rule) refuse(SEGMENT_WORDS[rule], rule)
  }
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`
  const relative = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath
  // Built from the origin as a string, never `new URL(path, base)`: relative resolution is exactly what
  // lets `//host`, `/..` and `\` escape. The separator between base path and path is always present, so
  // nothing in `path` can reach the authority (`https://host` + `@evil.com`).
  const joined = rawPath === '' ? base.pathname : `${basePath}${relative}`
  const url = new URL(`${base.origin}${joined}${query}`)
  assertSameOrigin(url, base)
  if (url.pathname !== base.pathname && !url.pathname.startsWith(basePath)) {
    refuse('leaves the base path', 'escape')
  }
  return url
}

type SegmentRule = 'dot_segment' | 'encoded_separator' | 'percent_encoding' | 'control'

const SEGMENT_WORDS: Record<SegmentRule, string> = {
  dot_segment: 'contains a "." or ".." segment (possibly percent-encoded)',
  encoded_separator: 'contains an encoded slash or backslash (%2F, %5C)',
  percent_encoding: 'contains malformed percent-encoding',
  control: 'contains encoded control characters',
}

// Servers decode paths once, twice, or NFKC-normalise them (full-width "．．" → ".."), so each segment is
// decoded until it stops changing and judged in its most decoded form.
function unsafeSegment(segment: string): SegmentRule | undefined {
  let decoded = segment
  for (let i = 0; i < 4; i++) {
    let next: string
    try {
      next = decodeURIComponent(decoded)
    } catch {
      return 'percent_encoding'
    }
    if (next === decoded) break
    decoded = next
  }
  decoded = decoded.normalize('NFKC')
  if (/[/\\]/.test(decoded)) return 'encoded_separator'
  if (CONTROL.test(decoded)) return 'control'
  // `..;jsessionid` is `..` to Tomcat and some proxies (path parameters, RFC 3986 §3.3).
  const bare = decoded.split(';')[0]!.trim()
  if (bare === '.' || bare === '..') return 'dot_segment'
  return undefined
}

/**
 * Throws `invalid_url` when `url` is not on the origin (scheme, host, port) of `baseUrl`. Used wherever a
 * URL came from somewhere other than {@link resolveRequestUrl}, such as a connector's absolute test URL.
 *
 * @example
 * assertSameOrigin('https://api.example.com/v2/me', 'https://api.example.com/v1') // passes
 * assertSameOrigin('https://evil.com/', 'https://api.example.com/')              // throws invalid_url
 */
export function assertSameOrigin(url: string | URL, baseUrl: string | URL): void {
  const target = parseHttpUrl(url)
  const base = parseHttpUrl(baseUrl)
  if (target.origin !== base.origin) {
    throw invalidUrlError('The request would go to another origin than the base URL; credentials stay with their host.', 'cross_origin')
  }
}
