/**
 * A signing type signs a proxied body whole, so the proxy reads it first — within the proxy's request limit: a
 * streamed (chunked) body past the limit is a 413 `body_too_large` and nothing reaches the API; one within it is
 * signed and sent as it came.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../runtime/harness.ts'
import { coinbase } from './providers/exchange.ts'
import { type Served, serve } from './providers/serve.ts'

const keys = { apiKey: 'mk-limit-key', secret: Buffer.from('mk-limit-secret-bytes').toString('base64'), passphrase: 'mk-limit-pass' }
let h: Harness
let server: Served
let id: string

beforeAll(async () => {
  h = await createHarness({ proxy: { maxRequestBytes: 1024 } })
  server = await serve((raw) => coinbase(raw, keys) ?? { body: { bytes: raw.body.length } })
  const connector = {
    id: 'mini-limit',
    name: 'Mini limit',
    baseUrl: server.origin,
    auth: [
      {
        type: 'hmac',
        id: 'apiKey',
        fields: [
          { key: 'apiKey', label: 'API key', type: 'text', required: true },
          { key: 'secret', label: 'Secret', type: 'secret', required: true },
          { key: 'passphrase', label: 'Passphrase', type: 'secret', required: true },
        ],
        key: '{{secret}}',
        keyEncoding: 'base64',
        sign: ['timestamp', 'method', 'pathWithQuery', 'body'],
        timestamp: { unit: 's', in: 'header', name: 'CB-ACCESS-TIMESTAMP' },
        signature: { in: 'header', name: 'CB-ACCESS-SIGN', encoding: 'base64' },
        placements: [
          { in: 'header', name: 'CB-ACCESS-KEY', value: '{{apiKey}}' },
          { in: 'header', name: 'CB-ACCESS-PASSPHRASE', value: '{{passphrase}}' },
        ],
      },
    ],
    test: { path: '/accounts' },
  }
  expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
  const created = await h.call('POST', '/api/apps/default/connections', {
    body: { connectorId: 'mini-limit', name: 'Limit', values: keys },
  })
  id = created.body.id
})

afterAll(async () => {
  await server.close()
  await h.close()
})

/** A body sent in chunks, without a Content-Length. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close()
      const size = Math.min(256, left)
      left -= size
      controller.enqueue(new TextEncoder().encode('x'.repeat(size)))
    },
  })
}

const send = (body: ReadableStream<Uint8Array>) =>
  h.app.request(`/api/apps/default/connections/${id}/proxy/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'text/plain' },
    body,
    duplex: 'half',
  } as RequestInit)

describe('a signed proxied body', () => {
  it('is read whole within the limit, signed and sent as it came', async () => {
    const res = await send(chunked(900))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ bytes: 900 })
  })

  it('past the limit is a 413 and reaches nothing', async () => {
    const before = server.seen.length
    const res = await send(chunked(4096))
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('body_too_large')
    expect(server.seen.length).toBe(before)
  })
})
