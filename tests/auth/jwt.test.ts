/**
 * The `jwt` auth type end to end against loopback providers with their real quirks: a GitHub App exchanging its
 * RS256 JWT for an installation token, a Google service account's jwt-bearer grant, and an App Store Connect-style
 * API taking the ES256 token itself. Each through the connection test, an action and the proxy, with the right
 * key and with a wrong one; the key, the signed tokens and the tokens they bought never show.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addConnection } from '../oauth2/flow.ts'
import { createHarness, type Harness, leaksOf } from '../oauth2/harness.ts'
import { type StandIn, startAppStore, startGitHubApp, startGoogle } from './jwt-providers.ts'

interface Pair {
  pem: string
  publicKey: KeyObject
}

function rsa(format: 'pkcs1' | 'pkcs8'): Pair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { pem: privateKey.export({ type: format, format: 'pem' }).toString(), publicKey }
}

function ec(): Pair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey }
}

let h: Harness
const stands: StandIn[] = []
const keys: string[] = []
// GitHub hands out PKCS#1 keys (BEGIN RSA PRIVATE KEY); Google's JSON key files hold PKCS#8 with `\n` escaped.
const githubKey = rsa('pkcs1')
const googleKey = rsa('pkcs8')
const appStoreKey = ec()
const strangerKey = rsa('pkcs1')

const base = (id: string) => `/api/apps/default/connections/${id}`
const put = (id: string, values: Record<string, string>) => h.call('PUT', `${base(id)}/credentials`, { body: { values } })
const test = (id: string) => h.call('POST', `${base(id)}/test`)
const action = (id: string, key: string) => h.call('POST', `${base(id)}/actions/${key}`, { body: {} })
const proxy = (id: string, path: string) => h.call('GET', `${base(id)}/proxy${path}`)

beforeAll(async () => {
  h = await createHarness({ oauth2: { backoffMs: 1 } })
  keys.push(githubKey.pem, googleKey.pem, appStoreKey.pem, strangerKey.pem)
})

afterAll(async () => {
  const secrets = [...keys.flatMap((k) => k.split('\n').filter((line) => line.length > 40)), ...stands.flatMap((s) => s.issued)]
  // Sealed at rest, and never in an answer, a redirect or a log line.
  expect(leaksOf({ log: [await h.storeText()], emitted: [] }, secrets)).toEqual([])
  expect(leaksOf(h, secrets)).toEqual([])
  // Every JWT the runtime signed: never in an answer or a log line.
  const signed = stands.flatMap((s) => s.seen.map((r) => /^(?:Bearer|token) (ey\S+)$/.exec(r.headers.authorization ?? '')?.[1]))
  const assertions = stands.flatMap((s) => s.seen.map((r) => new URLSearchParams(r.body).get('assertion')))
  expect(
    leaksOf(
      h,
      [...signed, ...assertions].filter((t): t is string => typeof t === 'string'),
    ),
  ).toEqual([])
  for (const s of stands) await s.close()
  await h.close()
})

describe('a GitHub App: the JWT exchanged for an installation token', () => {
  let gh: Awaited<ReturnType<typeof startGitHubApp>>
  let id: string

  beforeAll(async () => {
    gh = await startGitHubApp({ appId: '424242', installationId: '1001', publicKey: githubKey.publicKey, now: () => h.now.ms })
    stands.push(gh)
    await h.addConnector({
      id: 'gh-app-test',
      name: 'GitHub App (loopback)',
      baseUrl: gh.origin,
      headers: { Accept: 'application/vnd.github+json' },
      auth: [
        {
          type: 'jwt',
          id: 'app',
          fields: [
            { key: 'appId', label: 'App ID', type: 'text', required: true },
            { key: 'installationId', label: 'Installation ID', type: 'text', required: true },
            { key: 'privateKey', label: 'Private key', type: 'secret', required: true, multiline: true },
          ],
          algorithm: 'RS256',
          key: '{{privateKey}}',
          claims: { iss: '{{appId}}' },
          lifetime: 540,
          backdate: 60,
          exchange: {
            via: 'request',
            url: `${gh.origin}/app/installations/{{installationId}}/access_tokens`,
            headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
            token: '/token',
            expiresAt: '/expires_at',
          },
          placement: { in: 'header', name: 'Authorization', prefix: 'token ' },
        },
      ],
      test: { path: '/installation/repositories', label: '{{body.repositories.0.full_name}}' },
      actions: [{ key: 'repos', name: 'List repositories', method: 'GET', path: '/installation/repositories' }],
    })
    id = await addConnection(h, 'gh-app-test', { values: { appId: '424242', installationId: '1001' } })
  })

  it('refuses a wrong key: the test says GitHub could not decode the JWT, and nothing is connected through it', async () => {
    expect((await put(id, { appId: '424242', installationId: '1001', privateKey: strangerKey.pem })).status).toBe(200)
    const result = (await test(id)).body
    expect(result).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    expect(result.diagnosis).toContain('A JSON web token could not be decoded')
    // Refused (502), or not asked again for a moment after the refusal (503): never sent without a token.
    expect([502, 503]).toContain((await action(id, 'repos')).status)
    expect([502, 503]).toContain((await proxy(id, '/installation/repositories')).status)
    expect(gh.seen.filter((r) => r.path === '/installation/repositories')).toHaveLength(0)
  })

  it('refuses an installation the app does not have (GitHub: 404)', async () => {
    h.now.ms += 60_000
    expect((await put(id, { appId: '424242', installationId: '9999', privateKey: githubKey.pem })).status).toBe(200)
    const result = (await test(id)).body
    expect(result).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    expect(result.diagnosis).toContain('http_404')
  })

  it('with the right key: one exchange, then the test, an action and the proxy use the installation token', async () => {
    h.now.ms += 60_000
    expect((await put(id, { appId: '424242', installationId: '1001', privateKey: githubKey.pem })).status).toBe(200)
    const before = gh.seen.length
    expect((await test(id)).body).toMatchObject({ ok: true, label: 'acme/widgets' })
    expect((await action(id, 'repos')).body).toMatchObject({ ok: true, status: 200 })
    const proxied = await proxy(id, '/repos/acme/widgets')
    expect(proxied.status).toBe(200)
    const seen = gh.seen.slice(before)
    expect(seen.map((r) => r.path)).toEqual([
      '/app/installations/1001/access_tokens',
      '/installation/repositories',
      '/installation/repositories',
      '/repos/acme/widgets',
    ])
    const exchange = seen[0]!
    expect(exchange.method).toBe('POST')
    expect(exchange.headers['x-github-api-version']).toBe('2022-11-28')
    expect(exchange.headers.authorization).toMatch(/^Bearer ey/)
    const token = gh.issued.at(-1)!
    for (const r of seen.slice(1)) expect(r.headers.authorization).toBe(`token ${token}`)
    // The view shows no secret: the key and the token stay sealed.
    expect(JSON.stringify((await h.call('GET', base(id))).body)).not.toContain(token)
  })

  it('exchanges again when the installation token nears its expiry, and once after a 401', async () => {
    const exchanges = () => gh.seen.filter((r) => r.path.endsWith('/access_tokens')).length
    const first = exchanges()
    h.now.ms += 59 * 60 * 1000 + 30_000
    expect((await action(id, 'repos')).body.status).toBe(200)
    expect(exchanges()).toBe(first + 1)
    expect((await action(id, 'repos')).body.status).toBe(200)
    expect(exchanges()).toBe(first + 1)
    gh.revokeTokens()
    expect((await action(id, 'repos')).body.status).toBe(200)
    expect(exchanges()).toBe(first + 2)
  })

  it('never sends the installation token to another origin the API redirects to', async () => {
    const other = await startGitHubApp({ appId: 'x', installationId: 'x', publicKey: githubKey.publicKey, now: () => h.now.ms })
    stands.push(other)
    const res = await proxy(id, `/elsewhere?to=${encodeURIComponent(other.origin)}`)
    expect(res.status).toBe(302)
    expect(other.seen).toHaveLength(0)
  })
})

describe('a Google service account: the RFC 7523 jwt-bearer grant', () => {
  let google: StandIn
  let id: string
  let definition: any
  const clientEmail = 'reporter@acme-project.iam.gserviceaccount.com'

  beforeAll(async () => {
    google = await startGoogle({ clientEmail, publicKey: googleKey.publicKey, now: () => h.now.ms })
    stands.push(google)
    definition = {
      id: 'google-sa-test',
      name: 'Google service account (loopback)',
      baseUrl: google.origin,
      auth: [
        {
          type: 'jwt',
          id: 'serviceAccount',
          fields: [
            { key: 'clientEmail', label: 'Client email', type: 'text', required: true },
            { key: 'privateKey', label: 'Private key', type: 'secret', required: true, multiline: true },
            { key: 'subject', label: 'User to act as', type: 'text' },
          ],
          algorithm: 'RS256',
          key: '{{privateKey}}',
          claims: {
            iss: '{{clientEmail}}',
            sub: '{{subject}}',
            scope: 'https://www.googleapis.com/auth/drive.readonly',
            aud: `${google.origin}/token`,
          },
          lifetime: 3600,
          exchange: { via: 'tokenUrl', tokenUrl: `${google.origin}/token` },
        },
      ],
      test: { path: '/drive/v3/about', query: { fields: 'user' }, label: '{{body.user.emailAddress}}' },
      actions: [{ key: 'about', name: 'About', method: 'GET', path: '/drive/v3/about' }],
    }
    await h.addConnector(definition)
    id = await addConnection(h, 'google-sa-test', { values: { clientEmail } })
  })

  it('a wrong key: "Invalid JWT Signature." in the diagnosis; the action and the proxy fail without reaching the API', async () => {
    expect((await put(id, { clientEmail, privateKey: strangerKey.pem })).status).toBe(200)
    const result = (await test(id)).body
    expect(result).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    expect(result.diagnosis).toContain('Invalid JWT Signature.')
    expect([502, 503]).toContain((await action(id, 'about')).status)
    expect([502, 503]).toContain((await proxy(id, '/drive/v3/files')).status)
    expect(google.seen.filter((r) => r.path !== '/token')).toHaveLength(0)
  })

  it('a key pasted from the JSON key file (`\\n` escaped) signs a grant Google accepts', async () => {
    h.now.ms += 60_000
    const escaped = googleKey.pem.trim().replaceAll('\n', '\\n')
    expect((await put(id, { clientEmail, privateKey: escaped, subject: 'ops@acme.test' })).status).toBe(200)
    expect((await test(id)).body).toMatchObject({ ok: true, label: clientEmail })
    const grant = new URLSearchParams(google.seen.findLast((r) => r.path === '/token')!.body)
    expect(grant.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
    const claims = JSON.parse(Buffer.from(grant.get('assertion')!.split('.')[1]!, 'base64url').toString())
    expect(claims).toMatchObject({ iss: clientEmail, sub: 'ops@acme.test', scope: 'https://www.googleapis.com/auth/drive.readonly' })
    expect(claims.exp - claims.iat).toBe(3600)
    expect((await action(id, 'about')).body).toMatchObject({ ok: true, status: 200 })
    expect((await proxy(id, '/drive/v3/files')).status).toBe(200)
    const token = google.issued.at(-1)!
    for (const r of google.seen.filter((s) => s.path !== '/token').slice(-3)) expect(r.headers.authorization).toBe(`Bearer ${token}`)
  })

  it('an assertion with a lifetime Google refuses: its words in the diagnosis', async () => {
    h.now.ms += 60_000
    const long = structuredClone(definition)
    long.id = 'google-sa-long'
    long.auth[0].lifetime = 7200
    await h.addConnector(long)
    const other = await addConnection(h, 'google-sa-long', { values: { clientEmail } })
    expect((await put(other, { clientEmail, privateKey: googleKey.pem })).status).toBe(200)
    const result = (await test(other)).body
    expect(result).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    expect(result.diagnosis).toContain('Token must be a short-lived token (60 minutes)')
  })
})

describe('App Store Connect style: the ES256 JWT is the bearer token', () => {
  let api: StandIn
  let id: string

  beforeAll(async () => {
    api = await startAppStore({
      keyId: '2X9R4HXF34',
      issuerId: '57246542-96fe-1a63-e053-0824d011072a',
      publicKey: appStoreKey.publicKey,
      now: () => h.now.ms,
    })
    stands.push(api)
    await h.addConnector({
      id: 'asc-test',
      name: 'App Store Connect (loopback)',
      baseUrl: api.origin,
      auth: [
        {
          type: 'jwt',
          id: 'apiKey',
          fields: [
            { key: 'issuerId', label: 'Issuer ID', type: 'text', required: true },
            { key: 'keyId', label: 'Key ID', type: 'text', required: true },
            { key: 'privateKey', label: 'Private key (.p8)', type: 'secret', required: true, multiline: true },
          ],
          algorithm: 'ES256',
          key: '{{privateKey}}',
          keyId: '{{keyId}}',
          claims: { iss: '{{issuerId}}', aud: 'appstoreconnect-v1' },
          lifetime: 1200,
        },
      ],
      test: { path: '/v1/apps', label: '{{body.data.0.attributes.name}}' },
      actions: [{ key: 'apps', name: 'List apps', method: 'GET', path: '/v1/apps' }],
    })
    id = await addConnection(h, 'asc-test', { values: { issuerId: 'x', keyId: 'x' } })
  })

  it('a wrong key id: the API answers 401 and the test says the credentials were rejected', async () => {
    expect(
      (await put(id, { issuerId: '57246542-96fe-1a63-e053-0824d011072a', keyId: 'WRONGKEY01', privateKey: appStoreKey.pem })).status,
    ).toBe(200)
    expect((await test(id)).body).toMatchObject({ ok: false, status: 401 })
    expect((await action(id, 'apps')).body).toMatchObject({ ok: false, status: 401 })
    expect((await proxy(id, '/v1/apps')).status).toBe(401)
  })

  it('an RSA key for ES256 is refused before anything is sent, without showing the key', async () => {
    const sent = api.seen.length
    expect((await put(id, { issuerId: 'x', keyId: '2X9R4HXF34', privateKey: githubKey.pem })).status).toBe(200)
    const result = (await test(id)).body
    expect(result).toMatchObject({ ok: false, problem: 'credentials_rejected' })
    expect(result.diagnosis).toContain('ES256 needs an EC key on the P-256 curve')
    expect(api.seen.length).toBe(sent)
  })

  it('the right key: signed once, used until near its expiry, then signed again', async () => {
    const issuer = '57246542-96fe-1a63-e053-0824d011072a'
    expect((await put(id, { issuerId: issuer, keyId: '2X9R4HXF34', privateKey: appStoreKey.pem })).status).toBe(200)
    expect((await test(id)).body).toMatchObject({ ok: true, label: 'Widgets' })
    expect((await action(id, 'apps')).body).toMatchObject({ ok: true, status: 200 })
    expect((await proxy(id, '/v1/apps')).status).toBe(200)
    const tokens = api.seen.slice(-3).map((r) => r.headers.authorization)
    expect(new Set(tokens).size).toBe(1)
    h.now.ms += 19.5 * 60 * 1000
    expect((await action(id, 'apps')).body.status).toBe(200)
    expect(api.seen.at(-1)!.headers.authorization).not.toBe(tokens[0])
  })
})
