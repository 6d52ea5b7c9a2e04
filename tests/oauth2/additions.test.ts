/**
 * The OAuth2 additions against providers that need them: Salesforce's `instance_url` becoming the base URL (only
 * within the connector's allowed hosts) and refresh-only parameters; a JSON-only token endpoint authenticating
 * clients by `private_key_jwt`, whose API takes the token in a custom header without prefix and a query parameter
 * on every request. Right and wrong credentials, through the connection test, an action and the proxy.
 */
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMachineProvider, startSalesforce } from './additions-providers.ts'
import { addConnection, authorize, outcome } from './flow.ts'
import { createHarness, type Harness, leaksOf } from './harness.ts'

let h: Harness
const secrets: string[] = []
const closers: Array<() => Promise<void>> = []

const base = (id: string) => `/api/apps/default/connections/${id}`
const view = async (id: string) => (await h.call('GET', base(id))).body
const test = async (id: string) => (await h.call('POST', `${base(id)}/test`)).body
const action = (id: string, key: string) => h.call('POST', `${base(id)}/actions/${key}`, { body: {} })
const proxy = (id: string, path: string) => h.call('GET', `${base(id)}/proxy${path}`)

beforeAll(async () => {
  h = await createHarness()
})

afterAll(async () => {
  expect(leaksOf({ log: [await h.storeText()], emitted: [] }, secrets)).toEqual([])
  expect(leaksOf(h, secrets)).toEqual([])
  for (const close of closers) await close()
  await h.close()
})

describe('Salesforce: instance_url becomes the base URL, within the allowed hosts', () => {
  let sf: Awaited<ReturnType<typeof startSalesforce>>
  const clientSecret = `sf-secret-${Date.now().toString(36)}-9d1c`

  beforeAll(async () => {
    sf = await startSalesforce({ clientId: '3MVG9-consumer-key', clientSecret })
    closers.push(sf.close)
    await h.addConnector({
      id: 'sf-test',
      name: 'Salesforce (loopback)',
      baseUrl: sf.login.origin,
      allowedHosts: [`http://127.0.0.1:${sf.instance.port}`],
      auth: [
        {
          type: 'oauth2',
          id: 'oauth',
          grant: 'authorization_code',
          authorizeUrl: `${sf.login.origin}/services/oauth2/authorize`,
          tokenUrl: `${sf.login.origin}/services/oauth2/token`,
          scopes: [{ value: 'api' }, { value: 'refresh_token' }],
          defaultScopes: ['api', 'refresh_token'],
          refreshParams: { format: 'json' },
          tokenResponse: { baseUrl: '/instance_url' },
        },
      ],
      test: { path: '/services/oauth2/userinfo', label: '{{body.preferred_username}}' },
      actions: [{ key: 'limits', name: 'Limits', method: 'GET', path: '/services/data/v60.0/limits' }],
    })
  })

  it('a wrong client secret: the sign-in ends in an error and the connection stays unconnected', async () => {
    await h.call('PUT', '/api/connectors/sf-test/oauth-app', {
      body: { clientId: '3MVG9-consumer-key', clientSecret: 'not-the-secret-0000' },
    })
    const id = await addConnection(h, 'sf-test')
    const { final } = await authorize(h, id)
    expect(outcome(final)).toMatchObject({ oauth: 'error' })
    expect((await view(id)).status).toBe('not_connected')
  })

  it('connects, moves the base URL to the instance, and tests, runs and proxies there', async () => {
    await h.call('PUT', '/api/connectors/sf-test/oauth-app', { body: { clientId: '3MVG9-consumer-key', clientSecret } })
    const id = await addConnection(h, 'sf-test')
    const { final } = await authorize(h, id)
    expect(outcome(final).oauth).toBe('success')
    expect(await view(id)).toMatchObject({ status: 'connected', baseUrl: sf.instance.origin, accountLabel: 'admin@acme.example' })
    expect((await action(id, 'limits')).body).toMatchObject({ ok: true, status: 200 })
    expect((await proxy(id, '/services/data/v60.0/sobjects')).status).toBe(200)
    expect(sf.instance.seen.map((r) => r.path)).toEqual([
      '/services/oauth2/userinfo',
      '/services/data/v60.0/limits',
      '/services/data/v60.0/sobjects',
    ])
    expect(sf.login.seen.filter((r) => r.path !== '/services/oauth2/token' && r.path !== '/services/oauth2/authorize')).toEqual([])
    // The code exchange carries no refresh-only parameter.
    expect(new URLSearchParams(sf.login.seen.findLast((r) => r.path === '/services/oauth2/token')!.body).get('format')).toBeNull()

    // Salesforce tokens carry no expiry: a 401 (INVALID_SESSION_ID) makes the one refresh, with its parameters.
    sf.revoke()
    expect((await action(id, 'limits')).body).toMatchObject({ ok: true, status: 200 })
    const refresh = new URLSearchParams(sf.login.seen.at(-1)!.body)
    expect(refresh.get('grant_type')).toBe('refresh_token')
    expect(refresh.get('format')).toBe('json')
    secrets.push(...sf.issued)
  })

  it('values of the token response fill declared fields of the connection (its identity URL), used in templates', async () => {
    await h.addConnector({
      id: 'sf-values',
      name: 'Salesforce with identity (loopback)',
      baseUrl: sf.login.origin,
      allowedHosts: [`http://127.0.0.1:${sf.instance.port}`],
      fields: [{ key: 'identityUrl', label: 'Identity URL', type: 'url', help: 'Filled in when you sign in.' }],
      auth: [
        {
          type: 'oauth2',
          id: 'oauth',
          grant: 'authorization_code',
          authorizeUrl: `${sf.login.origin}/services/oauth2/authorize`,
          tokenUrl: `${sf.login.origin}/services/oauth2/token`,
          tokenResponse: { baseUrl: '/instance_url', values: { identityUrl: '/id' } },
        },
      ],
      test: { path: '/services/oauth2/userinfo', label: '{{body.preferred_username}}' },
      actions: [{ key: 'whoami', name: 'Who am I', method: 'GET', path: '/whoami', query: { identity: '{{identityUrl}}' } }],
    })
    await h.call('PUT', '/api/connectors/sf-values/oauth-app', { body: { clientId: '3MVG9-consumer-key', clientSecret } })
    const id = await addConnection(h, 'sf-values')
    expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
    const identity = `${sf.login.origin}/id/00D5g000004/0055g00000A`
    expect((await view(id)).fields).toMatchObject({ identityUrl: identity })
    expect((await action(id, 'whoami')).body).toMatchObject({ ok: true, status: 200 })
    expect(sf.instance.seen.at(-1)!.query.get('identity')).toBe(identity)
    secrets.push(...sf.issued)
  })

  it('an instance_url outside the allowed hosts is refused: nothing stored, no request goes there', async () => {
    const stranger = 'http://127.0.0.1:9'
    sf.state.instanceUrl = stranger
    const id = await addConnection(h, 'sf-test')
    const { final } = await authorize(h, id)
    expect(outcome(final)).toMatchObject({ oauth: 'error', code: 'base_url_not_allowed' })
    const after = await view(id)
    expect(after.status).toBe('not_connected')
    expect(after.baseUrl).toBe(sf.login.origin)
    expect((await action(id, 'limits')).status).toBe(428)
    sf.state.instanceUrl = sf.instance.origin
    secrets.push(...sf.issued)
  })
})

describe('private_key_jwt, a JSON token request, a custom token header and a query parameter on every request', () => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  let m: Awaited<ReturnType<typeof startMachineProvider>>
  let id: string

  beforeAll(async () => {
    m = await startMachineProvider({ clientId: 'machine-7', publicKey: key.publicKey, now: () => h.now.ms })
    closers.push(m.server.close)
    secrets.push(...[pem, stranger].flatMap((k) => k.split('\n').filter((line) => line.length > 40)))
    await h.addConnector({
      id: 'm2m-test',
      name: 'Machines (loopback)',
      baseUrl: m.server.origin,
      auth: [
        {
          type: 'oauth2',
          id: 'client',
          grant: 'client_credentials',
          tokenUrl: `${m.server.origin}/oauth/token`,
          fields: [
            { key: 'clientId', label: 'Client ID', type: 'text', required: true },
            { key: 'privateKey', label: 'Private key', type: 'secret', required: true, multiline: true },
          ],
          clientAuth: 'private_key_jwt',
          clientAssertion: { algorithm: 'RS256', key: '{{privateKey}}' },
          tokenBody: 'json',
          placement: { in: 'header', name: 'X-Auth-Token', prefix: '' },
          query: { api_version: '2' },
        },
      ],
      test: { path: '/me', label: '{{body.account.name}}' },
      actions: [{ key: 'list', name: 'List machines', method: 'GET', path: '/machines' }],
    })
    id = await addConnection(h, 'm2m-test', { values: { clientId: 'machine-7' } })
  })

  it('a wrong private key: connecting fails with the provider words, and nothing is stored', async () => {
    const res = await h.call('PUT', `${base(id)}/credentials`, { body: { values: { clientId: 'machine-7', privateKey: stranger } } })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('token_invalid_client')
    expect((await view(id)).status).toBe('not_connected')
    expect((await proxy(id, '/machines')).status).toBe(428)
  })

  it('the right key: a signed, single-use assertion in a JSON body; the token goes in X-Auth-Token with api_version', async () => {
    const connected: string[] = []
    const off = h.runtime.events.on((e) => void (e.type === 'connection.connected' && connected.push(e.data.connectionId)))
    const res = await h.call('PUT', `${base(id)}/credentials`, { body: { values: { clientId: 'machine-7', privateKey: pem } } })
    off()
    expect(res.status, res.text).toBe(200)
    // Connected by the grant: told to listeners (webhooks) like any other way of connecting.
    expect(connected).toEqual([id])
    expect(await test(id)).toMatchObject({ ok: true, label: 'Acme Machines' })
    expect((await action(id, 'list')).body).toMatchObject({ ok: true, status: 200 })
    expect((await proxy(id, '/machines?page=2')).status).toBe(200)
    const token = m.issued.at(-1)!
    const api = m.server.seen.filter((r) => r.path !== '/oauth/token').slice(-3)
    for (const r of api) {
      expect(r.headers['x-auth-token']).toBe(token)
      expect(r.headers.authorization).toBeUndefined()
      expect(r.query.get('api_version')).toBe('2')
    }
    expect(api.at(-1)!.query.get('page')).toBe('2')
    const sent = JSON.parse(m.server.seen.findLast((r) => r.path === '/oauth/token')!.body)
    expect(sent).toMatchObject({ grant_type: 'client_credentials', client_id: 'machine-7' })
    expect(sent.client_secret).toBeUndefined()
    // The token is masked in what the runtime shows.
    expect(JSON.stringify(await test(id))).not.toContain(token)
    secrets.push(...m.issued)
  })

  it('an hour on, the token is renewed with a new assertion (a fresh jti: the provider refuses a replayed one)', async () => {
    const requests = () => m.server.seen.filter((r) => r.path === '/oauth/token').length
    const before = requests()
    h.now.ms += 60 * 60 * 1000
    expect((await action(id, 'list')).body).toMatchObject({ ok: true, status: 200 })
    expect(requests()).toBe(before + 1)
    expect(m.jtis.size).toBe(requests() - 1)
    secrets.push(...m.issued)
  })
})
