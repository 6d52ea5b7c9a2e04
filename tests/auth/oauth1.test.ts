/**
 * OAuth 1.0a end to end against a provider stand-in that verifies as RFC 5849 says, with its own base-string
 * code (`providers/oauth1.ts`): HMAC-SHA1 with an access token the person entered (X's developer portal issues
 * them), two-legged with the consumer alone, RSA-SHA1; through tests, actions (a form body, whose parameters
 * are signed) and the proxy, with right and wrong secrets.
 */
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../runtime/harness.ts'
import { createOAuth1Provider } from './providers/oauth1.ts'
import { type Served, serve } from './providers/serve.ts'

const connections = '/api/apps/default/connections'
const CONSUMER = { key: 'mk-consumer-key-xvz1evFS4w', secret: 'mk-consumer-secret-kAcSOqF21Fu85e7' }
const TOKEN = { key: 'mk-370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9', secret: 'mk-token-secret-LswwdoUaIvS8ltyTt5j' }
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const RSA_CONSUMER = { key: 'mk-rsa-consumer', publicKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() }
const RSA_KEY = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

let h: Harness
let server: Served
const provider = createOAuth1Provider({
  consumers: [CONSUMER, RSA_CONSUMER],
  api: (raw, user) => ({ body: { screen_name: user ?? 'two-legged', path: raw.url, body: raw.body.toString() } }),
})

const statusAction = {
  key: 'tweet',
  name: 'Post a status',
  method: 'POST',
  path: '/1.1/statuses/update.json',
  bodyType: 'form',
  body: { status: '{{input.status}}' },
  input: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } },
}

beforeAll(async () => {
  h = await createHarness()
  provider.accessTokens.set(TOKEN.key, { secret: TOKEN.secret, consumer: CONSUMER.key, user: 'mk_entered_user' })
  server = await serve((raw) => provider.handle(raw))
  const base = { baseUrl: server.origin, test: { path: '/1.1/account/verify_credentials.json', label: '@{{body.screen_name}}' } }
  const connectors = [
    {
      id: 'mini-x',
      name: 'Mini X',
      ...base,
      auth: [
        {
          type: 'oauth1',
          id: 'userTokens',
          fields: [
            { key: 'consumerKey', label: 'API key', type: 'text', required: true },
            { key: 'consumerSecret', label: 'API key secret', type: 'secret', required: true },
            { key: 'accessToken', label: 'Access token', type: 'secret', required: true },
            { key: 'accessTokenSecret', label: 'Access token secret', type: 'secret', required: true },
          ],
          consumerKey: '{{consumerKey}}',
          consumerSecret: '{{consumerSecret}}',
          token: '{{accessToken}}',
          tokenSecret: '{{accessTokenSecret}}',
        },
        {
          type: 'oauth1',
          id: 'signIn',
          fields: [
            { key: 'consumerKey', label: 'API key', type: 'text', required: true },
            { key: 'consumerSecret', label: 'API key secret', type: 'secret', required: true },
          ],
          consumerKey: '{{consumerKey}}',
          consumerSecret: '{{consumerSecret}}',
          requestTokenUrl: `${server.origin}/oauth/request_token`,
          authorizeUrl: `${server.origin}/oauth/authorize`,
          accessTokenUrl: `${server.origin}/oauth/access_token`,
          authorizeParams: { force_login: 'true' },
        },
        {
          type: 'oauth1',
          id: 'app',
          fields: [
            { key: 'consumerKey', label: 'API key', type: 'text', required: true },
            { key: 'consumerSecret', label: 'API key secret', type: 'secret', required: true },
          ],
          consumerKey: '{{consumerKey}}',
          consumerSecret: '{{consumerSecret}}',
        },
      ],
      actions: [statusAction],
    },
    {
      id: 'mini-rsa',
      name: 'Mini RSA-SHA1',
      ...base,
      auth: [
        {
          type: 'oauth1',
          id: 'rsa',
          signatureMethod: 'RSA-SHA1',
          fields: [
            { key: 'consumerKey', label: 'Consumer key', type: 'text', required: true },
            { key: 'privateKey', label: 'Private key (PEM)', type: 'secret', required: true },
          ],
          consumerKey: '{{consumerKey}}',
          privateKey: '{{privateKey}}',
        },
      ],
      actions: [statusAction],
    },
  ]
  for (const connector of connectors) expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
})

afterAll(async () => {
  await server.close()
  await h.close()
})

async function connect(connectorId: string, authMethod: string, values: Record<string, string>): Promise<string> {
  const created = await h.call('POST', connections, { body: { connectorId, authMethod, name: `${authMethod} ${Math.random()}`, values } })
  expect(created.status, created.text).toBe(201)
  return created.body.id
}

async function exercise(id: string, user: string) {
  const test = await h.call('POST', `${connections}/${id}/test`)
  expect(test.body, test.text).toMatchObject({ ok: true, label: `@${user}` })
  const action = await h.call('POST', `${connections}/${id}/actions/tweet`, {
    body: { inputs: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' } },
  })
  expect(action.body, action.text).toMatchObject({ ok: true, body: { screen_name: user } })
  const got = await h.call('GET', `${connections}/${id}/proxy/1.1/statuses/home_timeline.json?count=5&include_entities=true&q=a%20b%2Bc`)
  expect(got.status, got.text).toBe(200)
  const posted = await h.call('POST', `${connections}/${id}/proxy/1.1/favorites/create.json?include_entities=false`, {
    raw: 'id=20&note=%E2%9C%93+done',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  expect(posted.body, posted.text).toMatchObject({ screen_name: user, body: 'id=20&note=%E2%9C%93+done' })
}

describe('an oauth1 connection', () => {
  it('signs with HMAC-SHA1 and an entered access token: tests, actions (form body signed) and the proxy', async () => {
    const id = await connect('mini-x', 'userTokens', {
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      accessToken: TOKEN.key,
      accessTokenSecret: TOKEN.secret,
    })
    await exercise(id, 'mk_entered_user')
    expect(String(server.seen.at(-1)!.headers.authorization)).toMatch(
      /^OAuth oauth_consumer_key="mk-consumer-key-xvz1evFS4w", oauth_nonce="[0-9a-f]{32}"/,
    )
  })

  it('signs two-legged with the consumer alone', async () => {
    const id = await connect('mini-x', 'app', { consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret })
    await exercise(id, 'two-legged')
    expect(String(server.seen.at(-1)!.headers.authorization)).not.toContain('oauth_token=')
  })

  it('signs with RSA-SHA1 and a private key entered on one line', async () => {
    const id = await connect('mini-rsa', 'rsa', { consumerKey: RSA_CONSUMER.key, privateKey: RSA_KEY.trim().replace(/\n/g, ' ') })
    await exercise(id, 'two-legged')
    expect(String(server.seen.at(-1)!.headers.authorization)).toContain('oauth_signature_method="RSA-SHA1"')
  })

  it('never connects with a wrong consumer secret, a wrong token secret or another private key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const ids = [
      await connect('mini-x', 'userTokens', {
        consumerKey: CONSUMER.key,
        consumerSecret: 'mk-wrong-consumer-secret',
        accessToken: TOKEN.key,
        accessTokenSecret: TOKEN.secret,
      }),
      await connect('mini-x', 'userTokens', {
        consumerKey: CONSUMER.key,
        consumerSecret: CONSUMER.secret,
        accessToken: TOKEN.key,
        accessTokenSecret: 'mk-wrong-token-secret-00',
      }),
      await connect('mini-rsa', 'rsa', { consumerKey: RSA_CONSUMER.key, privateKey: other.trim().replace(/\n/g, ' ') }),
    ]
    for (const id of ids) {
      const test = await h.call('POST', `${connections}/${id}/test`)
      expect(test.body).toMatchObject({ ok: false, status: 401 })
      expect((await h.call('GET', `${connections}/${id}/proxy/1.1/statuses/home_timeline.json`)).status).toBe(401)
    }
  })

  it('connects through the three-legged flow: request token, authorize, access token', async () => {
    const id = await connect('mini-x', 'signIn', { consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret })
    const before = await h.call('POST', `${connections}/${id}/test`)
    expect(before.body).toMatchObject({ ok: false, problem: 'missing_credentials' })
    const started = await h.call('GET', `${connections}/${id}/oauth1/authorize`)
    expect(started.status).toBe(302)
    const authorize = new URL(started.headers.get('location')!)
    expect(authorize.origin + authorize.pathname).toBe(`${server.origin}/oauth/authorize`)
    expect(authorize.searchParams.get('force_login')).toBe('true')
    // The person approves at the provider, which sends them back with the verifier.
    const approved = await fetch(authorize, { redirect: 'manual' })
    const back = new URL(approved.headers.get('location')!)
    expect(back.pathname).toBe('/oauth1/callback')
    const callback = `${back.pathname}${back.search}`
    const done = await h.call('GET', callback)
    expect(done.status).toBe(302)
    expect(done.headers.get('location')).toContain('oauth=success')
    expect((await h.call('GET', `${connections}/${id}`)).body).toMatchObject({ status: 'connected', accountLabel: '@mk_screen_name' })
    await exercise(id, 'mk_screen_name')
    const replayed = await h.call('GET', callback)
    expect(replayed.headers.get('location')).toContain('code=state_replayed')
    expect(JSON.stringify(await h.storeText())).not.toContain([...provider.accessTokens.keys()].at(-1)!)
  })

  it('refuses a callback for another request token, and a consumer the provider does not know', async () => {
    const id = await connect('mini-x', 'signIn', { consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret })
    const started = await h.call('GET', `${connections}/${id}/oauth1/authorize`)
    const approved = await fetch(new URL(started.headers.get('location')!), { redirect: 'manual' })
    const back = new URL(approved.headers.get('location')!)
    back.searchParams.set('oauth_token', 'rt-forged')
    const done = await h.call('GET', `${back.pathname}${back.search}`)
    expect(done.headers.get('location')).toContain('oauth=error')
    expect((await h.call('POST', `${connections}/${id}/test`)).body).toMatchObject({ ok: false, problem: 'missing_credentials' })

    const wrong = await connect('mini-x', 'signIn', { consumerKey: CONSUMER.key, consumerSecret: 'mk-wrong-consumer-secret' })
    const refused = await h.call('GET', `${connections}/${wrong}/oauth1/authorize`)
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('token_provider_error')
  })

  it('never shows a secret', () => {
    const secrets = [CONSUMER.secret, TOKEN.secret, TOKEN.key, RSA_KEY.split('\n')[1]!]
    for (const response of h.responses) for (const secret of secrets) expect(response.text).not.toContain(secret)
    for (const line of h.log) for (const secret of secrets) expect(line).not.toContain(secret)
  })
})
