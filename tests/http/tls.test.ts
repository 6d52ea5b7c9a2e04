import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../runtime/platform/http/index.ts'
import { expectFailure, staticLookup } from './helpers.ts'

// A throw-away self-signed certificate for "secure.test", made with the system's openssl.
function makeCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'sb-tls-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=secure.test',
        '-addext',
        'subjectAltName=DNS:secure.test',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') }
  } catch {
    return undefined
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const pair = makeCertificate()

describe.skipIf(!pair)('TLS to the checked address', () => {
  let server: https.Server
  let port: number
  const servernames: (string | false | null)[] = []

  beforeAll(async () => {
    server = https.createServer({ key: pair!.key, cert: pair!.cert }, (req, res) => res.end(req.headers.host))
    server.on('secureConnection', (socket: TLSSocket) => servernames.push(socket.servername))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const lookup = staticLookup({ 'secure.test': ['127.0.0.1'] })

  it('sends the name as SNI and verifies the certificate against it, not the IP', async () => {
    const client = createHttpClient({ allowedHosts: 'secure.test', lookup, ca: pair!.cert })
    const res = await client.request({ url: `https://secure.test:${port}/` })
    expect(res.text).toBe(`secure.test:${port}`)
    expect(servernames.at(-1)).toBe('secure.test')
    await client.close()
  })

  it('fails as tls_error when the certificate is not trusted or not for the host', async () => {
    const untrusted = createHttpClient({ allowedHosts: 'secure.test', lookup })
    const error = await expectFailure(untrusted.request({ url: `https://secure.test:${port}/` }), 'tls_error')
    expect(error.details).toMatchObject({ kind: 'tls', host: `secure.test:${port}` })
    await untrusted.close()

    const byAddress = createHttpClient({ allowedHosts: '127.0.0.1', ca: pair!.cert })
    await expectFailure(byAddress.request({ url: `https://127.0.0.1:${port}/` }), 'tls_error')
    await byAddress.close()
  })
})
