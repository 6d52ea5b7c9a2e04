import ipaddr from 'ipaddr.js'
import { assertAddressAllowed } from './address-policy.ts'
import { invalidUrlError, localNameError } from './errors.ts'
import type { AllowedHosts } from './types.ts'

/**
 * The port a URL connects to, with the scheme's default filled in (WHATWG leaves `port` empty for it).
 *
 * @example
 * effectivePort(new URL('https://api.example.com/')) // 443
 */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port)
  return url.protocol === 'https:' ? 443 : 80
}

/**
 * The first line of defence, before any DNS lookup or socket (OWASP SSRF Prevention Cheat Sheet, "input
 * validation"): only http(s), no user info, and no host that is known to be non-public by its spelling.
 * The WHATWG URL parser has already turned every IPv4 notation into a dotted quad (`2130706433`,
 * `0177.0.0.1`, `0x7f.1`, `127.1` → `127.0.0.1`) and IPv6 into its canonical form, so one classification
 * covers them all. Names are checked again, by address, when the connection is made.
 *
 * @example
 * assertUrlAllowed('https://api.github.com/user', parseAllowedHosts(''))  // → URL
 * assertUrlAllowed('http://0x7f.1/', parseAllowedHosts(''))                // throws blocked_address
 * assertUrlAllowed('http://user:pw@example.com/', parseAllowedHosts(''))   // throws invalid_url
 */
export function assertUrlAllowed(input: string | URL, allowedHosts: AllowedHosts): URL {
  const url = parseHttpUrl(input)
  const host = url.hostname
  if (allowedHosts.allowsHost(host, effectivePort(url))) return url
  const bare = host.startsWith('[') ? host.slice(1, -1) : host
  if (ipaddr.isValid(bare) && (host.startsWith('[') || ipaddr.IPv4.isValidFourPartDecimal(bare))) {
    assertAddressAllowed(bare, bare, allowedHosts)
    return url
  }
  // RFC 6761 §6.3: localhost and *.localhost are loopback by definition, whatever DNS says; refusing them by
  // name gives a clear message (and no lookup). A CIDR entry that opens loopback lets them through.
  if (isLocalhostName(host) && !allowedHosts.allowsAddress('127.0.0.1') && !allowedHosts.allowsAddress('::1')) {
    throw localNameError(host)
  }
  return url
}

/**
 * Parses an absolute URL and checks the parts that do not depend on the host: scheme and user info.
 * `http://@host` and `http://user@host` are both refused: user info is the classic way to make a URL read
 * as one host and go to another (`http://good.com@evil.com`).
 *
 * @example
 * parseHttpUrl('HTTPS://API.example.com/x').hostname // 'api.example.com'
 */
export function parseHttpUrl(input: string | URL): URL {
  let url: URL
  try {
    // A URL is checked as it is, not parsed again from its text (the same URL: its serialisation is canonical).
    url = input instanceof URL ? input : new URL(input)
  } catch {
    throw invalidUrlError('This is not a valid absolute URL; it must start with https:// or http://.', 'syntax')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidUrlError(`Only http and https URLs can be requested, not "${url.protocol}".`, 'scheme', {
      scheme: url.protocol,
    })
  }
  if (url.username !== '' || url.password !== '' || (typeof input === 'string' && authorityOf(input).includes('@'))) {
    throw invalidUrlError(
      'URLs with a user name or password (user@host) are refused; enter credentials in the connection instead.',
      'userinfo',
    )
  }
  if (url.hostname === '') throw invalidUrlError('This URL has no host.', 'host')
  return url
}

/**
 * Whether a host name is `localhost` or under `.localhost` (with or without the root dot).
 *
 * @example
 * isLocalhostName('api.localhost.') // true
 */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '')
  return name === 'localhost' || name.endsWith('.localhost')
}

// The raw authority as the URL was written, so that an empty user info (`http://@host`), which the WHATWG
// serialisation drops, is still seen. Special schemes treat `\` like `/` (WHATWG URL §4.4).
function authorityOf(raw: string): string {
  const match = /^\s*[a-z][a-z0-9+.-]*:[/\\]*([^/\\?#]*)/i.exec(raw)
  return match?.[1] ?? ''
}
