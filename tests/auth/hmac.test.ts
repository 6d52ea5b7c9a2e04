/**
 * Declarative HMAC signing end to end against three exchange stand-ins that verify as the real ones document
 * (`providers/exchange.ts`): Binance (query signed, `signature` appended; form body signed after the query),
 * Coinbase Exchange (`timestamp + method + requestPath + body`, base64 key and signature, headers) and Gate.io
 * (newline-separated parts, SHA-512 body hash, hex). Each through connection tests, actions and the proxy, with
 * the right secret, a wrong one, and a clock the exchange finds stale.
 */
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../runtime/harness.ts'
import { binance, coinbase, type ExchangeKeys, gate } from './providers/exchange.ts'
import { type RawReply, type RawRequest, type Served, serve } from './providers/serve.ts'

const connections = '/api/apps/default/connections'
const BINANCE: ExchangeKeys = { apiKey: 'mk-binance-key-vmPUZE6mv9SD5VNH', secret: 'mk-binance-secret-NhqPtmdSJYdKjVHj' }
const COINBASE: ExchangeKeys = {
  apiKey: 'mk-coinbase-key-7f3a9c',
  secret: Buffer.from('mk-coinbase-secret-bytes-41c2e8').toString('base64'),
  passphrase: 'mk-coinbase-passphrase-9d',
}
const GATE: ExchangeKeys = { apiKey: 'mk-gate-key-0c1e52', secret: 'mk-gate-secret-b7d940aa' }
let skewMs = 0
const clock = () => Date.now() + skewMs

let h: Harness
const servers: Served[] = []

function exchange(keys: ExchangeKeys, verify: (raw: RawRequest, keys: ExchangeKeys) => RawReply | undefined) {
  return serve((raw) => verify(raw, { ...keys, now: clock }) ?? { body: { ok: true, account: keys.apiKey.slice(3, 11), echo: raw.url } })
}

const secretField = (key: string, label: string) => ({ key, label, type: 'secret', required: true })
const textField = (key: string, label: string) => ({ key, label, type: 'text', required: true })
const orderInput = {
  type: 'object',
  required: ['symbol', 'quantity'],
  properties: { symbol: { type: 'string' }, quantity: { type: 'string' } },
}

beforeAll(async () => {
  h = await createHarness()
  const [b, c, g] = await Promise.all([exchange(BINANCE, binance), exchange(COINBASE, coinbase), exchange(GATE, gate)])
  servers.push(b!, c!, g!)
  const connectors = [
    {
      id: 'mini-binance',
      name: 'Mini Binance',
      baseUrl: b!.origin,
      auth: [
        {
          type: 'hmac',
          id: 'apiKey',
          fields: [textField('apiKey', 'API key'), secretField('secretKey', 'Secret key')],
          key: '{{secretKey}}',
          sign: ['query', 'body'],
          timestamp: { unit: 'ms', in: 'query', name: 'timestamp' },
          signature: { in: 'query', name: 'signature', encoding: 'hex' },
          placements: [{ in: 'header', name: 'X-MBX-APIKEY', value: '{{apiKey}}' }],
        },
      ],
      test: { path: '/api/v3/account', query: { omitZeroBalances: 'true' } },
      actions: [
        {
          key: 'order',
          name: 'Place an order',
          method: 'POST',
          path: '/api/v3/order',
          bodyType: 'form',
          body: { symbol: '{{input.symbol}}', side: 'BUY', type: 'MARKET', quantity: '{{input.quantity}}' },
          input: orderInput,
        },
      ],
    },
    {
      id: 'mini-coinbase',
      name: 'Mini Coinbase Exchange',
      baseUrl: c!.origin,
      auth: [
        {
          type: 'hmac',
          id: 'apiKey',
          fields: [textField('apiKey', 'API key'), secretField('secret', 'API secret'), secretField('passphrase', 'Passphrase')],
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
      actions: [
        {
          key: 'order',
          name: 'Place an order',
          method: 'POST',
          path: '/orders',
          body: { product_id: '{{input.symbol}}', side: 'buy', size: '{{input.quantity}}' },
          input: orderInput,
        },
      ],
    },
    {
      id: 'mini-gate',
      name: 'Mini Gate',
      baseUrl: `${g!.origin}/api/v4`,
      auth: [
        {
          type: 'hmac',
          id: 'apiKey',
          fields: [textField('apiKey', 'API key'), secretField('secret', 'API secret')],
          key: '{{secret}}',
          algorithm: 'sha512',
          sign: ['method', 'path', 'query', 'bodyHash', 'timestamp'],
          separator: '\n',
          timestamp: { unit: 's', in: 'header', name: 'Timestamp' },
          signature: { in: 'header', name: 'SIGN' },
          placements: [{ in: 'header', name: 'KEY', value: '{{apiKey}}' }],
        },
      ],
      test: { path: '/spot/accounts', query: { currency: 'BTC' } },
      actions: [
        {
          key: 'order',
          name: 'Place an order',
          method: 'POST',
          path: '/spot/orders',
          body: { currency_pair: '{{input.symbol}}', amount: '{{input.quantity}}' },
          input: orderInput,
        },
      ],
    },
  ]
  for (const connector of connectors) {
    const res = await h.call('POST', '/api/connectors', { body: connector })
    expect(res.status, res.text).toBe(201)
  }
})

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  await h.close()
})

async function connect(connectorId: string, values: Record<string, string | undefined>): Promise<string> {
  const created = await h.call('POST', connections, { body: { connectorId, name: `${connectorId} ${Math.random()}`, values } })
  expect(created.status, created.text).toBe(201)
  return created.body.id
}

const cases = [
  {
    name: 'Binance (query signed, signature appended)',
    connectorId: 'mini-binance',
    server: 0,
    right: { apiKey: BINANCE.apiKey, secretKey: BINANCE.secret },
    wrong: { apiKey: BINANCE.apiKey, secretKey: 'mk-binance-wrong-secret-000' },
    proxyGet: '/api/v3/myTrades?symbol=BTC%2FUSDT&limit=5',
    proxyPost: { path: '/api/v3/order/test?symbol=ETHUSDT', type: 'application/x-www-form-urlencoded', body: 'side=SELL&quantity=0.5' },
    secrets: [BINANCE.secret],
  },
  {
    name: 'Coinbase Exchange (timestamp + method + requestPath + body, base64)',
    connectorId: 'mini-coinbase',
    server: 1,
    right: { apiKey: COINBASE.apiKey, secret: COINBASE.secret, passphrase: COINBASE.passphrase! },
    wrong: { apiKey: COINBASE.apiKey, secret: Buffer.from('mk-wrong-secret-bytes').toString('base64'), passphrase: COINBASE.passphrase! },
    proxyGet: '/orders?status=open&limit=2',
    proxyPost: { path: '/orders', type: 'application/json', body: JSON.stringify({ product_id: 'BTC-USD', size: '0.01' }) },
    secrets: [COINBASE.secret, COINBASE.passphrase!],
  },
  {
    name: 'Gate.io (newline-separated parts, SHA-512 body hash)',
    connectorId: 'mini-gate',
    server: 2,
    right: { apiKey: GATE.apiKey, secret: GATE.secret },
    wrong: { apiKey: GATE.apiKey, secret: 'mk-gate-wrong-secret-00' },
    proxyGet: '/spot/my_trades?currency_pair=BTC_USDT&limit=3',
    proxyPost: { path: '/spot/orders', type: 'application/json', body: JSON.stringify({ currency_pair: 'ETH_USDT', amount: '1' }) },
    secrets: [GATE.secret],
  },
]

describe.each(cases)('hmac: $name', (c) => {
  it('tests, runs an action with a body and proxies GET and POST with every request signed', async () => {
    skewMs = 0
    const id = await connect(c.connectorId, c.right)
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body, test.text).toMatchObject({ ok: true })
    const action = await h.call('POST', `${connections}/${id}/actions/order`, { body: { inputs: { symbol: 'BTC-USD', quantity: '0.25' } } })
    expect(action.body, action.text).toMatchObject({ ok: true, status: 200 })
    const got = await h.call('GET', `${connections}/${id}/proxy${c.proxyGet}`)
    expect(got.status, got.text).toBe(200)
    const posted = await h.call('POST', `${connections}/${id}/proxy${c.proxyPost.path}`, {
      raw: c.proxyPost.body,
      headers: { 'content-type': c.proxyPost.type },
    })
    expect(posted.status, posted.text).toBe(200)
    expect(servers[c.server]!.seen.at(-1)!.body.toString()).toBe(c.proxyPost.body)
  })

  it('never connects with a wrong secret', async () => {
    skewMs = 0
    const id = await connect(c.connectorId, c.wrong)
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body.ok).toBe(false)
    expect([400, 401]).toContain(test.body.status)
    expect((await h.call('GET', `${connections}/${id}/proxy${c.proxyGet}`)).status).toBeGreaterThanOrEqual(400)
  })

  it('is refused when the exchange finds the timestamp stale', async () => {
    skewMs = 10 * 60 * 1000
    try {
      const id = await connect(c.connectorId, c.right)
      const test = await h.call('POST', `${connections}/${id}/test`)
      expect(test.body.ok).toBe(false)
      expect(JSON.stringify(test.body.response)).toMatch(/recvWindow|expired|REQUEST_EXPIRED/)
    } finally {
      skewMs = 0
    }
  })

  it('never shows the secret', () => {
    for (const response of h.responses) for (const secret of c.secrets) expect(response.text).not.toContain(secret)
    for (const line of h.log) for (const secret of c.secrets) expect(line).not.toContain(secret)
  })
})

describe('hmac: a nonce, the sorted query, a hex key, SHA-384 and base64url', () => {
  const key = 'a3f1c07e9b2d4856e0f7a1b2c3d4e5f6'
  const seen = new Set<string>()
  let server: Served
  let id: string

  beforeAll(async () => {
    // Signs METHOD \n sorted query \n nonce; refuses a nonce it has seen (a replay) and a bad signature.
    server = await serve((raw) => {
      const nonce = String(raw.headers['x-nonce'] ?? '')
      const sorted = [...new URLSearchParams(raw.url.split('?')[1] ?? '')]
        .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
        .map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`)
        .join('&')
      const expected = createHmac('sha384', Buffer.from(key, 'hex')).update(`${raw.method}\n${sorted}\n${nonce}`).digest('base64url')
      if (raw.headers['x-signature'] !== `v1=${expected}`) return { status: 401, body: { error: 'bad signature' } }
      if (!/^[0-9a-f]{32}$/.test(nonce) || seen.has(nonce)) return { status: 401, body: { error: 'nonce reused' } }
      seen.add(nonce)
      return { body: { ok: true, sorted } }
    })
    servers.push(server)
    const connector = {
      id: 'mini-nonce',
      name: 'Mini nonce',
      baseUrl: server.origin,
      auth: [
        {
          type: 'hmac',
          id: 'key',
          fields: [secretField('key', 'Signing key (hex)')],
          key: '{{key}}',
          keyEncoding: 'hex',
          algorithm: 'sha384',
          sign: ['method', 'sortedQuery', 'nonce'],
          separator: '\n',
          nonce: { in: 'header', name: 'X-Nonce' },
          signature: { in: 'header', name: 'X-Signature', encoding: 'base64url', prefix: 'v1=' },
        },
      ],
      test: { path: '/ping', query: { z: 'last', a: 'first' } },
    }
    expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
    id = await connect('mini-nonce', { key })
  })

  it('signs each request with a fresh nonce over the sorted query', async () => {
    expect((await h.call('POST', `${connections}/${id}/test`)).body).toMatchObject({ ok: true })
    const got = await h.call('GET', `${connections}/${id}/proxy/items?b=2&a=x%20y&a=0`)
    expect(got.body).toMatchObject({ ok: true, sorted: 'a=0&a=x%20y&b=2' })
    expect(seen.size).toBe(2)
  })

  it('says plainly when the key is not hexadecimal', async () => {
    const bad = await connect('mini-nonce', { key: 'not-a-hex-key-zz' })
    const test = await h.call('POST', `${connections}/${bad}/test`)
    expect(test.text).toMatch(/not hexadecimal/)
    expect(test.text).not.toContain('not-a-hex-key-zz')
  })
})
