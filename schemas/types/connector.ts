// This file is generated from schemas/connector.schema.json by `npm run generate`. Do not edit it by hand.

/**
 * Stable identifier: lowercase letters, digits and dashes, starting with a letter.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "ConnectorId".
 */
export type ConnectorId = string
/**
 * An https image URL or a `data:image/…` URI (SVG or PNG), shown beside the name.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "Icon".
 */
export type Icon = string
/**
 * A catalogue category.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "Category".
 */
export type Category =
  | 'analytics'
  | 'communication'
  | 'crm'
  | 'developer-tools'
  | 'design'
  | 'documents'
  | 'e-commerce'
  | 'email'
  | 'finance'
  | 'hr'
  | 'marketing'
  | 'monitoring'
  | 'payments'
  | 'productivity'
  | 'project-management'
  | 'security'
  | 'storage'
  | 'support'
  | 'ticketing'
  | 'other'
/**
 * Where requests go: an http(s) URL, optionally templated over connection fields (`https://{{subdomain}}.zendesk.com`) or entirely one URL field for generic connectors (`{{baseUrl}}`).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "BaseUrl".
 */
export type BaseUrl = string
/**
 * A name used in templates: letters, digits and underscores, starting with a letter.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "Key".
 */
export type Key = string
/**
 * How a field is entered and shown. `secret` is write-only: never shown again after saving.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "FieldType".
 */
export type FieldType = 'text' | 'secret' | 'url' | 'select' | 'number' | 'boolean'
/**
 * One way to authenticate, chosen by `type`.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "AuthMethod".
 */
export type AuthMethod =
  | BasicAuth
  | ApiKeyAuth
  | BearerAuth
  | OAuth2Auth
  | SessionAuth
  | NoAuth
  | JwtAuth
  | AwsSigV4Auth
  | HmacAuth
  | OAuth1Auth
  | MtlsAuth
/**
 * Identifies the auth method within the connector; stored on connections.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "AuthMethodId".
 */
export type AuthMethodId = string
/**
 * The credentials this method asks for (typically `secret` fields).
 *
 * @maxItems 20
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "AuthFields".
 */
export type AuthFields = Field[]
/**
 * Text with `{{placeholders}}`: `{{field}}` for a connection field, `{{input.name}}` for an action input, `{{body.path}}` for the test response. Filters from a closed set transform a value: `{{key | after:"-"}}`, `lower`, `upper`, `trim`, `base64`, `base64url`, `urlencode`, `after:"x"`, `before:"x"`, `replace:"a":"b"`, `default:"x"`. `\{{` writes a literal `{{`. Replacement only, never code.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "Template".
 */
export type Template = string
/**
 * A JSON pointer (RFC 6901) into a JSON document; empty for the whole document.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "JsonPointer".
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "PageItems".
 */
export type JsonPointer = string
/**
 * A path appended to the base URL: starts with `/`, never another origin (`//`, `://`, `..`, `\`).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "RelativePath".
 */
export type RelativePath = string
/**
 * A JSON string, number, boolean or null.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "JsonScalar".
 */
export type JsonScalar = string | number | boolean | null
/**
 * How the signed token becomes the access token, chosen by `via`. Without it the signed token is the access token.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "JwtExchange".
 */
export type JwtExchange = JwtBearerGrant | JwtTokenRequest
/**
 * One part of the string to sign: `method` (upper case), `path` (as sent, percent-encoded), `pathWithQuery` (path, then `?query` when there is one: Coinbase's requestPath), `query` (the query string as sent, without the signature), `sortedQuery` (parameters sorted by name, then value, `name=value` joined by `&`), `body` (as sent; empty without one), `bodyHash` (hex digest of the body with the method's algorithm), `timestamp`, `nonce`.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "HmacPart".
 */
export type HmacPart =
  'method' | 'path' | 'pathWithQuery' | 'query' | 'sortedQuery' | 'body' | 'bodyHash' | 'timestamp' | 'nonce'
/**
 * The request method.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "HttpMethod".
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'
/**
 * How an action reads every page of a list: each page is sent like the first (credentials, masking, retries, rate limits), its items (at `items`) gathered into one array, which becomes the action's output. Stops at the last page, at `maxPages` or `maxItems`, and never follows a next link to another origin.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "Pagination".
 */
export type Pagination = LinkPagination | CursorPagination | OffsetPagination | PagePagination
/**
 * Pages read at most.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "MaxPages".
 */
export type MaxPages = number
/**
 * Items gathered at most; the rest of the last page is dropped.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "MaxItems".
 */
export type MaxItems = number
/**
 * An HTTP header name (RFC 9110 token).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "HeaderName".
 */
export type HeaderName = string

/**
 * A connector definition: how to authenticate against one third-party API, which fields a person fills in, how to test a connection and which actions can run through it.
 */
export interface Connector {
  /**
   * Where editors find this schema, for autocompletion. Ignored by the runtime.
   */
  $schema?: string
  id: ConnectorId
  /**
   * The tool's name as people know it.
   */
  name: string
  /**
   * One or two sentences on what the tool is.
   */
  description?: string
  icon?: Icon
  /**
   * Where the connector is listed in the catalogue.
   *
   * @maxItems 10
   */
  categories?: Category[]
  /**
   * The tool's API documentation (https).
   */
  docsUrl?: string
  baseUrl: BaseUrl
  /**
   * Origins a connection's base URL may move to without connecting again — data regions and self-hosted instances. A host name (a leading `*.` matches any subdomain) means https on the default port; write the scheme and port for anything else (`https://*.example.com:8443`, `http://legacy.example.com`). Any other change of scheme, host or port drops the stored credentials, and a move from https to http always does.
   */
  allowedHosts?: string[]
  /**
   * What a person enters for every connection whatever the auth method: subdomain, region, site. Credentials belong to the auth method's own fields.
   *
   * @maxItems 50
   */
  fields?: Field[]
  /**
   * One or more ways to authenticate. The person adding a connection picks one.
   *
   * @minItems 1
   * @maxItems 10
   */
  auth: [AuthMethod, ...AuthMethod[]]
  headers?: HeaderTemplates
  test?: TestRequest
  healthCheck?: HealthCheck
  rateLimits?: RateLimits
  /**
   * Named requests that workflows run through a connection.
   *
   * @maxItems 200
   */
  actions?: Action[]
}
/**
 * Something a person enters when connecting.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "Field".
 */
export interface Field {
  key: Key
  /**
   * The input's label.
   */
  label: string
  /**
   * Where to find the value, in a sentence or two.
   */
  help?: string
  type: FieldType
  /**
   * Whether a connection needs a value.
   */
  required?: boolean
  /**
   * The value used when none is entered. Not allowed on secret fields.
   */
  default?: string | number | boolean
  /**
   * A sample shown in the empty input.
   */
  placeholder?: string
  /**
   * A regular expression the whole value must match.
   */
  pattern?: string
  /**
   * The choices of a select field.
   *
   * @minItems 1
   * @maxItems 200
   */
  options?: [FieldOption, ...FieldOption[]]
  /**
   * The value spans lines, as a PEM private key does: entered in a text area, and kept with its line breaks. Line breaks never reach a request: such a field is for signing keys (`jwt`, `clientAssertion`).
   */
  multiline?: boolean
}
/**
 * One choice of a select field.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "FieldOption".
 */
export interface FieldOption {
  /**
   * What is stored and substituted.
   */
  value: string
  /**
   * What the person sees.
   */
  label: string
}
/**
 * HTTP Basic (RFC 7617): `Authorization: Basic base64(username:password)`, both templates over the fields.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "BasicAuth".
 */
export interface BasicAuth {
  type: 'basic'
  id: AuthMethodId
  /**
   * Shown when a person picks the method.
   */
  label?: string
  description?: string
  fields?: AuthFields
  username: Template
  password: Template
}
/**
 * One or more templated values placed into headers and/or query parameters. A placement whose optional field is empty is dropped.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "ApiKeyAuth".
 */
export interface ApiKeyAuth {
  type: 'apiKey'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
  /**
   * @minItems 1
   * @maxItems 10
   */
  placements: [ApiKeyPlacement, ...ApiKeyPlacement[]]
}
/**
 * Where one value goes: a header (any name, any prefix inside the template) or a query parameter.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "ApiKeyPlacement".
 */
export interface ApiKeyPlacement {
  /**
   * Header or query parameter.
   */
  in: 'header' | 'query'
  /**
   * Header or parameter name.
   */
  name: string
  value: Template
}
/**
 * `Authorization: Bearer <token>` (RFC 6750).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "BearerAuth".
 */
export interface BearerAuth {
  type: 'bearer'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
  token: Template
}
/**
 * OAuth 2.0 (RFC 6749): authorization-code grant with PKCE S256 by default (RFC 7636), or client-credentials grant.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "OAuth2Auth".
 */
export interface OAuth2Auth {
  type: 'oauth2'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
  /**
   * Which grant gets the token.
   */
  grant: 'authorization_code' | 'client_credentials'
  authorizeUrl?: BaseUrl
  tokenUrl: BaseUrl
  refreshUrl?: BaseUrl
  /**
   * Every scope the provider offers that a connection may ask for.
   *
   * @maxItems 500
   */
  scopes?: OAuth2Scope[]
  /**
   * Scopes every connection asks for; actions add the ones they need.
   */
  defaultScopes?: string[]
  /**
   * How scopes are joined in the authorize request.
   */
  scopeSeparator?: ' ' | ',' | '+'
  /**
   * The parameter that carries scopes (Slack's user scopes: `user_scope`).
   */
  scopeParam?: string
  /**
   * Send a PKCE S256 challenge. Turn off only for providers that reject it.
   */
  pkce?: boolean
  authorizeParams?: StringParams
  tokenParams?: StringParams
  /**
   * How the client authenticates at the token endpoint: its secret in HTTP Basic or in the body, or a JWT signed with its private key (RFC 7523 §2.2, set `clientAssertion`).
   */
  clientAuth?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt'
  clientAssertion?: ClientAssertion
  /**
   * How token requests are encoded: form-encoded as RFC 6749 says, or a JSON object for providers that want one.
   */
  tokenBody?: 'form' | 'json'
  /**
   * Parameters sent only when refreshing a token (after `tokenParams`), templates over the connection's fields.
   */
  refreshParams?: {
    [k: string]: Template | undefined
  }
  /**
   * Query parameters sent on every API request of the connection, templates over its fields (an API version, an application key).
   */
  query?: {
    [k: string]: Template | undefined
  }
  placement?: TokenPlacement
  tokenResponse?: OAuth2TokenResponse
  /**
   * The authorization server's issuer; the `iss` callback parameter must equal it when present (RFC 9207).
   */
  issuer?: string
}
/**
 * A scope the provider offers, with what it allows in plain words.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "OAuth2Scope".
 */
export interface OAuth2Scope {
  /**
   * The scope token (RFC 6749 §3.3).
   */
  value: string
  description?: string
}
/**
 * Extra parameters by name; values are templates over connection fields.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "StringParams".
 */
export interface StringParams {
  [k: string]: Template | undefined
}
/**
 * How the client's assertion is signed for `private_key_jwt` (RFC 7523 §2.2, §3): `iss` and `sub` the client id, `aud` the token URL, a random `jti`, and a short `exp`.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "ClientAssertion".
 */
export interface ClientAssertion {
  /**
   * How the assertion is signed (RFC 7518 §3).
   */
  algorithm: 'RS256' | 'ES256'
  /**
   * The client's PEM private key: a template over a secret field of the method.
   */
  key: string
  /**
   * The `kid` header, a template over the fields.
   */
  keyId?: string
  /**
   * Seconds from `iat` to `exp`.
   */
  lifetime?: number
}
/**
 * Where a token the runtime obtained goes on every request: a header, its value the prefix then the token, or a query parameter. Without it: `Authorization: Bearer <token>` (RFC 6750 §2.1).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "TokenPlacement".
 */
export interface TokenPlacement {
  /**
   * A header or a query parameter.
   */
  in: 'header' | 'query'
  /**
   * The header's or the parameter's name.
   */
  name: string
  /**
   * Text sent before the token, its space included (`Bearer `, `token `, `Zoho-oauthtoken `); empty for the bare token. Default: `Bearer ` in the `Authorization` header, nothing elsewhere.
   */
  prefix?: string
}
/**
 * Where values sit in the token response when they are not at the top level, as JSON pointers (Slack's user token: `/authed_user/access_token`).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "OAuth2TokenResponse".
 */
export interface OAuth2TokenResponse {
  accessToken?: JsonPointer
  refreshToken?: JsonPointer
  expiresIn?: JsonPointer
  scope?: JsonPointer
  /**
   * Values of the token response saved as the connection's values, by the key of a plain field they fill (an account id or a site to put in paths), when the connection is authorized. OAuth2 methods only.
   */
  values?: {
    [k: string]: JsonPointer | undefined
  }
  /**
   * A JSON pointer to a URL in the token response that becomes the connection's base URL when the connection is authorized (Salesforce's `/instance_url`). Only an https origin that the connector's `allowedHosts` admits is taken; any other refuses the authorization. OAuth2 methods only.
   */
  baseUrl?: string
}
/**
 * A session from a login call (two-step login): the runtime sends `login` with the connection's fields, takes what `capture` names from the answer (a token in the body, a header or a cookie; ids to put in paths), and sends `placements` on every request with `{{session.<name>}}`. It logs in again before `expiry` and once when the API answers 401, one login per credential at a time. Everything captured is a secret unless marked otherwise, and goes only to the connection's origin.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "SessionAuth".
 */
export interface SessionAuth {
  type: 'session'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
  login: SessionLogin
  /**
   * The values taken from the login answer, by the name templates use: `{{session.token}}`.
   */
  capture: {
    [k: string]: SessionCapture | undefined
  }
  expiry?: SessionExpiry
  /**
   * What every request carries: templates over the fields and `{{session.<name>}}`.
   *
   * @minItems 1
   * @maxItems 10
   */
  placements: [SessionPlacement, ...SessionPlacement[]]
  logout?: SessionLogout
  /**
   * The answers that mean the session ended, after which the runtime logs in again once and resends: 401 by default; some APIs answer 403 (qBittorrent), 419 (Laravel) or 440 (IIS).
   *
   * @minItems 1
   * @maxItems 5
   */
  renewOn?: [number, ...number[]]
}
/**
 * The login call: a path under the base URL (or an absolute URL on the connection's origin or a host `allowedHosts` admits), with a JSON or form body and headers templated over the fields, or HTTP Basic. Never follows redirects.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "SessionLogin".
 */
export interface SessionLogin {
  method?: 'POST' | 'GET' | 'PUT'
  path?: RelativePath
  url?: BaseUrl
  headers?: HeaderTemplates
  /**
   * How `body` is sent.
   */
  bodyType?: 'json' | 'form'
  /**
   * The login body; strings are templates over the fields.
   */
  body?: unknown
  basic?: SessionBasic
  /**
   * Statuses that mean the login worked (a capture that is missing still fails it).
   *
   * @minItems 1
   */
  successStatus?: [number, ...number[]]
  /**
   * Checks on a JSON login answer that must hold, for APIs that answer a wrong password with 200.
   *
   * @maxItems 10
   */
  bodyRules?: BodyRule[]
}
/**
 * Headers sent on every request, by name; values are templates.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "HeaderTemplates".
 */
export interface HeaderTemplates {
  [k: string]: Template | undefined
}
/**
 * HTTP Basic credentials (RFC 7617) for the login call, both templates over the fields.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "SessionBasic".
 */
export interface SessionBasic {
  username: Template
  password: Template
}
/**
 * One check on the JSON response body at a pointer: equals a value, does not equal it, is one of several, exists (a `null` counts as absent: Zendesk answers a wrong token with an anonymous user whose `id` is `null`), is not null, or matches a pattern (linear-time engine, whole value).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "BodyRule".
 */
export interface BodyRule {
  pointer: JsonPointer
  equals?: JsonScalar
  notEquals?: JsonScalar
  /**
   * The body's value there must equal one of these.
   *
   * @minItems 1
   * @maxItems 50
   */
  oneOf?: [JsonScalar, ...JsonScalar[]]
  /**
   * true: there must be a value there other than `null`; false: there must be none (or `null`).
   */
  exists?: boolean
  /**
   * There must be a value there other than `null` (the same as `exists: true`).
   */
  notNull?: true
  /**
   * A regular expression the value (a string, or a number as text) must match as a whole; runs on the linear-time engine, so no backreferences or lookaround.
   */
  matches?: string
}
/**
 * One value taken from the login answer: from the JSON body at a pointer, from a header, or from a cookie the answer sets. A missing required value fails the login.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "SessionCapture".
 */
export interface SessionCapture {
  from: 'body' | 'header' | 'cookie'
  pointer?: JsonPointer
  /**
   * The header's or the cookie's name.
   */
  name?: string
  /**
   * Masked everywhere and kept out of URLs. Turn off only for identifiers that grant nothing by themselves (a site or account id in paths).
   */
  secret?: boolean
  /**
   * Whether a login answer without it failed.
   */
  required?: boolean
}
/**
 * When a session ends: read from the login answer's JSON body (`pointer`) or a header, in the given format, or from a cookie's own `Max-Age`/`Expires` (`cookie`), and/or a fixed lifetime (used when the answer says nothing). Without any, a session lasts until the API answers 401.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "SessionExpiry".
 */
export interface SessionExpiry {
  pointer?: JsonPointer
  header?: string
  /**
   * The session cookie whose `Max-Age` (or else `Expires`, RFC 6265 §5.2) says when it ends.
   */
  cookie?: string
  /**
   * `seconds`/`milliseconds`: how long from now; `epoch…`: the moment it ends; `iso8601`: a date and time.
   */
  format?: 'seconds' | 'milliseconds' | 'epochSeconds' | 'epochMilliseconds' | 'iso8601'
  /**
   * How long a session lasts when the answer does not say.
   */
  lifetimeSeconds?: number
}
/**
 * Where a session value goes on every request: a header, a query parameter, or a cookie (cookies are joined into one `Cookie` header). The value is a template over the fields and `{{session.<name>}}`.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "SessionPlacement".
 */
export interface SessionPlacement {
  in: 'header' | 'query' | 'cookie'
  /**
   * Header, parameter or cookie name.
   */
  name: string
  value: Template
}
/**
 * Ends the session on the API when the connection is unauthorized (best effort): a path under the base URL, with the session's placements and these headers.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "SessionLogout".
 */
export interface SessionLogout {
  method?: 'POST' | 'GET' | 'DELETE' | 'PUT'
  path: RelativePath
  headers?: HeaderTemplates
}
/**
 * No credentials: a public API, or one reached only from inside a network. A connection is usable as soon as it is created; its requests carry the connector's static headers and nothing else.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "NoAuth".
 */
export interface NoAuth {
  type: 'none'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
}
/**
 * A JSON Web Token (RFC 7519) the runtime signs with the connection's key, its claims templates over the fields, and signs again before it expires: sent as the bearer token itself (App Store Connect), exchanged at a token URL with the jwt-bearer grant (RFC 7523: Google service accounts), or exchanged by a templated request whose answer holds the token (GitHub App installation tokens).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "JwtAuth".
 */
export interface JwtAuth {
  type: 'jwt'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
  /**
   * How the token is signed (RFC 7518 §3): RS256 and ES256 with a PEM private key, HS256 with a shared secret.
   */
  algorithm: 'RS256' | 'ES256' | 'HS256'
  /**
   * The signing key: a template over a secret field. For RS256/ES256 a PEM private key (PKCS#8, PKCS#1 or SEC1; `\n` written out as two characters is read as a line break, as in Google's JSON key files); for HS256 the shared secret.
   */
  key: string
  /**
   * The `kid` header, a template over the fields (App Store Connect's key id).
   */
  keyId?: string
  claims: JwtClaims
  /**
   * Seconds from `iat` to `exp`. Providers cap it: GitHub 600, App Store Connect 1200, Google 3600.
   */
  lifetime?: number
  /**
   * Seconds `iat` is set in the past against clock drift (GitHub recommends 60); `exp` stays `lifetime` after the signing time minus this.
   */
  backdate?: number
  /**
   * Give every token a random `jti`, for providers that refuse an assertion seen before.
   */
  jti?: boolean
  exchange?: JwtExchange
  placement?: TokenPlacement
}
/**
 * The token's claims (RFC 7519 §4) by name, each a template over the connection's fields: `iss`, `sub`, `aud`, `scope` and any custom claim. `iat` and `exp` are set from `lifetime`, `jti` by `jti`.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "JwtClaims".
 */
export interface JwtClaims {
  [k: string]: Template | undefined
}
/**
 * The signed token is posted to a token URL as an RFC 7523 §2.1 assertion (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>`), and the answer is an OAuth2 token response (Google service accounts).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "JwtBearerGrant".
 */
export interface JwtBearerGrant {
  via: 'tokenUrl'
  tokenUrl: BaseUrl
  params?: StringParams
  tokenResponse?: OAuth2TokenResponse
}
/**
 * The signed token is sent as `Authorization: Bearer <jwt>` in a templated request, and the access token is read from the JSON answer (a GitHub App's installation token).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "JwtTokenRequest".
 */
export interface JwtTokenRequest {
  via: 'request'
  /**
   * The request's method.
   */
  method?: 'POST' | 'GET'
  url: BaseUrl
  headers?: HeaderTemplates
  /**
   * A JSON body, a template over the connection's fields; sent with `Content-Type: application/json`.
   */
  body?: string
  token: JsonPointer
  expiresAt?: JsonPointer
  expiresIn?: JsonPointer
}
/**
 * AWS Signature Version 4: every request is signed as it is sent — method, path, sorted query, the `Host`, `Content-Type` and `X-Amz-*` headers, and the SHA-256 of the body — with the access key's secret, for one region and service. A session token (temporary credentials from STS or an assumed role) goes in `X-Amz-Security-Token`. Signed with the `aws4` library.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "AwsSigV4Auth".
 */
export interface AwsSigV4Auth {
  type: 'awsSigV4'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
  accessKeyId: Template
  secretAccessKey: Template
  sessionToken?: Template
  region: Template
  /**
   * The signing name of the service (`s3`, `sts`, `execute-api`, `es`).
   */
  service: string
}
/**
 * A request signed with an HMAC of parts of the request, said declaratively: which parts (joined by `separator`), the algorithm, how the key is encoded, how the signature is written, and where the signature, the timestamp and the nonce go. Coinbase Exchange signs `timestamp + method + requestPath + body` into headers; Binance signs the query (with its `timestamp`) and appends `signature` to it. Other values (the API key, a passphrase) go in `placements`. Parameters placed in the query are part of `query` and `sortedQuery`; the signature never is.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "HmacAuth".
 */
export interface HmacAuth {
  type: 'hmac'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
  key: Template
  /**
   * How the key is written: its UTF-8 bytes as they are (`raw`), or decoded from base64 or hex first (Coinbase Exchange's secret is base64).
   */
  keyEncoding?: 'raw' | 'base64' | 'hex'
  /**
   * The HMAC hash.
   */
  algorithm?: 'sha256' | 'sha384' | 'sha512'
  /**
   * The parts of the string to sign, in order.
   *
   * @minItems 1
   * @maxItems 12
   */
  sign: [HmacPart, ...HmacPart[]]
  /**
   * Written between two parts (`\n` for a newline).
   */
  separator?: string
  /**
   * A timestamp generated for each request; placed when `in` and `name` are given.
   */
  timestamp?: {
    /**
     * Seconds or milliseconds since the epoch.
     */
    unit: 's' | 'ms'
    in?: 'header' | 'query'
    name?: string
  }
  /**
   * A random value generated for each request (32 hex characters); placed when `in` and `name` are given.
   */
  nonce?: {
    in?: 'header' | 'query'
    name?: string
  }
  /**
   * Where the signature goes and how it is written. A query signature is appended after every other parameter.
   */
  signature: {
    in: 'header' | 'query'
    name: string
    encoding?: 'hex' | 'base64' | 'base64url'
    /**
     * Written before the signature (`HMAC `).
     */
    prefix?: string
  }
  /**
   * Other values sent with every request: the API key, a passphrase.
   *
   * @maxItems 10
   */
  placements?: ApiKeyPlacement[]
}
/**
 * OAuth 1.0a (RFC 5849): every request carries an `Authorization: OAuth …` header signed with HMAC-SHA1 (consumer secret and token secret) or RSA-SHA1 (a private key). With `requestTokenUrl`, `authorizeUrl` and `accessTokenUrl` a person connects through the three-legged flow (request token, authorize, access token) and the runtime keeps the token; with `token` and `tokenSecret` templates the tokens are entered (X's developer portal issues them); with neither, requests are signed with the consumer alone (two-legged).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "OAuth1Auth".
 */
export interface OAuth1Auth {
  type: 'oauth1'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
  signatureMethod?: 'HMAC-SHA1' | 'RSA-SHA1'
  consumerKey: Template
  consumerSecret?: Template
  privateKey?: Template
  token?: Template
  tokenSecret?: Template
  requestTokenUrl?: BaseUrl
  authorizeUrl?: BaseUrl
  accessTokenUrl?: BaseUrl
  authorizeParams?: StringParams
  /**
   * The `realm` of the Authorization header, when the provider wants one.
   */
  realm?: string
}
/**
 * Mutual TLS: the connection's client certificate and private key (PEM, line breaks may be left out), with the key's passphrase, are presented in the TLS handshakes of that connection's requests only — each credential gets a connection pool of its own. A private CA the server's certificate chains to may be given. `placements` add an API key where the API wants one besides the certificate.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "MtlsAuth".
 */
export interface MtlsAuth {
  type: 'mtls'
  id: AuthMethodId
  label?: string
  description?: string
  fields?: AuthFields
  certificate: Template
  privateKey: Template
  passphrase?: Template
  ca?: Template
  /**
   * @maxItems 10
   */
  placements?: ApiKeyPlacement[]
}
/**
 * How to check that a connection works: a request and the rules that mean success.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "TestRequest".
 */
export interface TestRequest {
  method?: HttpMethod
  path?: RelativePath
  url?: BaseUrl
  query?: QueryTemplates
  headers?: HeaderTemplates
  /**
   * A JSON body (strings are templates).
   */
  body?: unknown
  /**
   * Status codes that mean success.
   *
   * @minItems 1
   */
  successStatus?: [number, ...number[]]
  /**
   * Checks on the JSON body; all must hold.
   *
   * @maxItems 20
   */
  bodyRules?: BodyRule[]
  /**
   * Answers of a known shape and what they mean, checked in order before success; the first that fits is the result.
   *
   * @maxItems 20
   */
  diagnoses?: AnswerDiagnosis[]
  label?: Template
}
/**
 * Query parameters by name; values are templates (URL-encoded when sent). A parameter whose template renders empty is left out.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "QueryTemplates".
 */
export interface QueryTemplates {
  [k: string]: Template | undefined
}
/**
 * Plain words for an answer of a known shape, checked before success: a test whose answer has the given status, content type and body shape fails with this problem and message. Azure DevOps answers a wrong token with 203 and its HTML sign-in page: that means the credentials were rejected.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "AnswerDiagnosis".
 */
export interface AnswerDiagnosis {
  /**
   * Any of these statuses (all when absent).
   *
   * @minItems 1
   */
  status?: [number, ...number[]]
  /**
   * The answer's media type starts with this, case-insensitively (`text/html`).
   */
  contentType?: string
  /**
   * All of these hold on the JSON body.
   *
   * @minItems 1
   * @maxItems 10
   */
  bodyRules?: [BodyRule, ...BodyRule[]]
  /**
   * The kind of failure reported (`TestResult.problem`).
   */
  problem: 'credentials_rejected' | 'not_found' | 'unexpected_status' | 'body_rule_failed' | 'upstream_error'
  /**
   * What happened and what to do, in plain words.
   */
  message: string
}
/**
 * How often the runtime re-tests this connector's connections in the background (its test request, or a token refresh for OAuth2 when the token would expire before the next check). Without it, every few hours; an API with a tight rate limit may ask for fewer checks, one whose credentials expire quickly for more.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "HealthCheck".
 */
export interface HealthCheck {
  /**
   * Minutes between two checks of one connection (5 to 10,080, a week); each is spread by ±10 % so connections added together are not checked together.
   */
  intervalMinutes: number
}
/**
 * How fast and how many at once the API takes requests, so workflows never get the account refused or banned. Every request through a connection of this connector (actions, the proxy, retries included) waits for its turn, at most `maxWaitMs`, then is answered 429 `rate_limited` with `Retry-After`. Requests are spread evenly: `requests` per `intervalMs` lets one through every `intervalMs / requests` ms (a `burst` lets that many through at once after a quiet spell). Shared by every replica on PostgreSQL.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "RateLimits".
 */
export interface RateLimits {
  /**
   * Requests allowed per `intervalMs`.
   */
  requests?: number
  /**
   * The interval `requests` counts over, in milliseconds (default one second).
   */
  intervalMs?: number
  /**
   * Requests let through at once after a quiet spell (default 1: evenly spaced). Any one interval then sees at most `requests + burst - 1`.
   */
  burst?: number
  /**
   * Requests in flight at once, responses still streaming included.
   */
  concurrency?: number
  /**
   * `connection`: each connection's credential has its own budget (on a personal connection, each person's). `account`: connections naming the same account (`account`) share one, as the API counts per account.
   */
  scope?: 'connection' | 'account'
  account?: Template
  /**
   * The longest a request waits for its turn before it is answered 429 `rate_limited`.
   */
  maxWaitMs?: number
}
/**
 * A named request a workflow runs through a connection, templated over its inputs and the connection's fields.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "Action".
 */
export interface Action {
  key: Key
  name: string
  description?: string
  method: HttpMethod
  path: RelativePath
  query?: QueryTemplates
  headers?: HeaderTemplates
  /**
   * A JSON body: strings are templates; a string that is exactly one `{{input.x}}` placeholder takes the input's value with its type.
   */
  body?: unknown
  /**
   * How the body is encoded.
   */
  bodyType?: 'json' | 'form'
  input?: ActionInput
  output?: JsonPointer
  /**
   * OAuth scopes the action needs.
   */
  scopes?: string[]
  pagination?: Pagination
}
/**
 * The inputs of an action: an object schema whose properties are `{{input.name}}` in templates.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "ActionInput".
 */
export interface ActionInput {
  type: 'object'
  properties?: {
    [k: string]: InputProperty | undefined
  }
  required?: string[]
  additionalProperties?: boolean
}
/**
 * One action input, in a subset of JSON Schema the designer renders as a form.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "InputProperty".
 */
export interface InputProperty {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object'
  title?: string
  description?: string
  /**
   * @minItems 1
   */
  enum?: [string | number | number | boolean, ...(string | number | number | boolean)[]]
  default?: unknown
  examples?: unknown[]
  format?: 'email' | 'uri' | 'date' | 'date-time' | 'multiline'
  minLength?: number
  maxLength?: number
  pattern?: string
  minimum?: number
  maximum?: number
  minItems?: number
  maxItems?: number
  items?: InputProperty
  properties?: {
    [k: string]: InputProperty | undefined
  }
  required?: string[]
  additionalProperties?: boolean
}
/**
 * The next page is the response's `Link` header `rel="next"` (RFC 8288), followed only on the same origin.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "LinkPagination".
 */
export interface LinkPagination {
  type: 'link'
  items: JsonPointer
  maxPages?: MaxPages
  maxItems?: MaxItems
}
/**
 * The next page is asked for with a cursor read from the body (`cursor`), sent as the query parameter `param` or at `field` in the JSON body. Ends when the cursor is missing or empty, or a page has no items.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "CursorPagination".
 */
export interface CursorPagination {
  type: 'cursor'
  items: JsonPointer
  maxPages?: MaxPages
  maxItems?: MaxItems
  cursor: JsonPointer
  /**
   * The query parameter the cursor goes in.
   */
  param?: string
  field?: JsonPointer
}
/**
 * Pages by item offset: `offsetParam` starts at 0 and grows by the items each page had. Ends at a page with fewer items than `limit` (or none).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "OffsetPagination".
 */
export interface OffsetPagination {
  type: 'offset'
  items: JsonPointer
  maxPages?: MaxPages
  maxItems?: MaxItems
  offsetParam?: string
  /**
   * The query parameter sent with `limit`, when the API takes one.
   */
  limitParam?: string
  /**
   * Items per page.
   */
  limit?: number
}
/**
 * Pages by number: `pageParam` starts at `start` and grows by one. Ends at a page with fewer items than `size` (or none).
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "PagePagination".
 */
export interface PagePagination {
  type: 'page'
  items: JsonPointer
  maxPages?: MaxPages
  maxItems?: MaxItems
  pageParam?: string
  /**
   * The first page's number.
   */
  start?: number
  /**
   * The query parameter sent with `size`, when the API takes one.
   */
  sizeParam?: string
  /**
   * Items per page.
   */
  size?: number
}
/**
 * Where a generated value (the signature, the timestamp, the nonce) goes: a header or a query parameter.
 *
 * This interface was referenced by `Connector`'s JSON-Schema
 * via the `definition` "HmacValuePlacement".
 */
export interface HmacValuePlacement {
  in: 'header' | 'query'
  name: string
}
