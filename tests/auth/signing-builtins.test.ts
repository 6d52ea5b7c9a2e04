/**
 * The built-in Amazon S3, Binance, X and Kubernetes connectors, as shipped, against stand-ins that verify as the
 * real APIs do (`providers/`): only the hosts are moved to loopback (every path, query, placement and rule is the
 * built-in's own). A wrong credential never tests as connected; the right one does, and runs an action and the proxy.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../runtime/harness.ts'
import { makePki, oneLine } from './providers/certs.ts'
import { binance, coinbase } from './providers/exchange.ts'
import { createOAuth1Provider } from './providers/oauth1.ts'
import { type Served, serve } from './providers/serve.ts'
import { s3Error, verifySigV4 } from './providers/sigv4.ts'

let h: Harness
const servers: Served[] = []
const connections = '/api/apps/default/connections'

/** A built-in connector with its hosts replaced, under another id. */
async function standIn(id: string, hosts: Array<[string, string]>): Promise<string> {
  let text = await readFile(new URL(`../../connectors/${id}.json`, import.meta.url), 'utf8')
  for (const [from, to] of hosts) text = text.replaceAll(from, to)
  const doc = JSON.parse(text)
  doc.id = `${id}-standin`
  delete doc.$schema
  const res = await h.call('POST', '/api/connectors', { body: doc })
  expect(res.status, res.text).toBe(201)
  return doc.id
}

async function connect(connectorId: string, values: Record<string, string>, authMethod?: string): Promise<string> {
  const body = { connectorId, name: `${connectorId} ${Math.random()}`, values, ...(authMethod ? { authMethod } : {}) }
  const created = await h.call('POST', connections, { body })
  expect(created.status, created.text).toBe(201)
  return created.body.id
}

const testOf = async (id: string) => (await h.call('POST', `${connections}/${id}/test`)).body

beforeAll(async () => {
  h = await createHarness()
})

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  await h.close()
})

describe('aws-s3', () => {
  it('a wrong secret never connects; the right key lists, reads and copies objects', async () => {
    const keys = { secrets: new Map([['AKIAMKBUILTINS3KEY01', 'mk-builtin-s3-secret-9Qz']]), region: 'eu-central-1', service: 's3' }
    const s3 = await serve((raw) => {
      const verdict = verifySigV4(raw, keys)
      if (!verdict.ok) return { status: verdict.status, headers: { 'content-type': 'application/xml' }, body: s3Error(verdict.code) }
      return { body: { url: raw.url, copySource: raw.headers['x-amz-copy-source'] ?? null } }
    })
    servers.push(s3)
    const id = await standIn('aws-s3', [['https://s3.{{region}}.amazonaws.com', s3.origin]])
    const values = { region: 'eu-central-1', accessKeyId: 'AKIAMKBUILTINS3KEY01' }
    expect(await testOf(await connect(id, { ...values, secretAccessKey: 'mk-builtin-wrong-secret' }))).toMatchObject({
      ok: false,
      status: 403,
    })
    expect(await testOf(await connect(id, { ...values, region: 'us-east-1', secretAccessKey: 'mk-builtin-s3-secret-9Qz' }))).toMatchObject({
      ok: false,
    })
    const good = await connect(id, { ...values, secretAccessKey: 'mk-builtin-s3-secret-9Qz' })
    expect(await testOf(good)).toMatchObject({ ok: true })
    const listed = await h.call('POST', `${connections}/${good}/actions/listObjects`, {
      body: { inputs: { bucket: 'reports', prefix: '2025/' } },
    })
    expect(listed.body).toMatchObject({ ok: true })
    // The query's order is the stored definition's (PostgreSQL keeps JSON keys in its own order); S3 sorts it to sign.
    const [path, query] = String(listed.body.body.url).split('?')
    expect(path).toBe('/reports')
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({ 'list-type': '2', prefix: '2025/', 'max-keys': '100' })
    const copied = await h.call('POST', `${connections}/${good}/actions/copyObject`, {
      body: { inputs: { sourceBucket: 'reports', sourceKey: 'a.csv', bucket: 'archive', key: 'a.csv' } },
    })
    expect(copied.body).toMatchObject({ ok: true, body: { copySource: '/reports/a.csv' } })
    expect((await h.call('GET', `${connections}/${good}/proxy/reports/a.csv`)).status).toBe(200)
  })
})

describe('binance', () => {
  it('a wrong secret or a stale clock never connects; the right key reads balances and trades', async () => {
    const keys = { apiKey: 'mkBuiltinBinanceKey0123456789', secret: 'mk-builtin-binance-secret-77' }
    let skew = 0
    const server = await serve(
      (raw) => binance(raw, { ...keys, now: () => Date.now() + skew }) ?? { body: { canTrade: true, balances: [], url: raw.url } },
    )
    servers.push(server)
    const id = await standIn('binance', [['https://api.binance.com', server.origin]])
    expect(await testOf(await connect(id, { apiKey: keys.apiKey, secretKey: 'mk-builtin-binance-wrong' }))).toMatchObject({
      ok: false,
      status: 400,
    })
    const good = await connect(id, { apiKey: keys.apiKey, secretKey: keys.secret })
    skew = 60_000
    expect(await testOf(good)).toMatchObject({ ok: false, status: 400 })
    skew = 0
    expect(await testOf(good)).toMatchObject({ ok: true })
    const trades = await h.call('POST', `${connections}/${good}/actions/listTrades`, { body: { inputs: { symbol: 'BTCUSDT' } } })
    expect(trades.body).toMatchObject({ ok: true, status: 200 })
    const order = await h.call('POST', `${connections}/${good}/actions/testOrder`, {
      body: { inputs: { symbol: 'BTCUSDT', side: 'BUY', quantity: '0.001' } },
    })
    expect(order.body).toMatchObject({ ok: true, status: 200 })
    expect((await h.call('GET', `${connections}/${good}/proxy/api/v3/openOrders?symbol=BTCUSDT`)).status).toBe(200)
  })
})

describe('coinbase-exchange', () => {
  it('a wrong secret or passphrase never connects; the right key lists accounts and places an order', async () => {
    const keys = {
      apiKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      secret: Buffer.from('mk-builtin-coinbase-secret').toString('base64'),
      passphrase: 'mk-cb-pass-31',
    }
    const server = await serve((raw) => coinbase(raw, keys) ?? { body: [{ id: 'acc-1', currency: 'BTC', echo: raw.body.toString() }] })
    servers.push(server)
    const id = await standIn('coinbase-exchange', [['https://api.exchange.coinbase.com', server.origin]])
    const wrongSecret = { ...keys, secret: Buffer.from('mk-builtin-wrong-secret').toString('base64') }
    expect(await testOf(await connect(id, wrongSecret))).toMatchObject({ ok: false, status: 401 })
    expect(await testOf(await connect(id, { ...keys, passphrase: 'mk-cb-wrong-pass' }))).toMatchObject({ ok: false, status: 401 })
    const good = await connect(id, keys)
    expect(await testOf(good)).toMatchObject({ ok: true })
    const order = await h.call('POST', `${connections}/${good}/actions/placeLimitOrder`, {
      body: { inputs: { productId: 'BTC-USD', side: 'buy', price: '25000.00', size: '0.01' } },
    })
    expect(order.body).toMatchObject({ ok: true, status: 200 })
    expect((await h.call('GET', `${connections}/${good}/proxy/fills?product_id=BTC-USD&limit=5`)).status).toBe(200)
  })
})

describe('x-twitter', () => {
  it('wrong token secrets never connect; entered tokens and the sign-in both do', async () => {
    const consumer = { key: 'mk-x-builtin-consumer', secret: 'mk-x-builtin-consumer-secret' }
    const provider = createOAuth1Provider({
      consumers: [consumer],
      api: (raw, user) =>
        user
          ? { body: { data: { username: user, id: '1' }, path: raw.url } }
          : { status: 403, body: { title: 'Unsupported Authentication' } },
    })
    provider.accessTokens.set('mk-x-builtin-token', { secret: 'mk-x-builtin-token-secret', consumer: consumer.key, user: 'XDevelopers' })
    const server = await serve((raw) => provider.handle(raw))
    servers.push(server)
    const id = await standIn('x-twitter', [['https://api.x.com', server.origin]])
    const entered = { consumerKey: consumer.key, consumerSecret: consumer.secret, accessToken: 'mk-x-builtin-token' }
    expect(await testOf(await connect(id, { ...entered, accessTokenSecret: 'mk-x-builtin-wrong-secret' }, 'userTokens'))).toMatchObject({
      ok: false,
      status: 401,
    })
    const good = await connect(id, { ...entered, accessTokenSecret: 'mk-x-builtin-token-secret' }, 'userTokens')
    expect(await testOf(good)).toMatchObject({ ok: true, label: '@XDevelopers' })
    const post = await h.call('POST', `${connections}/${good}/actions/createPost`, { body: { inputs: { text: 'Signed & sent ✓' } } })
    expect(post.body).toMatchObject({ ok: true, status: 200 })
    expect((await h.call('GET', `${connections}/${good}/proxy/2/users/me?user.fields=created_at`)).status).toBe(200)

    const signIn = await connect(id, { consumerKey: consumer.key, consumerSecret: consumer.secret }, 'signIn')
    const started = await h.call('GET', `${connections}/${signIn}/oauth1/authorize`)
    expect(started.status, started.text).toBe(302)
    const back = new URL((await fetch(started.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!)
    expect((await h.call('GET', `${back.pathname}${back.search}`)).headers.get('location')).toContain('oauth=success')
    expect(await testOf(signIn)).toMatchObject({ ok: true, label: '@mk_screen_name' })
  })
})

describe('kubernetes', () => {
  it('a certificate of another CA never connects; the cluster user lists namespaces, pods and deployments', async () => {
    const pki = makePki()
    const server = await serve(
      (raw) =>
        raw.authorizedClient
          ? { body: { kind: raw.url.includes('/pods') ? 'PodList' : 'NamespaceList', items: [{ metadata: { name: raw.clientCn } }] } }
          : {
              status: 401,
              body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
            },
      { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false },
    )
    servers.push(server)
    const id = await standIn('kubernetes', [])
    const values = { host: '127.0.0.1', port: new URL(server.origin).port, clusterCa: oneLine(pki.ca.cert) }
    const rogue = await connect(id, { ...values, certificate: oneLine(pki.rogue.cert), privateKey: oneLine(pki.rogue.key) })
    expect(await testOf(rogue)).toMatchObject({ ok: false, status: 401 })
    const good = await connect(id, {
      ...values,
      certificate: oneLine(pki.clientA.cert),
      privateKey: oneLine(pki.clientA.key),
      passphrase: pki.clientA.passphrase,
    })
    expect(await testOf(good)).toMatchObject({ ok: true })
    const pods = await h.call('POST', `${connections}/${good}/actions/listPods`, { body: { inputs: { namespace: 'web' } } })
    expect(pods.body).toMatchObject({ ok: true, body: [{ metadata: { name: 'client-a' } }] })
    expect((await h.call('GET', `${connections}/${good}/proxy/apis/apps/v1/namespaces/web/deployments`)).status).toBe(200)
  })
})
