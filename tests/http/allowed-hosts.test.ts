import { describe, expect, it } from 'vitest'
import { parseAllowedHosts } from '../../runtime/platform/http/index.ts'

describe('parseAllowedHosts', () => {
  it('reads host names, host:port, IPv6 and CIDR ranges, ignoring blanks', () => {
    const allowed = parseAllowedHosts(' Jira.Corp , 127.0.0.1:8080,,[::1]:9000, ::1 , 10.0.0.0/8, fd00::/8, ')
    expect(allowed.entries.map((e) => e.kind)).toEqual(['host', 'host', 'host', 'host', 'cidr', 'cidr'])
    expect(allowed.allowsHost('jira.corp', 443)).toBe(true)
    expect(allowed.allowsHost('JIRA.CORP.', 80)).toBe(true)
    expect(allowed.allowsHost('127.0.0.1', 8080)).toBe(true)
    expect(allowed.allowsHost('127.0.0.1', 8081)).toBe(false)
    expect(allowed.allowsHost('[::1]', 9000)).toBe(true)
    expect(allowed.allowsHost('::1', 1234)).toBe(true)
    expect(allowed.allowsAddress('10.200.3.4')).toBe(true)
    expect(allowed.allowsAddress('::ffff:10.0.0.1')).toBe(true)
    expect(allowed.allowsAddress('fd12::1')).toBe(true)
    expect(allowed.allowsAddress('11.0.0.1')).toBe(false)
    expect(allowed.allowsAddress('10.0.0.1', { exact: true })).toBe(false)
  })

  it('normalises names and addresses the way URLs are normalised', () => {
    const allowed = parseAllowedHosts(['0x7f.1:3000', 'bücher.example', '[0:0:0:0:0:0:0:1]'])
    expect(allowed.allowsHost('127.0.0.1', 3000)).toBe(true)
    expect(allowed.allowsHost(new URL('http://bücher.example/').hostname, 80)).toBe(true)
    expect(allowed.allowsHost('[::1]', 80)).toBe(true)
  })

  it('accepts nothing when empty', () => {
    for (const value of [undefined, '', ' , ', []]) {
      const allowed = parseAllowedHosts(value)
      expect(allowed.entries).toEqual([])
      expect(allowed.allowsHost('localhost', 80)).toBe(false)
      expect(allowed.allowsAddress('127.0.0.1')).toBe(false)
    }
  })

  it.each([
    ['http://jira.corp', /without a scheme/],
    ['jira.corp/path', /CIDR/],
    ['*.corp.example', /wildcards/],
    ['user@jira.corp', /bare host/],
    ['jira.corp:0', /port/],
    ['jira.corp:65536', /port/],
    ['jira.corp:', /port/],
    ['jira.corp:http', /host or host:port/],
    ['10.0.0.0/33', /CIDR/],
    ['10.0.0.1/8', /did you mean 10\.0\.0\.0\/8/],
    ['0x7f.1/8', /CIDR/],
    ['fe80::1%eth0', /IPv6/],
    ['[::1', /host/],
    ['exa mple.com', /bare host/],
  ])('rejects %s with a message naming the entry', (entry, message) => {
    expect(() => parseAllowedHosts(`ok.example, ${entry}`)).toThrow(message)
    expect(() => parseAllowedHosts(entry)).toThrow(`"${entry}"`)
  })
})
