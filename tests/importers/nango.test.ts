import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../runtime/tooling/cli/main.ts'
import type { NangoImportSummary } from '../../runtime/tooling/importers/nango.ts'
import { readYamlFile } from '../../runtime/tooling/importers/yaml-file.ts'
import type { ApiKeyAuth, BasicAuth, Connector, Field, OAuth2Auth } from '../../schemas/types/connector.ts'
import { captureIo, useTempDir } from './helpers.ts'

// Nango's provider catalogue (Elastic License 2.0) is test data kept outside the repository; it is read
// where it lies and nothing of it is copied here. Expected values below are derived from it at run time.
const repo = fileURLToPath(new URL('../..', import.meta.url))
const corpus = resolve(repo, '../shared/corpus/nango-providers.yaml')
const exists = existsSync(corpus)

/** What the import reached when this was written, less a little slack for changes to the corpus. */
const PINNED = {
  API_KEY: 315,
  BASIC: 90,
  OAUTH2: 323,
  OAUTH2_CC: 97,
  TWO_STEP: 40,
  JWT: 1,
  OAUTH1: 3,
  MCP_OAUTH2: 21,
  APP: 1,
  NONE: 1,
}

type Raw = Record<string, any>

describe(`import nango on the corpus (skipped when ${corpus} is absent)`, () => {
  const out = useTempDir()
  let summary: NangoImportSummary
  let providers: Array<{ name: string; status: string; id?: string; alias?: string }>
  let raw: Raw
  let exitCode: number

  beforeAll(async () => {
    if (!exists) return
    const io = captureIo()
    exitCode = await main(['import', 'nango', corpus, '--out', out, '--json'], io)
    ;({ summary, providers } = JSON.parse(io.stdout.join('\n')))
    raw = (await readYamlFile(corpus)) as Raw
  })

  const connector = (name: string): Connector => {
    const entry = providers.find((p) => p.name === name)
    expect(entry?.status, `${name} should convert`).toBe('valid')
    return JSON.parse(readFileSync(join(out, `${entry!.id}.json`), 'utf8'))
  }

  it.skipIf(!exists)('converts at least 900 of the 981 entries, and the pinned number per auth mode', () => {
    expect(exitCode).toBe(0)
    for (const [mode, pinned] of Object.entries(PINNED)) {
      const figures = summary.modes.find((m) => m.mode === mode)!
      expect(figures.valid, mode).toBeGreaterThanOrEqual(pinned)
    }
    expect(summary.overall.total).toBe(Object.keys(raw).length)
    expect(summary.overall.valid).toBeGreaterThanOrEqual(900)
    expect(summary.modes.reduce((n, m) => n + m.total, 0)).toBe(summary.overall.total)
    expect(summary.invalid).toEqual([])
  })

  it.skipIf(!exists)('gives every entry that is not imported a reason', () => {
    for (const entry of providers.filter((p) => p.status !== 'valid')) {
      const full = entry as { reason?: string }
      expect(full.reason, entry.name).toMatch(/\S/)
      expect(full.reason, entry.name).not.toBe('auth mode not imported')
    }
  })

  it.skipIf(!exists)('writes only valid connectors, which the validate command accepts', async () => {
    const files = readdirSync(out).filter((f) => f.endsWith('.json'))
    expect(files).toHaveLength(summary.overall.valid)
    const io = captureIo()
    expect(await main(['validate', join(out, '*.json'), '--quiet'], io)).toBe(0)
    expect(io.stdout).toEqual([])
    expect(JSON.parse(readFileSync(join(out, files[0]!), 'utf8')).$schema).toMatch(/\/schemas\/connector\.schema\.json$/)
  })

  it.skipIf(!exists)('API_KEY with a prefixed Authorization header (callrail)', () => {
    const c = connector('callrail')
    const header = raw.callrail.proxy.headers.authorization as string
    expect(c.baseUrl).toBe(raw.callrail.proxy.base_url)
    expect(c.auth).toHaveLength(1)
    const auth = c.auth[0] as ApiKeyAuth
    expect(auth.type).toBe('apiKey')
    expect(auth.placements).toEqual([{ in: 'header', name: 'authorization', value: header.replace('${apiKey}', '{{apiKey}}') }])
    expect(auth.fields).toMatchObject([{ key: 'apiKey', type: 'secret', required: true, label: raw.callrail.credentials.apiKey.title }])
  })

  it.skipIf(!exists)('BASIC with a hidden constant password (freshdesk) and a templated username (zendesk-api-key)', () => {
    const freshdesk = connector('freshdesk').auth[0] as BasicAuth
    expect(freshdesk.password).toBe(raw.freshdesk.credentials.password.default_value)
    expect(freshdesk.username).toBe('{{username}}')
    expect(freshdesk.fields?.map((f) => f.key)).toEqual(['username'])
    const zendesk = connector('zendesk-api-key')
    expect(zendesk.baseUrl).toBe('https://{{subdomain}}.zendesk.com')
    expect(zendesk.auth[0]).toMatchObject({ type: 'basic', username: '{{username}}/token', password: '{{password}}' })
    expect(zendesk.headers?.authorization).toBeUndefined()
  })

  it.skipIf(!exists)('OAUTH2 with a templated authorize URL whose fallback becomes a default (salesforce)', () => {
    const c = connector('salesforce')
    const [templated, fallback] = (raw.salesforce.authorization_url as string).split(' || ')
    const auth = c.auth[0] as OAuth2Auth
    expect(auth).toMatchObject({
      grant: 'authorization_code',
      clientAuth: 'client_secret_post',
      defaultScopes: raw.salesforce.default_scopes,
    })
    expect(auth.authorizeUrl).toBe(templated!.replace('${connectionConfig.hostname}', '{{hostname}}'))
    expect(auth.scopes).toEqual(raw.salesforce.default_scopes.map((value: string) => ({ value })))
    expect(c.fields?.find((f) => f.key === 'hostname')).toMatchObject({ required: false, default: new URL(fallback!).host })
  })

  it.skipIf(!exists)('OAUTH2_CC with Basic client authentication and per-connection client credentials (1password-users)', () => {
    const c = connector('1password-users')
    const p = raw['1password-users']
    expect(c.id).toBe('one-password-users')
    expect(p.token_request_auth_method).toBe('basic')
    const auth = c.auth[0] as OAuth2Auth
    expect(auth).toMatchObject({
      grant: 'client_credentials',
      clientAuth: 'client_secret_basic',
      tokenUrl: p.token_url.replace('${connectionConfig.domain}', '{{domain}}'),
    })
    expect(auth.authorizeUrl).toBeUndefined()
    expect(auth.fields?.map((f) => [f.key, f.type])).toEqual([
      ['clientId', 'text'],
      ['clientSecret', 'secret'],
    ])
    expect(c.fields?.find((f) => f.key === 'domain')?.options?.map((o) => o.value)).toEqual(p.connection_config.domain.enum)
  })

  it.skipIf(!exists)("an alias takes its target's auth with its own name (zoho-crm)", () => {
    const entry = providers.find((p) => p.name === 'zoho-crm')!
    expect(entry.alias).toBe(raw['zoho-crm'].alias)
    const alias = connector('zoho-crm')
    const target = connector(entry.alias!)
    expect(alias.name).toBe(raw['zoho-crm'].display_name)
    expect(alias.auth).toEqual(target.auth)
  })

  /** The field a Nango input becomes when it has only a title and a description. */
  const plain = (key: string, input: Raw, type: Field['type'] = 'text'): Field => ({
    key,
    label: input.title,
    help: input.description,
    type,
    required: true,
  })

  it.skipIf(!exists)('TWO_STEP as a session: a JSON login whose token is at a path of its answer (agencyzoom)', () => {
    const p = raw.agencyzoom
    // As written, less the $schema that --out adds.
    expect({ ...connector('agencyzoom'), $schema: undefined }).toEqual({
      id: 'agencyzoom',
      name: p.display_name,
      docsUrl: p.docs,
      categories: ['crm'],
      baseUrl: p.proxy.base_url,
      auth: [
        {
          type: 'session',
          id: 'login',
          label: 'Login',
          fields: [plain('username', p.credentials.username), plain('password', p.credentials.password, 'secret')],
          login: {
            url: p.token_url,
            headers: { accept: p.token_headers.accept },
            body: { username: '{{username}}', password: '{{password}}' },
          },
          capture: { token: { from: 'body', pointer: `/${p.token_response.token}` } },
          placements: [{ in: 'header', name: 'Authorization', value: 'Bearer {{session.token}}' }],
        },
      ],
    })
  })

  it.skipIf(!exists)('OAUTH2_CC with a grant of its own as a session login on a declared host (zoom-cc)', () => {
    const p = raw['zoom-cc']
    const c = connector('zoom-cc')
    expect(c.allowedHosts).toEqual([new URL(p.token_url).hostname])
    expect(c.fields).toEqual([plain('accountId', p.connection_config.accountId)])
    expect(c.auth).toEqual([
      {
        type: 'session',
        id: 'login',
        label: 'Login',
        fields: [plain('clientId', p.credentials.client_id), plain('clientSecret', p.credentials.client_secret, 'secret')],
        login: {
          url: p.token_url,
          basic: { username: '{{clientId}}', password: '{{clientSecret}}' },
          body: { grant_type: p.token_params.grant_type, account_id: '{{accountId}}' },
          bodyType: 'form',
        },
        capture: { token: { from: 'body', pointer: '/access_token' } },
        expiry: { pointer: '/expires_in', format: 'seconds' },
        placements: [{ in: 'header', name: 'Authorization', value: 'Bearer {{session.token}}' }],
      },
    ])
  })

  it.skipIf(!exists)('JWT signed with the entered key, its kid and claims (apple-app-store)', () => {
    const p = raw['apple-app-store']
    const c = connector('apple-app-store')
    const scope = p.connection_config.scope
    expect(c.fields).toEqual([
      { key: 'scope', label: scope.title, help: scope.description, type: 'text', required: false, placeholder: scope.example },
    ])
    expect(c.auth).toEqual([
      {
        type: 'jwt',
        id: 'jwt',
        label: 'Signed JWT',
        fields: [
          { ...plain('privateKey', p.credentials.privateKey, 'secret'), multiline: true },
          plain('privateKeyId', p.credentials.privateKeyId),
          plain('issuerId', p.credentials.issuerId),
        ],
        algorithm: p.token.header.alg,
        key: '{{privateKey}}',
        keyId: '{{privateKeyId}}',
        claims: { iss: '{{issuerId}}', aud: p.token.payload.aud, scope: '{{scope}}' },
        lifetime: p.token.expires_in_ms / 1000,
      },
    ])
  })

  it.skipIf(!exists)('TWO_STEP signing a jwt-bearer assertion (google-service-account)', () => {
    const p = raw['google-service-account']
    const auth = connector('google-service-account').auth[0]
    expect(auth).toMatchObject({
      type: 'jwt',
      algorithm: p.token.header.alg,
      key: '{{privateKey}}',
      claims: {
        iss: '{{serviceAccountEmailAddress}}',
        scope: '{{scopes}}',
        aud: p.token.payload.aud,
        sub: '{{delegatedAccessEmailAddress}}',
      },
      lifetime: p.token.expires_in_ms / 1000,
      exchange: { via: 'tokenUrl', tokenUrl: p.token_url },
    })
    expect(auth!.fields?.find((f) => f.key === 'delegatedAccessEmailAddress')?.required).toBe(false)
  })

  it.skipIf(!exists)('TWO_STEP with a client assertion as OAuth2 private_key_jwt (apple-business-manager)', () => {
    const p = raw['apple-business-manager']
    expect(connector('apple-business-manager').auth).toEqual([
      {
        type: 'oauth2',
        id: 'oauth2',
        label: 'OAuth2 client credentials (private key JWT)',
        fields: [
          plain('clientId', p.credentials.clientId),
          plain('keyId', p.credentials.keyId),
          { ...plain('privateKey', p.assertion_option.privateKey, 'secret'), multiline: true },
        ],
        grant: 'client_credentials',
        tokenUrl: p.token_url,
        tokenParams: { scope: p.token_params.scope },
        clientAuth: 'private_key_jwt',
        clientAssertion: { algorithm: p.assertion.header.alg, key: '{{privateKey}}', keyId: '{{keyId}}', lifetime: 600 },
      },
    ])
  })

  it.skipIf(!exists)('OAUTH1 three-legged (trello)', () => {
    const p = raw.trello
    expect(connector('trello').auth).toEqual([
      {
        type: 'oauth1',
        id: 'oauth1',
        label: 'OAuth 1.0a',
        fields: [
          { key: 'consumerKey', label: 'Consumer key', type: 'text', required: true },
          { key: 'consumerSecret', label: 'Consumer secret', type: 'secret', required: true },
        ],
        signatureMethod: p.signature_method,
        consumerKey: '{{consumerKey}}',
        consumerSecret: '{{consumerSecret}}',
        requestTokenUrl: p.request_url,
        authorizeUrl: p.authorization_url,
        accessTokenUrl: p.token_url,
        authorizeParams: p.authorization_params,
      },
    ])
  })

  it.skipIf(!exists)('AWS Signature V4 from ${awsSigV4(…)} (aws-iam)', () => {
    const p = raw['aws-iam']
    const [, , region, service] = /awsSigV4\((.*)\)\}$/.exec(p.proxy.headers.authorization)![1]!.split(', ')
    const c = connector('aws-iam')
    expect(c.headers).toBeUndefined()
    expect(c.auth).toEqual([
      {
        type: 'awsSigV4',
        id: 'accessKey',
        label: 'AWS access key',
        fields: [plain('username', p.credentials.username), plain('password', p.credentials.password, 'secret')].map((f) => ({
          ...f,
          help: `${f.help}.`.replace(/\.\.$/, '.'),
        })),
        accessKeyId: '{{username}}',
        secretAccessKey: '{{password}}',
        region,
        service,
      },
    ])
  })

  it.skipIf(!exists)('APP: a GitHub App installation token (github-app)', () => {
    const p = raw['github-app']
    expect(connector('github-app').auth).toEqual([
      {
        type: 'jwt',
        id: 'app',
        label: 'GitHub App',
        fields: [
          { key: 'appId', label: 'App ID', type: 'text', required: true },
          { key: 'privateKey', label: 'Private key', type: 'secret', required: true, multiline: true },
        ],
        algorithm: 'RS256',
        key: '{{privateKey}}',
        claims: { iss: '{{appId}}' },
        lifetime: 540,
        backdate: 60,
        exchange: {
          via: 'request',
          method: 'POST',
          url: p.token_url.replace('${connectionConfig.installation_id}', '{{installation_id}}'),
          token: '/token',
          expiresAt: '/expires_at',
        },
      },
    ])
  })

  it.skipIf(!exists)('NONE (youcanbook-me-public) and a static MCP_OAUTH2 client (asana-mcp)', () => {
    expect(connector('youcanbook-me-public').auth).toEqual([{ type: 'none', id: 'none', label: 'No authentication' }])
    const p = raw['asana-mcp']
    expect(connector('asana-mcp').auth).toEqual([
      {
        type: 'oauth2',
        id: 'oauth2',
        label: 'OAuth2',
        grant: 'authorization_code',
        authorizeUrl: p.authorization_url,
        tokenUrl: p.token_url,
        scopes: p.default_scopes.map((value: string) => ({ value })),
        defaultScopes: p.default_scopes,
        authorizeParams: { resource: p.authorization_params.resource },
        clientAuth: 'client_secret_post',
      },
    ])
  })

  it.skipIf(!exists)('OAuth2 additions: JSON token requests, custom token headers, refresh-only and per-request parameters', () => {
    expect(connector('notion').auth[0]).toMatchObject({ tokenBody: 'json' })
    const header = Object.entries(raw.shopify.proxy.headers as Record<string, string>).find(([, v]) => v === '${accessToken}')!
    expect(connector('shopify').auth[0]).toMatchObject({ placement: { in: 'header', name: header[0], prefix: '' } })
    expect(connector('shopify').headers).toBeUndefined()
    expect(connector('microsoft-ads').auth[0]).toMatchObject({ refreshParams: { scope: raw['microsoft-ads'].refresh_params.scope } })
    expect(connector('basecamp').auth[0]).toMatchObject({
      tokenParams: raw.basecamp.token_params,
      refreshParams: raw.basecamp.refresh_params,
    })
    expect(connector('judgeme-oauth').auth[0]).toMatchObject({ tokenBody: 'json', query: { shop_domain: '{{shopDomain}}' } })
  })
})
