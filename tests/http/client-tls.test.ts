/**
 * The outbound client's client-certificate pools: one per owner and certificate, never shared, bounded (the least
 * recently used is closed past 64), and subject to the same address rules as every request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, parseAllowedHosts } from '../../runtime/platform/http/index.ts'
import { createClientTlsPools } from '../../runtime/platform/http/internal/client-tls.ts'
import { makePki, type TestPki } from '../auth/providers/certs.ts'
import { type Served, serve } from '../auth/providers/serve.ts'

let pki: TestPki
let server: Served

beforeAll(async () => {
  pki = makePki()
  server = await serve((raw) => ({ body: { cn: raw.clientCn ?? null } }), {
    cert: pki.server.cert,
    key: pki.server.key,
    ca: pki.ca.cert,
    requestCert: true,
    rejectUnauthorized: false,
  })
})

afterAll(() => server.close())

describe('client certificate pools', () => {
  it('give one pool per owner and certificate, and close the least recently used past the bound', async () => {
    const pools = createClientTlsPools({ allowedHosts: parseAllowedHosts('127.0.0.1'), connectTimeoutMs: 5000 })
    const a = { owner: 'c_1/', cert: pki.clientA.cert, key: pki.clientA.key, passphrase: pki.clientA.passphrase }
    const first = pools.get(a)
    expect(pools.get({ ...a })).toBe(first)
    expect(pools.get({ ...a, owner: 'c_2/' })).not.toBe(first)
    expect(pools.get({ ...a, cert: pki.clientB.cert, key: pki.clientB.key, passphrase: undefined } as never)).not.toBe(first)
    for (let i = 0; i < 64; i++) pools.get({ ...a, owner: `c_fill_${i}/` })
    const again = pools.get(a)
    expect(again).not.toBe(first)
    expect(first.closed).toBe(true)
    await pools.close()
  })

  it('present the certificate of the request, and the address rules still apply', async () => {
    const http = createHttpClient({ allowedHosts: '127.0.0.1' })
    const tls = { owner: 'c_1/', cert: pki.clientB.cert, key: pki.clientB.key, ca: pki.ca.cert }
    const res = await http.request({ url: `${server.origin}/whoami`, tls })
    expect(res.body).toEqual({ cn: 'client-b' })
    const closed = createHttpClient({})
    await expect(closed.request({ url: `${server.origin}/whoami`, tls })).rejects.toMatchObject({ code: 'blocked_address' })
    await http.close()
    await closed.close()
  })
})
