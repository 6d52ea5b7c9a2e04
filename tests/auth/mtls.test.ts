/**
 * Mutual TLS end to end against an HTTPS loopback server that asks for a client certificate and answers 401
 * without a trusted one (as nginx with `ssl_verify_client optional` does), with a PKI made by `openssl` at test
 * time: connection tests, actions and the proxy with the right certificate (its key encrypted, entered on one
 * line), a certificate from another CA, a wrong passphrase, a key of another certificate; and two connections
 * with different certificates used in turn, each seen by the server with its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../runtime/harness.ts'
import { makePki, oneLine, type TestPki } from './providers/certs.ts'
import { type Served, serve } from './providers/serve.ts'

const connections = '/api/apps/default/connections'
let h: Harness
let pki: TestPki
let server: Served

beforeAll(async () => {
  pki = makePki()
  h = await createHarness()
  server = await serve(
    (raw) =>
      raw.authorizedClient
        ? { body: { cn: raw.clientCn, method: raw.method, url: raw.url, body: raw.body.toString() } }
        : { status: 401, body: { error: 'No required SSL certificate was sent' } },
    { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false },
  )
  const connector = {
    id: 'mini-bank',
    name: 'Mini Bank',
    baseUrl: server.origin,
    auth: [
      {
        type: 'mtls',
        id: 'certificate',
        fields: [
          { key: 'certificate', label: 'Client certificate (PEM)', type: 'text', required: true },
          { key: 'privateKey', label: 'Private key (PEM)', type: 'secret', required: true, multiline: true },
          { key: 'passphrase', label: 'Key passphrase', type: 'secret' },
          { key: 'ca', label: 'Server CA (PEM)', type: 'text' },
        ],
        certificate: '{{certificate}}',
        privateKey: '{{privateKey}}',
        passphrase: '{{passphrase}}',
        ca: '{{ca}}',
      },
    ],
    test: { path: '/accounts', label: '{{body.cn}}' },
    actions: [
      {
        key: 'pay',
        name: 'Make a payment',
        method: 'POST',
        path: '/payments',
        body: { amount: '{{input.amount}}' },
        input: { type: 'object', required: ['amount'], properties: { amount: { type: 'string' } } },
      },
    ],
  }
  expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
})

afterAll(async () => {
  await server?.close()
  await h?.close()
})

async function connect(values: Record<string, string>): Promise<string> {
  const created = await h.call('POST', connections, { body: { connectorId: 'mini-bank', name: `Bank ${Math.random()}`, values } })
  expect(created.status, created.text).toBe(201)
  return created.body.id
}

const valuesA = () => ({
  certificate: oneLine(pki.clientA.cert),
  privateKey: pki.clientA.key,
  passphrase: pki.clientA.passphrase,
  ca: oneLine(pki.ca.cert),
})
const valuesB = () => ({ certificate: oneLine(pki.clientB.cert), privateKey: oneLine(pki.clientB.key), ca: oneLine(pki.ca.cert) })

describe('an mtls connection', () => {
  it('tests, runs actions and proxies with its client certificate (on one line) and encrypted key (multiline)', async () => {
    const id = await connect(valuesA())
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body, test.text).toMatchObject({ ok: true, label: 'client-a' })
    const action = await h.call('POST', `${connections}/${id}/actions/pay`, { body: { inputs: { amount: '12.50' } } })
    expect(action.body).toMatchObject({ ok: true, body: { cn: 'client-a', method: 'POST', body: '{"amount":"12.50"}' } })
    const proxied = await h.call('POST', `${connections}/${id}/proxy/transfers?dry=1`, {
      raw: '{"to":"DE89"}',
      headers: { 'content-type': 'application/json' },
    })
    expect(proxied.body).toMatchObject({ cn: 'client-a', url: '/transfers?dry=1', body: '{"to":"DE89"}' })
  })

  it('keeps each connection on its own certificate when two are used in turn', async () => {
    const a = await connect(valuesA())
    const b = await connect(valuesB())
    const seen: string[] = []
    for (const id of [a, b, a, b, a, b]) seen.push((await h.call('GET', `${connections}/${id}/proxy/whoami`)).body.cn)
    expect(seen).toEqual(['client-a', 'client-b', 'client-a', 'client-b', 'client-a', 'client-b'])
  })

  it('never connects with a certificate from another CA', async () => {
    const id = await connect({ certificate: oneLine(pki.rogue.cert), privateKey: oneLine(pki.rogue.key), ca: oneLine(pki.ca.cert) })
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body).toMatchObject({ ok: false, status: 401 })
    expect((await h.call('GET', `${connections}/${id}/proxy/accounts`)).status).toBe(401)
  })

  it('says plainly when the passphrase is wrong or the key is not the certificate’s, before anything is sent', async () => {
    const before = server.seen.length
    const wrongPass = await connect({ ...valuesA(), passphrase: 'mk-wrong-passphrase-00' })
    const test = await h.call('POST', `${connections}/${wrongPass}/test`)
    expect(test.text).toMatch(/passphrase/)
    expect(test.text).not.toContain('mk-wrong-passphrase-00')
    const mismatch = await connect({ ...valuesB(), privateKey: oneLine(pki.rogue.key) })
    const other = await h.call('POST', `${connections}/${mismatch}/test`)
    expect(other.text).toMatch(/does not belong to its client certificate/)
    expect(server.seen.length).toBe(before)
  })

  it('never shows the private key or the passphrase', () => {
    const keyBody = pki.clientA.key.split('\n')[1]!
    for (const response of h.responses) {
      expect(response.text).not.toContain(keyBody)
      expect(response.text).not.toContain(pki.clientA.passphrase)
    }
    for (const line of h.log) expect(line).not.toContain(pki.clientA.passphrase)
  })
})
