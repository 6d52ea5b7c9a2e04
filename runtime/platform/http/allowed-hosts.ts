import ipaddr from 'ipaddr.js'
import type { AllowedHostEntry, AllowedHosts } from './types.ts'

const ENTRY_HELP = 'Give a host name (wiki.corp), host:port (127.0.0.1:8080, [::1]:8080) or a CIDR range (10.0.0.0/8).'

/**
 * Parses `SWITCHBOARD_ALLOWED_HOSTS` (comma-separated; blanks ignored) and rejects malformed entries with a
 * message naming the entry, so a typo fails at start-up rather than silently leaving a tool unreachable.
 *
 * @example
 * const allowed = parseAllowedHosts('jira.corp, 127.0.0.1:8080, 10.0.0.0/8, ::1/128')
 * allowed.allowsHost('127.0.0.1', 8080) // true
 * allowed.allowsAddress('10.1.2.3')     // true
 * parseAllowedHosts('http://jira.corp') // throws: … without a scheme or path …
 */
export function parseAllowedHosts(value: string | readonly string[] | undefined): AllowedHosts {
  const raw = typeof value === 'string' ? value.split(',') : (value ?? [])
  const entries = raw
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseEntry)
  return {
    entries,
    allowsHost(hostname, port) {
      const name = stripDot(unbracket(hostname.toLowerCase()))
      return entries.some((e) => e.kind === 'host' && e.hostname === name && (e.port === undefined || e.port === port))
    },
    allowsAddress(address, options = {}) {
      if (!ipaddr.isValid(address)) return false
      const addr = ipaddr.process(address)
      const bits = addr.kind() === 'ipv4' ? 32 : 128
      return entries.some(
        (e) =>
          e.kind === 'cidr' &&
          e.network.kind() === addr.kind() &&
          (!options.exact || e.prefixLength === bits) &&
          addr.match(e.network, e.prefixLength),
      )
    },
  }
}

function parseEntry(source: string): AllowedHostEntry {
  const fail = (why: string): never => {
    throw new TypeError(`SWITCHBOARD_ALLOWED_HOSTS entry "${source}" is not valid: ${why} ${ENTRY_HELP}`)
  }
  if (source.includes('/')) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) fail('write it without a scheme or path.')
    return parseCidr(source, fail)
  }
  if (source.includes('*')) fail('wildcards are not supported; list each host.')
  if (/[\s@?#\\]/.test(source)) fail('it must be a bare host, without user name, path or query.')
  // A bare IPv6 address has several colons and no port; brackets are needed to add one.
  if (!source.startsWith('[') && (source.match(/:/g)?.length ?? 0) > 1) {
    const hostname = URL.canParse(`http://[${source}]/`) ? new URL(`http://[${source}]/`).hostname : ''
    if (!hostname) fail('it is neither a host name nor an IPv6 address (zone ids such as %eth0 are not supported).')
    return { kind: 'host', hostname: unbracket(hostname), source }
  }
  const match = /^(\[[^\]]*\]|[^:]+)(?::(\d*))?$/.exec(source) ?? fail('it cannot be read as host or host:port.')
  const [, host = '', portText] = match
  let port: number | undefined
  if (portText !== undefined) {
    port = Number(portText)
    if (portText === '' || !Number.isInteger(port) || port < 1 || port > 65535) fail('the port must be 1–65535.')
  }
  // The WHATWG URL parser normalises names exactly as it will for request URLs: case, IDNA, and IPv4 in
  // any notation (0x7f.1 → 127.0.0.1), so an entry matches what requests actually carry.
  let hostname: string
  try {
    hostname = new URL(`http://${host}/`).hostname
  } catch {
    return fail('it is not a valid host name.')
  }
  return { kind: 'host', hostname: stripDot(unbracket(hostname)), ...(port === undefined ? {} : { port }), source }
}

function parseCidr(source: string, fail: (why: string) => never): AllowedHostEntry {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number]
  try {
    // ipaddr.js's lenient IPv4 forms (0x7f.1/8) are not accepted here: ranges are written in dotted quads.
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(source) && !ipaddr.IPv6.isValidCIDR(source)) throw new Error()
    parsed = ipaddr.parseCIDR(source)
  } catch {
    return fail('it is not a CIDR range such as 10.0.0.0/8 or fd00::/8.')
  }
  const [address, prefixLength] = parsed
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(source) : ipaddr.IPv6.networkAddressFromCIDR(source)
  if (network.toString() !== address.toString()) {
    fail(`the address has bits set past the prefix; did you mean ${network.toString()}/${prefixLength}?`)
  }
  return { kind: 'cidr', network, prefixLength, source }
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

// "localhost." and "localhost" name the same DNS node; entries and URLs compare without the root dot.
function stripDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host
}
