import { describe, expect, it } from 'vitest'
import { convertYaml } from './helpers.ts'

// Every snippet here is made up for the mode it tests; each asserts the whole connector produced, and
// convertYaml checks that it passes the validator.

describe('TWO_STEP as a session login', () => {
  it('posts the token parameters as JSON, captures the token and its expiry, and places it where the proxy says', () => {
    const result = convertYaml(`
display_name: Acme Login
auth_mode: TWO_STEP
token_url: https://\${connectionConfig.host}/api/login
token_params: { email: '\${credentials.email}', password: '\${credentials.password}', remember: true }
token_headers: { content-type: application/json, x-client: '\${credentials.clientKey}' }
token_response: { token: data.session.token, token_expiration: data.session.expiresIn, token_expiration_strategy: expireIn }
token_expires_in_ms: 3600000
proxy:
  base_url: https://\${connectionConfig.host}/api
  headers: { x-session: 'Session \${accessToken}', x-client: '\${credentials.clientKey}' }
connection_config: { host: { type: string, title: Host } }
credentials:
  email: { type: string, title: Email }
  password: { type: string, title: Password, secret: true }
  clientKey: { type: string, title: Client key }
`)
    expect(result).toEqual({
      connector: {
        id: 'acme',
        name: 'Acme Login',
        categories: ['other'],
        baseUrl: 'https://{{host}}/api',
        fields: [{ key: 'host', label: 'Host', type: 'text', required: true }],
        auth: [
          {
            type: 'session',
            id: 'login',
            label: 'Login',
            fields: [
              { key: 'clientKey', label: 'Client key', type: 'text', required: true },
              { key: 'email', label: 'Email', type: 'text', required: true },
              { key: 'password', label: 'Password', type: 'secret', required: true },
            ],
            login: {
              url: 'https://{{host}}/api/login',
              headers: { 'x-client': '{{clientKey}}' },
              body: { email: '{{email}}', password: '{{password}}', remember: true },
            },
            capture: { token: { from: 'body', pointer: '/data/session/token' } },
            expiry: { pointer: '/data/session/expiresIn', format: 'seconds', lifetimeSeconds: 3600 },
            placements: [
              { in: 'header', name: 'x-session', value: 'Session {{session.token}}' },
              { in: 'header', name: 'x-client', value: '{{clientKey}}' },
            ],
          },
        ],
      },
    })
  })

  it('sends a form with HTTP Basic, logs in on another host it declares, and defaults to a bearer token', () => {
    const { connector } = convertYaml(`
auth_mode: TWO_STEP
body_format: form
token_url: https://auth.acme.test/token
token_params: { grant_type: password, username: '\${credentials.username}', password: '\${credentials.password}' }
token_headers: { authorization: 'Basic \${base64(\${credentials.appId}:\${credentials.appSecret})}' }
token_response: { token: access_token, token_expiration: expires_at, token_expiration_strategy: expireAt }
proxy: { base_url: https://api.acme.test }
credentials:
  appId: { type: string, title: App id }
  appSecret: { type: string, title: App secret, secret: true }
  username: { type: string, title: Username }
  password: { type: string, title: Password, secret: true }
`)
    expect(connector!.allowedHosts).toEqual(['auth.acme.test'])
    expect(connector!.auth[0]).toMatchObject({
      login: {
        url: 'https://auth.acme.test/token',
        basic: { username: '{{appId}}', password: '{{appSecret}}' },
        bodyType: 'form',
        body: { grant_type: 'password', username: '{{username}}', password: '{{password}}' },
      },
      expiry: { pointer: '/expires_at', format: 'iso8601' },
      placements: [{ in: 'header', name: 'Authorization', value: 'Bearer {{session.token}}' }],
    })
  })

  it('sends a form when the login headers say so, though body_format is absent', () => {
    const { connector } = convertYaml(`
auth_mode: TWO_STEP
token_url: https://api.acme.test/login
token_params: { user: '\${credentials.username}' }
token_headers: { content-type: application/x-www-form-urlencoded }
token_response: { token: token }
proxy: { base_url: https://api.acme.test }
credentials: { username: { type: string, title: User } }
`)
    expect(connector!.auth[0]).toMatchObject({
      login: { url: 'https://api.acme.test/login', bodyType: 'form', body: { user: '{{username}}' } },
    })
    expect((connector!.auth[0] as { login: { headers?: unknown } }).login.headers).toBeUndefined()
  })

  it('captures a value of the login answer that requests carry besides the token', () => {
    const { connector } = convertYaml(`
auth_mode: TWO_STEP
token_url: https://api.acme.test/login
token_params: { user: '\${credentials.email}', password: '\${credentials.password}' }
token_response: { token: authToken }
proxy: { base_url: https://api.acme.test, query: { token: '\${accessToken}', account: '\${credentials.raw.account.id}' } }
credentials: { email: { type: string, title: Email }, password: { type: string, title: Password, secret: true } }
`)
    expect(connector!.auth[0]).toMatchObject({
      capture: { token: { from: 'body', pointer: '/authToken' }, account_id: { from: 'body', pointer: '/account/id' } },
      placements: [
        { in: 'query', name: 'token', value: '{{session.token}}' },
        { in: 'query', name: 'account', value: '{{session.account_id}}' },
      ],
    })
  })

  it('skips what a session cannot do, with a specific reason', () => {
    const skip = (extra: string) =>
      convertYaml(`
auth_mode: TWO_STEP
proxy: { base_url: https://api.acme.test }
credentials: { username: { type: string }, password: { type: string, secret: true } }
${extra}
`).skipped
    expect(
      skip("token_url: 'https://api.acme.test/login?user=${credentials.username}&pw=${credentials.password}'\ntoken_request_method: GET"),
    ).toEqual({
      reason: 'secret credential in the login URL',
      detail: 'password',
    })
    expect(skip('token_url: https://api.acme.test/login\ntoken_response: { token: "" }')?.reason).toBe(
      'the login answer is the token itself, not a JSON value',
    )
    expect(skip('token_url: https://api.acme.test/login\nbody_format: xml\ntoken_response: { token: t }')).toEqual({
      reason: 'login body the session type cannot send',
      detail: 'xml',
    })
    expect(
      skip("token_url: 'https://${connectionConfig.idp}/login'\ntoken_response: { token: t }\nconnection_config: { idp: { type: string } }")
        ?.reason,
    ).toBe('login on another host than the API, named by each connection')
    expect(skip('token_url: https://api.acme.test/a\nadditional_steps: [{ token_url: https://api.acme.test/b }]')?.reason).toBe(
      'login in several requests, each using the answer of the one before',
    )
  })
})

describe('JWT', () => {
  it('signs the payload with the credential key and sends it where the proxy says', () => {
    const { connector } = convertYaml(`
auth_mode: JWT
token:
  signing_key: '\${credentials.privateKey}'
  expires_in_ms: 1200000
  header: { alg: ES256, kid: '\${credentials.keyId}', typ: JWT }
  payload: { iss: '\${credentials.issuer}', aud: acme-v1, iat: 0 }
proxy: { base_url: https://api.acme.test, headers: { authorization: 'Acme \${accessToken}' } }
credentials:
  keyId: { type: string, title: Key id }
  issuer: { type: string, title: Issuer }
  privateKey: { type: string, title: Private key, pattern: '^-----BEGIN', example: '-----BEGIN PRIVATE KEY-----' }
`)
    expect(connector!.auth).toEqual([
      {
        type: 'jwt',
        id: 'jwt',
        label: 'Signed JWT',
        fields: [
          { key: 'privateKey', label: 'Private key', type: 'secret', required: true, multiline: true },
          { key: 'keyId', label: 'Key id', type: 'text', required: true },
          { key: 'issuer', label: 'Issuer', type: 'text', required: true },
        ],
        algorithm: 'ES256',
        key: '{{privateKey}}',
        keyId: '{{keyId}}',
        claims: { iss: '{{issuer}}', aud: 'acme-v1' },
        lifetime: 1200,
        placement: { in: 'header', name: 'authorization', prefix: 'Acme ' },
      },
    ])
  })

  it('exchanges a TWO_STEP signed token at the token URL as a jwt-bearer assertion', () => {
    const { connector } = convertYaml(`
auth_mode: TWO_STEP
token:
  signing_key: '\${credentials.privateKey}'
  expires_in_ms: 3600000
  header: { alg: RS256 }
  payload: { iss: '\${credentials.email}', aud: https://auth.acme.test/token, scope: read }
token_url: https://auth.acme.test/token
token_params: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: '\${token}' }
token_response: { token: result.access_token }
proxy: { base_url: https://api.acme.test }
credentials:
  email: { type: string, title: Service account }
  privateKey: { type: string, title: Private key }
`)
    expect(connector!.auth[0]).toEqual({
      type: 'jwt',
      id: 'jwt',
      label: 'Signed JWT',
      fields: [
        { key: 'privateKey', label: 'Private key', type: 'secret', required: true, multiline: true },
        { key: 'email', label: 'Service account', type: 'text', required: true },
      ],
      algorithm: 'RS256',
      key: '{{privateKey}}',
      claims: { iss: '{{email}}', aud: 'https://auth.acme.test/token', scope: 'read' },
      lifetime: 3600,
      exchange: { via: 'tokenUrl', tokenUrl: 'https://auth.acme.test/token', tokenResponse: { accessToken: '/result/access_token' } },
    })
  })

  it('names what the jwt type cannot sign', () => {
    const skip = (token: string) =>
      convertYaml(`
auth_mode: JWT
token: ${token}
proxy: { base_url: https://api.acme.test }
credentials: { key: { type: string }, id: { type: string } }
`).skipped
    expect(skip("{ signing_key: '${credentials.key}', header: { alg: PS256 } }")).toEqual({
      reason: 'JWT algorithm the jwt type does not offer',
      detail: 'PS256',
    })
    expect(skip("{ signing_key: '${credentials.key.secret}', header: { alg: HS256 } }")?.reason).toBe(
      'signing key taken from part of a credential (an id:secret pair)',
    )
    expect(skip("{ signing_key: '${credentials.id}:${credentials.key}', header: { alg: HS256 } }")?.reason).toBe(
      'signing key built from several values',
    )
  })

  it('turns a TWO_STEP client assertion into OAuth2 private_key_jwt', () => {
    const { connector, notes } = convertYaml(`
auth_mode: TWO_STEP
body_format: form
token_url: https://auth.acme.test/token
token_params:
  grant_type: client_credentials
  client_id: '\${credentials.clientId}'
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
  client_assertion: '\${credentials.assertion}'
  scope: api.read
assertion:
  type: jwt
  key: '\${assertionOption.privateKey}'
  lifetimeInSeconds: 3600
  header: { alg: RS256, kid: '\${credentials.keyId}' }
  payload: { iss: '\${credentials.clientId}', sub: '\${credentials.clientId}', aud: https://auth.acme.test/token, jti: '\${random}' }
assertion_option: { privateKey: { type: string, title: Private key } }
proxy: { base_url: https://api.acme.test }
credentials:
  clientId: { type: string, title: Client id }
  keyId: { type: string, title: Key id }
  assertion: { type: string, automated: true }
`)
    expect(connector!.auth[0]).toEqual({
      type: 'oauth2',
      id: 'oauth2',
      label: 'OAuth2 client credentials (private key JWT)',
      fields: [
        { key: 'clientId', label: 'Client id', type: 'text', required: true },
        { key: 'keyId', label: 'Key id', type: 'text', required: true },
        { key: 'privateKey', label: 'Private key', type: 'secret', required: true, multiline: true },
      ],
      grant: 'client_credentials',
      tokenUrl: 'https://auth.acme.test/token',
      tokenParams: { scope: 'api.read' },
      clientAuth: 'private_key_jwt',
      clientAssertion: { algorithm: 'RS256', key: '{{privateKey}}', keyId: '{{keyId}}', lifetime: 600 },
    })
    expect(notes).toEqual(['client assertion lifetime brought within 30 seconds to 10 minutes'])
  })
})

describe('OAUTH1, APP, AWS, NONE and MCP_OAUTH2', () => {
  it('OAUTH1: the three-legged flow with the consumer entered per connection', () => {
    const { connector, notes } = convertYaml(`
auth_mode: OAUTH1
request_url: https://acme.test/oauth/request_token
authorization_url: https://acme.test/oauth/authorize
token_url: https://acme.test/oauth/access_token
signature_method: HMAC-SHA1
authorization_params: { expiration: never }
request_params: { access: write }
proxy: { base_url: https://api.acme.test }
`)
    expect(connector!.auth).toEqual([
      {
        type: 'oauth1',
        id: 'oauth1',
        label: 'OAuth 1.0a',
        fields: [
          { key: 'consumerKey', label: 'Consumer key', type: 'text', required: true },
          { key: 'consumerSecret', label: 'Consumer secret', type: 'secret', required: true },
        ],
        signatureMethod: 'HMAC-SHA1',
        consumerKey: '{{consumerKey}}',
        consumerSecret: '{{consumerSecret}}',
        requestTokenUrl: 'https://acme.test/oauth/request_token',
        authorizeUrl: 'https://acme.test/oauth/authorize',
        accessTokenUrl: 'https://acme.test/oauth/access_token',
        authorizeParams: { expiration: 'never' },
      },
    ])
    expect(notes).toEqual(['request-token parameters left out: the oauth1 type sends none'])
    expect(
      convertYaml(`
auth_mode: OAUTH1
request_url: https://acme.test/r
authorization_url: https://acme.test/a
token_url: https://acme.test/t
signature_method: PLAINTEXT
proxy: { base_url: https://api.acme.test }
`).skipped,
    ).toEqual({ reason: 'OAuth 1.0a signature method the oauth1 type does not offer', detail: 'PLAINTEXT' })
  })

  it('APP: a JWT over the app id exchanged for an installation token', () => {
    const { connector } = convertYaml(`
auth_mode: APP
token_url: https://api.acme.test/app/installations/\${connectionConfig.installation_id}/access_tokens
proxy: { base_url: https://api.acme.test }
connection_config: { installation_id: { type: string, title: Installation ID } }
`)
    expect(connector!.fields).toEqual([{ key: 'installation_id', label: 'Installation ID', type: 'text', required: true }])
    expect(connector!.auth).toEqual([
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
          url: 'https://api.acme.test/app/installations/{{installation_id}}/access_tokens',
          token: '/token',
          expiresAt: '/expires_at',
        },
      },
    ])
  })

  it('BASIC signed with ${awsSigV4(…)}: an awsSigV4 method, the helper and X-Amz-Date left to the signer', () => {
    const { connector } = convertYaml(`
auth_mode: BASIC
proxy:
  base_url: https://widgets.\${connectionConfig.region}.amazonaws.com
  headers:
    authorization: '\${awsSigV4(\${credentials.username}, \${credentials.password}, \${connectionConfig.region}, widgets)}'
    x-amz-date: '\${now:YYYYMMDDTHHmmss[Z]}'
    accept: application/json
credentials: { username: { type: string, title: Access key id }, password: { type: string, title: Secret access key } }
connection_config: { region: { type: string, title: Region } }
`)
    expect(connector).toEqual({
      id: 'acme',
      name: 'acme',
      categories: ['other'],
      baseUrl: 'https://widgets.{{region}}.amazonaws.com',
      fields: [{ key: 'region', label: 'Region', type: 'text', required: true }],
      auth: [
        {
          type: 'awsSigV4',
          id: 'accessKey',
          label: 'AWS access key',
          fields: [
            { key: 'username', label: 'Access key id', type: 'text', required: true },
            { key: 'password', label: 'Secret access key', type: 'secret', required: true },
          ],
          accessKeyId: '{{username}}',
          secretAccessKey: '{{password}}',
          region: '{{region}}',
          service: 'widgets',
        },
      ],
      headers: { accept: 'application/json' },
    })
  })

  it('BASIC whose credentials go in the query: an apiKey method with both as parameters', () => {
    const { connector, notes } = convertYaml(`
auth_mode: BASIC
proxy: { base_url: https://api.acme.test, query: { login: '\${credentials.username}', pw: '\${credentials.password}' } }
credentials: { username: { type: string, title: Login }, password: { type: string, title: Password, secret: true } }
`)
    expect(connector!.auth).toEqual([
      {
        type: 'apiKey',
        id: 'basic',
        label: 'Username and password',
        fields: [
          { key: 'username', label: 'Login', type: 'text', required: true },
          { key: 'password', label: 'Password', type: 'secret', required: true },
        ],
        placements: [
          { in: 'query', name: 'login', value: '{{username}}' },
          { in: 'query', name: 'pw', value: '{{password}}' },
        ],
      },
    ])
    expect(notes).toEqual(['username and password sent where the proxy puts them, not as HTTP Basic'])
  })

  it('NONE: no credentials', () => {
    expect(convertYaml('auth_mode: NONE\nproxy: { base_url: https://api.acme.test }').connector).toEqual({
      id: 'acme',
      name: 'acme',
      categories: ['other'],
      baseUrl: 'https://api.acme.test',
      auth: [{ type: 'none', id: 'none', label: 'No authentication' }],
    })
  })

  it('MCP_OAUTH2: OAuth2 with a registered client; a dynamically registered one says so', () => {
    const mcp = (registration: string) =>
      convertYaml(`
auth_mode: MCP_OAUTH2
client_registration: ${registration}
registration_url: https://mcp.acme.test/register
authorization_url: https://mcp.acme.test/authorize
token_url: https://mcp.acme.test/token
token_params: { grant_type: authorization_code }
refresh_params: { grant_type: refresh_token }
proxy: { base_url: https://mcp.acme.test, headers: { accept: 'application/json,text/event-stream' } }
`)
    expect(mcp('static').connector!.auth).toEqual([
      {
        type: 'oauth2',
        id: 'oauth2',
        label: 'OAuth2',
        grant: 'authorization_code',
        authorizeUrl: 'https://mcp.acme.test/authorize',
        tokenUrl: 'https://mcp.acme.test/token',
        clientAuth: 'client_secret_post',
      },
    ])
    expect(mcp('dynamic').notes).toEqual(['the OAuth2 client is registered once at the registration URL, not for each connection'])
    expect(mcp('cimd').skipped).toEqual({
      reason: 'MCP client identified by a metadata document URL, which OAuth2 methods cannot name',
      detail: 'cimd',
    })
  })

  it('OAUTH2_CC with a grant of its own: the token request becomes a session login', () => {
    const { connector, notes } = convertYaml(`
auth_mode: OAUTH2_CC
token_url: https://auth.acme.test/oauth/token
token_params: { grant_type: account_credentials, account_id: '\${connectionConfig.accountId}' }
token_request_auth_method: basic
proxy: { base_url: https://api.acme.test }
connection_config: { accountId: { type: string, title: Account ID } }
credentials:
  client_id: { type: string, title: Client ID }
  client_secret: { type: string, title: Client secret, secret: true }
`)
    expect(connector!.allowedHosts).toEqual(['auth.acme.test'])
    expect(connector!.auth[0]).toEqual({
      type: 'session',
      id: 'login',
      label: 'Login',
      fields: [
        { key: 'clientId', label: 'Client ID', type: 'text', required: true },
        { key: 'clientSecret', label: 'Client secret', type: 'secret', required: true },
      ],
      login: {
        url: 'https://auth.acme.test/oauth/token',
        basic: { username: '{{clientId}}', password: '{{clientSecret}}' },
        body: { grant_type: 'account_credentials', account_id: '{{accountId}}' },
        bodyType: 'form',
      },
      capture: { token: { from: 'body', pointer: '/access_token' } },
      expiry: { pointer: '/expires_in', format: 'seconds' },
      placements: [{ in: 'header', name: 'Authorization', value: 'Bearer {{session.token}}' }],
    })
    expect(notes).toEqual(['token request with a grant of its own sent as a session login'])
  })
})

describe('OAuth2 additions', () => {
  const oauth = (extra: string, proxy = '{ base_url: https://api.acme.test }') =>
    convertYaml(`
auth_mode: OAUTH2
authorization_url: https://acme.test/authorize
token_url: https://acme.test/token
proxy: ${proxy}
connection_config: { shop: { type: string, title: Shop } }
${extra}
`)

  it('sends JSON token requests, a custom token header or prefix, refresh-only and per-request query parameters', () => {
    expect(oauth('body_format: json\ntoken_headers: { content-type: application/json }').connector!.auth[0]).toMatchObject({
      tokenBody: 'json',
    })
    expect(oauth('', "{ base_url: https://api.acme.test, headers: { x-acme-token: '${accessToken}' } }").connector!.auth[0]).toMatchObject({
      placement: { in: 'header', name: 'x-acme-token', prefix: '' },
    })
    expect(
      oauth('', "{ base_url: https://api.acme.test, headers: { authorization: 'Acme-oauth ${accessToken}' } }").connector!.auth[0],
    ).toMatchObject({
      placement: { in: 'header', name: 'authorization', prefix: 'Acme-oauth ' },
    })
    const bearer = oauth('', "{ base_url: https://api.acme.test, headers: { authorization: 'Bearer ${accessToken}' } }").connector!
    expect(bearer.auth[0]).not.toHaveProperty('placement')
    expect(bearer.headers).toBeUndefined()
    expect(
      oauth('token_params: { type: web }\nrefresh_params: { grant_type: refresh_token, type: refresh, scope: a.b }').connector!.auth[0],
    ).toMatchObject({
      tokenParams: { type: 'web' },
      refreshParams: { type: 'refresh', scope: 'a.b' },
    })
    expect(oauth('', "{ base_url: https://api.acme.test, query: { shop: '${connectionConfig.shop}' } }").connector!.auth[0]).toMatchObject({
      query: { shop: '{{shop}}' },
    })
  })

  it('still skips what OAuth2 methods cannot send', () => {
    expect(oauth('', "{ base_url: https://api.acme.test, headers: { a: '${accessToken}', b: 'x ${accessToken}' } }").skipped).toEqual({
      reason: 'access token in more than one header or parameter',
      detail: 'a, b',
    })
    expect(oauth('refresh_params: { grant_type: other }').skipped).toEqual({
      reason: 'refresh request with another grant_type',
      detail: 'other',
    })
  })
})
