import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { categoriesOf, connectorId } from '../../runtime/tooling/importers/nango/catalogue.ts'
import { importNangoCatalogue } from '../../runtime/tooling/importers/nango.ts'
import type { ApiKeyAuth, BasicAuth, OAuth2Auth } from '../../schemas/types/connector.ts'
import { convertYaml } from './helpers.ts'

// Every snippet here is made up for the rule it tests.

describe('catalogue data', () => {
  it('makes ids that fit the schema, spelling out leading digits', () => {
    expect(connectorId('7seas-crm')).toBe('seven-seas-crm')
    expect(connectorId('Widget_Co.v2')).toBe('widget-co-v2')
    expect(connectorId('zz')).toBe('zz-api')
    expect(connectorId('a'.repeat(80))).toHaveLength(64)
  })

  it('maps tags onto our categories, dropping non-categories and defaulting to other', () => {
    expect(categoriesOf(['accounting', 'popular', 'erp', 'dev-tools'])).toEqual(['finance', 'developer-tools'])
    expect(categoriesOf(['mcp'])).toEqual(['other'])
    expect(categoriesOf(['astrology'])).toEqual(['other'])
  })

  it('takes name, docs link and categories from the entry', () => {
    const { connector } = convertYaml(`
display_name: Acme Widgets
categories: [crm, popular]
docs: https://docs.acme.test/api
auth_mode: API_KEY
proxy: { base_url: 'https://api.acme.test/', headers: { x-api-key: '\${apiKey}' } }
`)
    expect(connector).toMatchObject({
      id: 'acme',
      name: 'Acme Widgets',
      docsUrl: 'https://docs.acme.test/api',
      categories: ['crm'],
      baseUrl: 'https://api.acme.test',
    })
  })
})

describe('API_KEY', () => {
  const apiKey = (headers: string, query = '{}') =>
    convertYaml(`
auth_mode: API_KEY
proxy: { base_url: 'https://api.acme.test', headers: ${headers}, query: ${query} }
credentials:
  apiKey: { type: string, title: Access key, description: Under Settings → Keys, pattern: '^ak_[a-z0-9]+$', example: ak_123 }
`)

  it('turns exactly "Authorization: Bearer ${apiKey}" into a bearer method with the credential as its field', () => {
    const [auth] = apiKey(`{ authorization: 'Bearer \${apiKey}' }`).connector!.auth
    expect(auth).toEqual({
      type: 'bearer',
      id: 'apiKey',
      label: 'API key',
      token: '{{apiKey}}',
      fields: [
        {
          key: 'apiKey',
          label: 'Access key',
          help: 'Under Settings → Keys.',
          type: 'secret',
          required: true,
          placeholder: 'ak_123',
          pattern: '^ak_[a-z0-9]+$',
        },
      ],
    })
  })

  it('keeps any header name and prefix as a placement, and other headers as static headers', () => {
    const { connector } = apiKey(`{ authorization: 'Token token=\${apiKey}', accept: application/json }`)
    expect((connector!.auth[0] as ApiKeyAuth).placements).toEqual([
      { in: 'header', name: 'authorization', value: 'Token token={{apiKey}}' },
    ])
    expect(connector!.headers).toEqual({ accept: 'application/json' })
  })

  it('puts query parameters into placements, credential or not', () => {
    const { connector } = convertYaml(`
auth_mode: API_KEY
proxy: { base_url: 'https://api.acme.test', query: { key: '\${apiKey}', workspace: '\${connectionConfig.workspace}' } }
connection_config: { workspace: { type: string, title: Workspace } }
`)
    expect((connector!.auth[0] as ApiKeyAuth).placements).toEqual([
      { in: 'query', name: 'key', value: '{{apiKey}}' },
      { in: 'query', name: 'workspace', value: '{{workspace}}' },
    ])
  })

  it('skips a provider whose key goes nowhere a placement can put it', () => {
    expect(apiKey('{}').skipped?.reason).toBe('API key is not sent in a header or query parameter')
    expect(
      convertYaml(`
auth_mode: API_KEY
proxy: { base_url: 'https://api.acme.test', body: { key: '\${apiKey}' } }
`).skipped?.reason,
    ).toBe('credential in the request body')
  })
})

describe('connection fields', () => {
  const provider = (config: string, baseUrl = 'https://${connectionConfig.site}.acme.test') =>
    convertYaml(`
auth_mode: API_KEY
proxy: { base_url: '${baseUrl}', headers: { x-api-key: '\${apiKey}' } }
connection_config:
${config}
`)

  it('maps title, description, example, pattern, optional, prefix and suffix', () => {
    const { connector } = provider(`
  site: { type: string, title: Site name, description: The part of your address before .acme.test, example: widgets,
    pattern: '^[a-z]+$', prefix: 'https://', suffix: .acme.test, optional: true }`)
    expect(connector!.baseUrl).toBe('https://{{site}}.acme.test')
    expect(connector!.fields).toEqual([
      {
        key: 'site',
        label: 'Site name',
        type: 'text',
        required: false,
        placeholder: 'widgets',
        pattern: '^[a-z]+$',
        help: 'The part of your address before .acme.test. Goes between "https://" and ".acme.test".',
      },
    ])
  })

  it('turns an enum into a select, a uri format into a url field, a secret entry into a secret field', () => {
    const { connector } = provider(
      `
  site: { type: string, title: Region, enum: [eu, us] }
  host: { type: string, title: Host, format: uri }
  token: { type: string, title: Tenant token, secret: true }`,
      '${connectionConfig.host}/${connectionConfig.site}',
    )
    expect(connector!.fields).toEqual([
      { key: 'host', label: 'Host', type: 'url', required: true },
      {
        key: 'site',
        label: 'Region',
        type: 'select',
        required: true,
        options: [
          { value: 'eu', label: 'eu' },
          { value: 'us', label: 'us' },
        ],
      },
    ])
  })

  it('drops a pattern the validator cannot compile (u flag) and labels an untitled key', () => {
    const { connector } = provider(
      `
  site_id: { type: string, pattern: '^[\\_a-z]+$' }`,
      'https://${connectionConfig.site_id}.acme.test',
    )
    expect(connector!.fields).toEqual([{ key: 'site_id', label: 'Site id', type: 'text', required: true }])
  })

  it('drops a pattern the linear-time engine cannot run, with a note that says so', () => {
    const { connector, notes } = provider(`
  site: { type: string, title: Site, pattern: '^(?!www)[a-z]+$' }`)
    expect(connector!.fields).toEqual([{ key: 'site', label: 'Site', type: 'text', required: true }])
    expect(notes).toEqual(['pattern left out: not supported by the linear-time pattern engine (RE2)'])
  })

  it('only declares the fields that templates use', () => {
    const { connector } = provider(`
  site: { type: string, title: Site }
  unused: { type: string, title: Unused }`)
    expect(connector!.fields?.map((f) => f.key)).toEqual(['site'])
  })
})

describe('"A || B" fallbacks', () => {
  it('makes the literal side the default of the single placeholder', () => {
    const { connector } = convertYaml(`
auth_mode: API_KEY
proxy:
  base_url: 'https://\${connectionConfig.host} || https://api.acme.test'
  headers: { x-api-key: '\${apiKey}', x-version: '\${connectionConfig.version} || 2024-01-01' }
connection_config:
  host: { type: string, title: Host, optional: true }
  version: { type: string, title: API version, automated: true }
`)
    expect(connector!.baseUrl).toBe('https://{{host}}')
    expect(connector!.headers).toEqual({ 'x-version': '{{version}}' })
    expect(connector!.fields).toEqual([
      { key: 'host', label: 'Host', type: 'text', required: false, default: 'api.acme.test' },
      { key: 'version', label: 'API version', type: 'text', required: false, default: '2024-01-01' },
    ])
    expect(
      convertYaml(`
auth_mode: API_KEY
proxy: { base_url: 'https://\${connectionConfig.host} || https://api.acme.test', headers: { x-api-key: '\${apiKey}' } }
connection_config: { host: { type: string, title: Host, optional: true } }
`).notes,
    ).toBeUndefined()
  })

  it('otherwise takes the first alternative every connection can fill', () => {
    const { connector } = convertYaml(`
auth_mode: API_KEY
proxy: { base_url: 'https://\${connectionConfig.region}.acme.test/v1 || https://\${connectionConfig.tenant}.acme.test/api',
  headers: { x-api-key: '\${apiKey}' } }
connection_config:
  region: { type: string, title: Region, optional: true }
  tenant: { type: string, title: Tenant }
`)
    expect(connector!.baseUrl).toBe('https://{{tenant}}.acme.test/api')
    expect(connector!.fields?.map((f) => f.key)).toEqual(['tenant'])
  })
})

describe('BASIC', () => {
  it("asks for username and password, with Nango's titles", () => {
    const auth = convertYaml(`
auth_mode: BASIC
proxy: { base_url: 'https://api.acme.test' }
credentials:
  username: { type: string, title: Account id }
  password: { type: string, title: Secret key }
`).connector!.auth[0] as BasicAuth
    expect(auth).toMatchObject({ type: 'basic', username: '{{username}}', password: '{{password}}' })
    expect(auth.fields).toEqual([
      { key: 'username', label: 'Account id', type: 'text', required: true },
      { key: 'password', label: 'Secret key', type: 'secret', required: true },
    ])
  })

  it('writes a hidden credential with a default as the constant, not a field', () => {
    const auth = convertYaml(`
auth_mode: BASIC
proxy: { base_url: 'https://api.acme.test' }
credentials:
  username: { type: string, title: API key, secret: true }
  password: { type: string, title: '', hidden: true, default_value: Z }
`).connector!.auth[0] as BasicAuth
    expect(auth).toMatchObject({ username: '{{username}}', password: 'Z' })
    expect(auth.fields).toEqual([{ key: 'username', label: 'API key', type: 'secret', required: true }])
  })

  it('reads "Basic ${base64(user:password)}" as the username and password templates', () => {
    const auth = convertYaml(`
auth_mode: BASIC
proxy: { base_url: 'https://api.acme.test',
  headers: { authorization: 'Basic \${base64(\${credentials.username}@acme:\${credentials.password})}' } }
`).connector!.auth[0] as BasicAuth
    expect(auth).toMatchObject({ username: '{{username}}@acme', password: '{{password}}' })
  })

  it('keeps extra headers over connection fields, and skips one that carries a credential', () => {
    const base = `
auth_mode: BASIC
connection_config: { tenant: { type: string, title: Tenant } }
proxy: { base_url: 'https://api.acme.test', headers: { x-tenant: '\${connectionConfig.tenant}' } }
`
    expect(convertYaml(base).connector!.headers).toEqual({ 'x-tenant': '{{tenant}}' })
    expect(convertYaml(base.replace('${connectionConfig.tenant}', '${credentials.username}')).skipped?.reason).toBe(
      'credential in an extra header',
    )
  })
})

describe('OAUTH2', () => {
  const oauth = (extra: string) =>
    convertYaml(`
auth_mode: OAUTH2
authorization_url: https://\${connectionConfig.site}.acme.test/oauth/authorize
token_url: https://\${connectionConfig.site}.acme.test/oauth/token
proxy: { base_url: 'https://\${connectionConfig.site}.acme.test/api' }
connection_config: { site: { type: string, title: Site } }
${extra}
`)

  it('maps URLs, scopes, parameters, PKCE and client authentication (in the body by default, as in Nango)', () => {
    const auth = oauth(`
refresh_url: https://\${connectionConfig.site}.acme.test/oauth/refresh
default_scopes: [read, write, offline_access]
scope_separator: ','
disable_pkce: true
authorization_params: { response_type: code, prompt: consent }
token_params: { grant_type: authorization_code, audience: '\${connectionConfig.site}' }
`).connector!.auth[0] as OAuth2Auth
    expect(auth).toEqual({
      type: 'oauth2',
      id: 'oauth2',
      label: 'OAuth2',
      grant: 'authorization_code',
      authorizeUrl: 'https://{{site}}.acme.test/oauth/authorize',
      tokenUrl: 'https://{{site}}.acme.test/oauth/token',
      refreshUrl: 'https://{{site}}.acme.test/oauth/refresh',
      scopes: [{ value: 'read' }, { value: 'write' }, { value: 'offline_access' }],
      defaultScopes: ['read', 'write', 'offline_access'],
      scopeSeparator: ',',
      pkce: false,
      authorizeParams: { prompt: 'consent' },
      tokenParams: { audience: '{{site}}' },
      clientAuth: 'client_secret_post',
    })
  })

  it('maps scope separators and client authentication in the header', () => {
    const at = (extra: string) => oauth(extra).connector!.auth[0] as OAuth2Auth
    expect(at(`scope_separator: '%20'`).scopeSeparator).toBeUndefined()
    expect(at(`scope_separator: '+'`).scopeSeparator).toBe('+')
    expect(at('token_request_auth_method: basic').clientAuth).toBe('client_secret_basic')
    expect(at('authorization_method: header').clientAuth).toBe('client_secret_basic')
  })

  it('maps token_response paths to JSON pointers', () => {
    const auth = oauth('token_response: { token: data.auth.token, token_expiration: data.auth.ttl, token_expiration_strategy: expireIn }')
      .connector!.auth[0] as OAuth2Auth
    expect(auth.tokenResponse).toEqual({ accessToken: '/data/auth/token', expiresIn: '/data/auth/ttl' })
  })

  it('drops the Bearer header the method sends anyway, and places a token in a custom header', () => {
    const withHeaders = (headers: string) =>
      convertYaml(`
auth_mode: OAUTH2
authorization_url: https://acme.test/authorize
token_url: https://acme.test/token
proxy: { base_url: 'https://api.acme.test', headers: ${headers} }
`)
    expect(withHeaders(`{ authorization: 'Bearer \${accessToken}' }`).connector!.headers).toBeUndefined()
    expect(withHeaders(`{ x-token: '\${accessToken}' }`).connector!.auth[0]).toMatchObject({
      placement: { in: 'header', name: 'x-token', prefix: '' },
    })
  })

  it('skips what the format cannot express, with a stable reason', () => {
    expect(oauth('body_format: query').skipped?.reason).toBe('token request parameters in the query string')
    expect(oauth('authorization_params: { nonce: "${random}" }').skipped?.reason).toBe('unsupported placeholder ${random}')
    expect(oauth('refresh_params: { grant_type: password }').skipped?.reason).toBe('refresh request with another grant_type')
  })
})

describe('OAUTH2_CC', () => {
  it('becomes a client-credentials method whose fields are the client id and secret', () => {
    const auth = convertYaml(`
auth_mode: OAUTH2_CC
token_url: https://auth.acme.test/token
token_params: { grant_type: client_credentials, audience: https://api.acme.test }
token_request_auth_method: basic
proxy: { base_url: 'https://api.acme.test' }
credentials:
  client_id: { type: string, title: App id }
  client_secret: { type: string, title: App secret, secret: true }
`).connector!.auth[0] as OAuth2Auth
    expect(auth).toEqual({
      type: 'oauth2',
      id: 'oauth2',
      label: 'OAuth2 client credentials',
      grant: 'client_credentials',
      tokenUrl: 'https://auth.acme.test/token',
      tokenParams: { audience: 'https://api.acme.test' },
      clientAuth: 'client_secret_basic',
      fields: [
        { key: 'clientId', label: 'App id', type: 'text', required: true },
        { key: 'clientSecret', label: 'App secret', type: 'secret', required: true },
      ],
    })
  })

  it('sends a token request with another grant type as a session login', () => {
    const { connector } = convertYaml(`
auth_mode: OAUTH2_CC
token_url: https://auth.acme.test/token
token_params: { grant_type: password }
proxy: { base_url: 'https://api.acme.test' }
`)
    expect(connector!.auth[0]).toMatchObject({
      type: 'session',
      login: { url: 'https://auth.acme.test/token', bodyType: 'form', body: { grant_type: 'password' } },
    })
  })
})

describe('test request', () => {
  const withVerification = (verification: string, baseUrl = 'https://api.acme.test/v2') =>
    convertYaml(`
auth_mode: API_KEY
proxy:
  base_url: ${baseUrl}
  headers: { x-api-key: '\${apiKey}' }
  verification: ${verification}
connection_config: { org: { type: string, title: Org } }
`)

  it('takes the first endpoint and method, moving a query string to query', () => {
    expect(
      withVerification(`{ method: GET, endpoints: ['/orgs/\${connectionConfig.org}/me?fields=id%2Cname&limit=1', /other] }`).connector!
        .test,
    ).toEqual({ method: 'GET', path: '/orgs/{{org}}/me', query: { fields: 'id,name', limit: '1' } })
  })

  it('keeps headers and a JSON body, and spaces out GraphQL braces', () => {
    expect(
      withVerification(
        `{ method: POST, endpoints: [/graphql], headers: { content-type: application/json }, data: { query: '{viewer{id}}' } }`,
      ).connector!.test,
    ).toEqual({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: { query: '{viewer{id} }' } })
  })

  it('uses base_url_override as url on the same origin, and leaves the test out on another', () => {
    expect(withVerification(`{ endpoints: [/ping], base_url_override: 'https://api.acme.test' }`).connector!.test).toEqual({
      method: 'GET',
      url: 'https://api.acme.test/ping',
    })
    const other = withVerification(`{ endpoints: [/ping], base_url_override: 'https://status.acme.test' }`)
    expect(other.connector!.test).toBeUndefined()
    expect(other.notes).toEqual(['test request left out: verification endpoint on another origin'])
  })

  it('leaves out a test that would put a credential in the URL, and forgets its fields', () => {
    const result = withVerification(`{ endpoints: ['/keys/\${credentials.apiKey}/\${connectionConfig.org}'] }`)
    expect(result.connector!.test).toBeUndefined()
    expect(result.connector!.fields).toBeUndefined()
    expect(result.notes).toEqual(['test request left out: credential in the test request'])
  })
})

describe('what cannot be expressed', () => {
  it('names the placeholder or construct in a stable reason', () => {
    const skip = (headers: string) =>
      convertYaml(`
auth_mode: API_KEY
proxy: { base_url: 'https://api.acme.test', headers: ${headers} }
`).skipped?.reason
    expect(skip(`{ x-api-key: '\${apiKey}', x-date: '\${now:YYYY-MM-DD}' }`)).toBe('unsupported placeholder ${now:…}')
    expect(skip(`{ x-sig: '\${hmac(\${apiKey})}' }`)).toBe('unsupported placeholder ${hmac(…)}')
    expect(skip(`{ 'x-\${connectionConfig.kind}-key': '\${apiKey}' }`)).toBe(
      'interpolation the format cannot express: ${connectionConfig.x} inside a header name',
    )
    expect(convertYaml('auth_mode: CARRIER_PIGEON').skipped).toEqual({ reason: 'auth mode not imported', detail: 'CARRIER_PIGEON' })
    expect(convertYaml('auth_mode: TBA').skipped?.reason).toBe(
      'NetSuite token-based auth signs with HMAC-SHA256, which the oauth1 type does not offer',
    )
  })

  it('enters by hand a value Nango fills in after connecting, and says so', () => {
    const result = convertYaml(`
auth_mode: OAUTH2
authorization_url: https://acme.test/authorize
token_url: https://acme.test/token
proxy: { base_url: '\${connectionConfig.api_url}' }
connection_config: { api_url: { type: string, title: API URL, format: uri, automated: true } }
`)
    expect(result.connector!.fields).toEqual([{ key: 'api_url', label: 'API URL', type: 'url', required: true }])
    expect(result.notes).toEqual(['a value Nango fills in after connecting is entered by the person instead'])
  })
})

describe('aliases', () => {
  it("lays the alias's own keys over its target's, like Nango", () => {
    const entries = importNangoCatalogue(
      parse(`
acme:
  display_name: Acme
  categories: [crm]
  auth_mode: BASIC
  proxy: { base_url: 'https://api.acme.test' }
acme-eu:
  alias: acme
  display_name: Acme EU
  proxy: { base_url: 'https://eu.acme.test' }
acme-lost:
  alias: nowhere
  display_name: Lost
`) as Record<string, unknown>,
    )
    expect(entries.map((e) => [e.name, e.authMode, e.alias, e.validation?.valid])).toEqual([
      ['acme', 'BASIC', undefined, true],
      ['acme-eu', 'BASIC', 'acme', true],
      ['acme-lost', 'unknown', 'nowhere', undefined],
    ])
    expect(entries[1]!.result.connector).toMatchObject({
      id: 'acme-eu',
      name: 'Acme EU',
      categories: ['crm'],
      baseUrl: 'https://eu.acme.test',
    })
    expect(entries[2]!.result.skipped?.reason).toBe('alias of a provider that does not exist')
  })
})
