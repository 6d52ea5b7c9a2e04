import ipaddr from 'ipaddr.js'
import { blockedAddressError } from './errors.ts'
import type { AddressClassification, AllowedHosts } from './types.ts'

// Instance-metadata services hand out cloud credentials: the classic SSRF prize (OWASP SSRF Prevention
// Cheat Sheet, "Cloud metadata"). All sit in ranges refused anyway; naming them lets the message say so and
// keeps them refused when an on-premise allow-list opens a whole range such as 169.254.0.0/16 or fc00::/7.
const METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OCI, DigitalOcean, OpenStack
  '169.254.170.2', // AWS ECS task metadata
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud (legacy)
  'fd00:ec2::254', // AWS IMDS over IPv6
])

const DESCRIPTIONS: Record<string, string> = {
  unspecified: 'the unspecified address (it means "this host")',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (shared, RFC 6598) address',
  private: 'a private network address',
  reserved: 'a reserved or documentation address',
  as112: 'a reserved (AS112) address',
  amt: 'a reserved (AMT) address',
  uniqueLocal: 'a unique-local (private IPv6) address',
  deprecatedSiteLocal: 'a site-local (private IPv6) address',
  ipv4Mapped: 'an IPv4-mapped IPv6 address',
  ipv4Compatible: 'an IPv4-compatible IPv6 address',
  rfc6145: 'an IPv4-translated IPv6 address',
  rfc6052: 'a local-use NAT64 address',
  teredo: 'a Teredo tunnel address',
  '6to4': 'a 6to4 tunnel address',
  metadata: 'a cloud metadata address',
  nonGlobal: 'an address outside the global unicast range',
}

// Only 2000::/3 is allocated for global unicast (RFC 4291 §2.4, IANA IPv6 address space); ipaddr.js calls
// everything it has no name for "unicast", which would let e.g. ::7f00:1 or 4000::1 through.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3')
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96')

/**
 * Classifies one IP address by the special-purpose registries (RFC 6890 and its IANA successors) using
 * ipaddr.js. Anything that is not plainly public unicast is non-public, including IPv4-mapped and
 * IPv4-compatible IPv6 forms of any address, and NAT64 / 6to4 addresses that embed a non-public IPv4.
 *
 * @example
 * classifyAddress('::ffff:127.0.0.1') // { isPublic: false, range: 'loopback', embedded: '127.0.0.1', … }
 * classifyAddress('8.8.8.8').isPublic // true
 */
export function classifyAddress(address: string): AddressClassification {
  if (!ipaddr.isValid(address)) return verdict(address, false, 'invalid', 'not an IP address')
  const parsed = ipaddr.parse(address)
  const normal = parsed.toString()
  if (METADATA_ADDRESSES.has(normal)) return verdict(normal, false, 'metadata', DESCRIPTIONS.metadata!, true)
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range()
    return verdict(normal, range === 'unicast', range)
  }
  return classifyV6(parsed as ipaddr.IPv6)
}

function classifyV6(addr: ipaddr.IPv6): AddressClassification {
  const normal = addr.toString()
  const range = addr.range()
  const embedded = embeddedV4(addr, range)
  if (embedded) {
    const name = range === 'unicast' ? 'ipv4Compatible' : range
    const inner = classifyAddress(embedded)
    // Report the embedded address when it is the dangerous part: "::ffff:127.0.0.1 → 127.0.0.1, loopback".
    if (!inner.isPublic) return { ...inner, address: normal, embedded }
    // NAT64 and 6to4 to a public IPv4 are how IPv6-only networks reach the v4 internet; mapped and
    // compatible forms have no such use in DNS answers and are refused outright.
    const allowed = range === '6to4' || (range === 'rfc6052' && addr.match(NAT64_WELL_KNOWN))
    return verdict(normal, allowed, name)
  }
  if (range !== 'unicast') return verdict(normal, false, range)
  if (!addr.match(GLOBAL_UNICAST_V6)) return verdict(normal, false, 'nonGlobal')
  return verdict(normal, true, 'unicast')
}

function embeddedV4(addr: ipaddr.IPv6, range: string): string | undefined {
  const p = addr.parts
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') return v4(p[6]!, p[7]!)
  if (range === '6to4') return v4(p[1]!, p[2]!)
  // ::a.b.c.d, the deprecated IPv4-compatible form (RFC 4291 §2.5.5.1); :: and ::1 have their own names.
  if (range === 'unicast' && p.slice(0, 6).every((x) => x === 0)) return v4(p[6]!, p[7]!)
  return undefined
}

function verdict(address: string, isPublic: boolean, range: string, description?: string, metadata = false): AddressClassification {
  const words = description ?? DESCRIPTIONS[range] ?? (isPublic ? 'a public address' : `a special-purpose (${range}) address`)
  return { address, isPublic, range, description: words, metadata }
}

/**
 * Throws `blocked_address` unless `address` is public or covered by a CIDR entry of the allow-list. Cloud
 * metadata addresses pass only with an entry for exactly that address. Host-name entries are checked by the
 * caller, which knows the name that was asked for.
 *
 * @example
 * assertAddressAllowed('wiki.corp', '10.0.0.7', parseAllowedHosts('10.0.0.0/8')) // passes
 * assertAddressAllowed('wiki.corp', '10.0.0.7', parseAllowedHosts(''))           // throws blocked_address
 */
export function assertAddressAllowed(host: string, address: string, allowedHosts: AllowedHosts): AddressClassification {
  const classification = classifyAddress(address)
  if (classification.isPublic) return classification
  const exact = classification.metadata
  if (allowedHosts.allowsAddress(classification.address, { exact })) return classification
  if (classification.embedded && allowedHosts.allowsAddress(classification.embedded, { exact })) return classification
  // An IP literal host is named by its canonical form, so the message reads "… is …", not "resolves to".
  throw blockedAddressError(ipaddr.isValid(host) ? classification.address : host, classification)
}
