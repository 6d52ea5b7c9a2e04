import { describe, expect, it } from 'vitest'
import { assertAddressAllowed, classifyAddress, parseAllowedHosts } from '../../runtime/platform/http/index.ts'

describe('classifyAddress', () => {
  // Classified only: nothing here is ever connected to.
  it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700:4700::1111', '2a00:1450:4001::200e', '64:ff9b::808:808', '2002:808:808::1'])(
    '%s is public',
    (address) => expect(classifyAddress(address).isPublic).toBe(true),
  )

  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.100.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['169.254.1.1', 'linkLocal'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['198.51.100.10', 'reserved'],
    ['203.0.113.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'metadata'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'teredo'],
    ['100::1', 'discard'],
    ['4000::1', 'nonGlobal'],
    ['::ffff:8.8.8.8', 'ipv4Mapped'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['::808:808', 'ipv4Compatible'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b:1::808:808', 'rfc6052'],
    ['2002:c0a8:101::1', 'private'],
    ['not-an-ip', 'invalid'],
  ])('%s is refused as %s', (address, range) => {
    const c = classifyAddress(address)
    expect(c.isPublic).toBe(false)
    expect(c.range).toBe(range)
    expect(c.description).not.toBe('')
  })
})

describe('assertAddressAllowed', () => {
  it('lets CIDR entries open ranges, but metadata only by its exact address', () => {
    const allowed = parseAllowedHosts('10.0.0.0/8, 169.254.0.0/16, fc00::/7')
    expect(() => assertAddressAllowed('wiki.corp', '10.9.8.7', allowed)).not.toThrow()
    expect(() => assertAddressAllowed('x', '169.254.1.1', allowed)).not.toThrow()
    expect(() => assertAddressAllowed('x', '169.254.169.254', allowed)).toThrow(/metadata/)
    expect(() => assertAddressAllowed('x', 'fd00:ec2::254', allowed)).toThrow(/metadata/)
    expect(() => assertAddressAllowed('x', '169.254.169.254', parseAllowedHosts('169.254.169.254/32'))).not.toThrow()
  })

  it('explains the refusal in plain words', () => {
    expect(() => assertAddressAllowed('wiki.corp', '127.0.0.1', parseAllowedHosts(''))).toThrow(
      '"wiki.corp" resolves to 127.0.0.1, a loopback address; requests to private networks are refused. If this is an on-premise tool, ' +
        'add its host to SWITCHBOARD_ALLOWED_HOSTS.',
    )
  })
})
