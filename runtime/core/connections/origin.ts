/**
 * Where a connection's credentials may go when its base URL moves. A connection's origin is the scheme,
 * host and port of its base URL; the credentials were entered for that origin and go nowhere else.
 */

const ENTRY = /^(?:(https?):\/\/)?(\*\.)?([a-z0-9.-]+)(?::(\d{1,5}))?$/
const DEFAULT_PORT: Record<string, string> = { 'https:': '443', 'http:': '80' }

/**
 * Whether a connector's `allowedHosts` admits this exact origin. An entry names a host (`api.example.com`,
 * or `*.example.com` for any subdomain) with an optional scheme and port: without a scheme it means
 * `https:`, without a port the scheme's default port. So `*.atlassian.net` admits
 * `https://acme.atlassian.net` but neither `http://acme.atlassian.net` nor `https://acme.atlassian.net:8443`;
 * `https://*.example.com:8443` admits that port, and `http://legacy.example.com` plain http.
 *
 * @example
 * originAllowed(new URL('https://acme.atlassian.net/rest'), ['*.atlassian.net'])      // true
 * originAllowed(new URL('http://acme.atlassian.net'), ['*.atlassian.net'])            // false
 * originAllowed(new URL('https://eu.example.com:8443'), ['https://*.example.com:8443']) // true
 */
export function originAllowed(url: URL, entries: readonly string[] | undefined): boolean {
  const port = url.port || DEFAULT_PORT[url.protocol]
  return (entries ?? []).some((entry) => {
    const parsed = ENTRY.exec(entry.toLowerCase())
    if (!parsed) return false
    const [, scheme = 'https', wildcard, host = '', entryPort] = parsed
    if (url.protocol !== `${scheme}:` || port !== (entryPort ?? DEFAULT_PORT[`${scheme}:`])) return false
    return wildcard ? url.hostname.endsWith(`.${host}`) : url.hostname === host
  })
}

/**
 * Whether stored credentials may stay when a connection's base URL goes from `before` to `after`: the
 * same origin keeps them; another origin keeps them only where the connector's `allowedHosts` admits
 * that exact origin; a move from https to http never does (the next request would send them in clear
 * text). `before` is undefined when the old base URL cannot be rendered: then nothing is kept.
 *
 * @example
 * keepsCredentials(new URL('https://api.example.com'), new URL('http://api.example.com'), ['api.example.com']) // false
 */
export function keepsCredentials(before: URL | undefined, after: URL, allowedHosts: readonly string[] | undefined): boolean {
  if (before === undefined) return false
  if (before.origin === after.origin) return true
  if (before.protocol === 'https:' && after.protocol !== 'https:') return false
  return originAllowed(after, allowedHosts)
}
