import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, type HttpClient, resolveRequestUrl } from '../../runtime/platform/http/index.ts'
import { expectFailure, startServer, staticLookup, type TestServer } from './helpers.ts'

// OWASP SSRF Prevention Cheat Sheet and its bypass lists, one row each. Every URL that could reach this
// machine points at the counting server's port P; names go through an injected DNS that answers what an
// attacker's zone would. A correct client refuses all of them before a socket opens, so the counter stays 0.
// "Public" answers below are only ever paired with a refused one: no test opens a non-loopback socket.
const DNS = {
  'rebind.test': ['127.0.0.1'],
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'localtest.me': ['127.0.0.1'],
  'metadata.google.internal': ['169.254.169.254'],
  '169.254.169.254.nip.io': ['169.254.169.254'],
  'imds6.test': ['fd00:ec2::254'],
  'alibaba.test': ['100.100.100.200'],
  'ten.test': ['10.0.0.5'],
  'one72.test': ['172.16.5.4'],
  'one92.test': ['192.168.1.10'],
  'cgnat.test': ['100.64.0.1'],
  'ula.test': ['fd12:3456::1'],
  'linklocal6.test': ['fe80::1'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'compat.test': ['::7f00:1'],
  'nat64.test': ['64:ff9b::7f00:1'],
  'sixtofour.test': ['2002:7f00:1::1'],
  'zero.test': ['0.0.0.0'],
  'loop6.test': ['::1'],
  'public-then-private.test': ['93.184.215.14', '127.0.0.1'],
  'private-then-public.test': ['10.0.0.5', '93.184.215.14'],
  'public6-then-loop.test': ['2606:4700:4700::1111', '::1'],
}

type Row = [url: string, code: 'blocked_address' | 'invalid_url']

function rows(P: number): Row[] {
  const b = (url: string): Row => [url, 'blocked_address']
  const u = (url: string): Row => [url, 'invalid_url']
  return [
    // IPv4 loopback in every notation the WHATWG parser accepts
    b(`http://127.0.0.1:${P}/`),
    b(`http://2130706433:${P}/`),
    b(`http://0177.0.0.1:${P}/`),
    b(`http://0x7f.1:${P}/`),
    b(`http://0x7f000001:${P}/`),
    b(`http://127.1:${P}/`),
    b(`http://127.0.1:${P}/`),
    b(`http://0177.1:${P}/`),
    b(`http://017700000001:${P}/`),
    b(`http://0x7f.0x0.0x0.0x1:${P}/`),
    b(`http://127.000.000.001:${P}/`),
    b(`http://127.0.0.1.:${P}/`),
    b(`http://%31%32%37.0.0.1:${P}/`),
    b(`http://①②⑦.0.0.1:${P}/`),
    b(`http://127。0。0。1:${P}/`),
    b(`http://127.0.0.2:${P}/`),
    b(`http://127.255.255.254:${P}/`),
    b(`HTTP://127.0.0.1:${P}/`),
    b(` http://127.0.0.1:${P}/`),
    b(`http:/127.0.0.1:${P}/`),
    b(`http:\\\\127.0.0.1:${P}\\`),
    b(`http://127.0.0.1:${P}\\@good.com/`),
    b(`http://127.0.0.1:${P}#@good.com`),
    b(`https://127.0.0.1:${P}/`),
    // unspecified: connecting to 0.0.0.0 reaches this host on Linux
    b(`http://0:${P}/`),
    b(`http://0.0.0.0:${P}/`),
    b(`http://0x0:${P}/`),
    b(`http://[::]:${P}/`),
    // IPv6 loopback, mapped, compatible, NAT64, 6to4
    b(`http://[::1]:${P}/`),
    b(`http://[0:0:0:0:0:0:0:1]:${P}/`),
    b(`http://[::ffff:127.0.0.1]:${P}/`),
    b(`http://[::ffff:7f00:1]:${P}/`),
    b(`http://[0:0:0:0:0:ffff:127.0.0.1]:${P}/`),
    b(`http://[::127.0.0.1]:${P}/`),
    b(`http://[64:ff9b::127.0.0.1]:${P}/`),
    b(`http://[2002:7f00:1::]:${P}/`),
    // cloud metadata
    b('http://169.254.169.254/latest/meta-data/'),
    b('http://2852039166/latest/meta-data/'),
    b('http://0xa9fea9fe/'),
    b('http://0251.0376.0251.0376/'),
    b('http://[::ffff:a9fe:a9fe]/'),
    b('http://[fd00:ec2::254]/latest/meta-data/'),
    b('http://100.100.100.200/latest/meta-data/'),
    // private, shared, link-local, multicast, broadcast, reserved, documentation
    b('http://10.0.0.1/'),
    b('http://10.255.255.255/'),
    b('http://172.16.0.1/'),
    b('http://172.31.255.254/'),
    b('http://192.168.0.1/'),
    b('http://192.168.1.1:8080/'),
    b('http://100.64.0.1/'),
    b('http://100.127.255.254/'),
    b('http://169.254.0.1/'),
    b('http://[fc00::1]/'),
    b('http://[fd12:3456:789a::1]/'),
    b('http://[fe80::1]/'),
    b('http://[fec0::1]/'),
    b('http://224.0.0.1/'),
    b('http://[ff02::1]/'),
    b('http://255.255.255.255/'),
    b('http://240.0.0.1/'),
    b('http://192.0.2.1/'),
    b('http://198.51.100.1/'),
    b('http://203.0.113.5/'),
    b('http://198.18.0.1/'),
    b('http://[2001:db8::1]/'),
    b('http://[100::1]/'),
    // local names (RFC 6761)
    b(`http://localhost:${P}/`),
    b(`http://LOCALHOST:${P}/`),
    b(`http://localhost.:${P}/`),
    b(`http://api.localhost:${P}/`),
    b(`http://foo.bar.localhost.:${P}/`),
    // names whose DNS answers a non-public address
    b(`http://rebind.test:${P}/`),
    b(`http://127.0.0.1.nip.io:${P}/`),
    b(`http://localtest.me:${P}/`),
    b('http://metadata.google.internal/computeMetadata/v1/'),
    b('http://169.254.169.254.nip.io/'),
    b('http://imds6.test/'),
    b('http://alibaba.test/'),
    b('http://ten.test/'),
    b('http://one72.test/'),
    b('http://one92.test/'),
    b('http://cgnat.test/'),
    b('http://ula.test/'),
    b('http://linklocal6.test/'),
    b(`http://mapped.test:${P}/`),
    b(`http://compat.test:${P}/`),
    b(`http://nat64.test:${P}/`),
    b(`http://sixtofour.test:${P}/`),
    b(`http://zero.test:${P}/`),
    b(`http://loop6.test:${P}/`),
    b(`http://public-then-private.test:${P}/`),
    b('http://private-then-public.test/'),
    b(`http://public6-then-loop.test:${P}/`),
    // user info
    u(`http://good.com@127.0.0.1:${P}/`),
    u(`http://user:pass@rebind.test:${P}/`),
    u(`http://@127.0.0.1:${P}/`),
    u(`http://:@127.0.0.1:${P}/`),
    u(`http://good.com:${P}@127.0.0.1:${P}/`),
    u(`http://[::1]:${P}@good.com/`),
    u(`http://127.0.0.1%2f@good.com:${P}/`),
    // other schemes and non-URLs
    u('file:///etc/passwd'),
    u(`gopher://127.0.0.1:${P}/_GET%20/`),
    u('ftp://127.0.0.1/'),
    u('data:text/plain,hello'),
    u('javascript:alert(1)'),
    u(`dict://127.0.0.1:${P}/info`),
    u(`ws://127.0.0.1:${P}/`),
    u('ldap://127.0.0.1/'),
    u('jar:http://127.0.0.1!/'),
    u('netdoc:///etc/passwd'),
    u(`//127.0.0.1:${P}/`),
    u('http://'),
    u('http://[::1/'),
  ]
}

describe('hostile URLs', () => {
  let counter: TestServer
  let client: HttpClient

  beforeAll(async () => {
    counter = await startServer()
    client = createHttpClient({ lookup: staticLookup(DNS), connectTimeoutMs: 2000, timeoutMs: 4000 })
  })
  afterAll(async () => {
    await client.close()
    await counter.close()
  })

  it('has at least 60 rows', () => {
    expect(rows(1).length).toBeGreaterThanOrEqual(60)
  })

  it('refuses every one as the request URL, before a socket opens', async () => {
    for (const [url, code] of rows(counter.port)) {
      const error = await expectFailure(client.request({ url }), code).catch((e: Error) => {
        throw new Error(`${JSON.stringify(url)}: ${e.message}`)
      })
      expect(error.status, url).toBe(400)
    }
    expect(counter.connections).toBe(0)
  })

  it('refuses every http(s) one as a base URL with a harmless path', async () => {
    for (const [url, code] of rows(counter.port)) {
      let target: URL
      try {
        target = resolveRequestUrl(url, '/status')
      } catch (e) {
        // Refused while building the URL, which is earlier still (a fragment in a base URL is refused too).
        expect(['invalid_url', code], url).toContain((e as { code?: string }).code)
        continue
      }
      await expectFailure(client.request({ url: target }), code)
    }
    expect(counter.connections).toBe(0)
  })

  it('lets the allow-listed ones through, and only those', async () => {
    const P = counter.port
    const cases: [allowed: string, url: string][] = [
      [`127.0.0.1:${P}`, `http://127.0.0.1:${P}/`],
      [`127.0.0.1:${P}`, `http://2130706433:${P}/`],
      [`127.0.0.1`, `http://0x7f.1:${P}/`],
      ['127.0.0.0/8', `http://rebind.test:${P}/`],
      ['127.0.0.0/8', `http://[::ffff:127.0.0.1]:${P}/`],
      ['rebind.test', `http://rebind.test:${P}/`],
      [`localtest.me:${P}`, `http://localtest.me:${P}/`],
    ]
    for (const [allowed, url] of cases) {
      const allowing = createHttpClient({ allowedHosts: allowed, lookup: staticLookup(DNS) })
      const before = counter.connections
      const res = await allowing.request({ url })
      expect(res.status, url).toBe(200)
      expect(counter.connections, url).toBe(before + 1)
      await allowing.close()
    }
  })

  it('keeps refusing what the allow-list does not cover', async () => {
    const P = counter.port
    const cases: [allowed: string, url: string][] = [
      [`127.0.0.1:${P + 1}`, `http://127.0.0.1:${P}/`],
      ['127.0.0.1', `http://rebind.test:${P}/`], // a host entry opens the name, not the address
      ['rebind.test', `http://127.0.0.1:${P}/`],
      ['10.0.0.0/8', `http://rebind.test:${P}/`],
      ['169.254.0.0/16', 'http://169.254.169.254/'], // metadata needs its own entry
      ['fc00::/7', 'http://imds6.test/'],
    ]
    const before = counter.connections
    for (const [allowed, url] of cases) {
      const allowing = createHttpClient({ allowedHosts: allowed, lookup: staticLookup(DNS) })
      await expectFailure(allowing.request({ url }), 'blocked_address')
      await allowing.close()
    }
    expect(counter.connections).toBe(before)
  })
})
