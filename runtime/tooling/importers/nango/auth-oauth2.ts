import type { OAuth2Auth, OAuth2TokenResponse, TokenPlacement } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { type Conversion, Unsupported } from './conversion.ts'
import type { ProxyParts } from './proxy.ts'

const URL_PLACE = { what: 'an OAuth2 URL' }
const BASE_URL = /^(https?:\/\/[^\s]+|\{\{\s*[A-Za-z][A-Za-z0-9_]*\s*\}\}[^\s]*)$/
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/
const SEPARATORS: Record<string, ' ' | ',' | '+'> = { ' ': ' ', '%20': ' ', ',': ',', '+': '+' }
/** Token-request headers every client sends anyway. */
const STANDARD_TOKEN_HEADERS: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }

/**
 * Nango's OAUTH2 (authorization code) and OAUTH2_CC (client credentials) modes. Nango authenticates the
 * client in the request body unless `authorization_method: header` or `token_request_auth_method:
 * basic` say otherwise, so `clientAuth` is always written out (our default is the header).
 *
 * @example
 * oauth2Auth(conversion, 'client_credentials').grant // 'client_credentials'
 */
export function oauth2Auth(conv: Conversion, grant: OAuth2Auth['grant'], proxy?: Pick<ProxyParts, 'token' | 'query'>): OAuth2Auth {
  const p = conv.provider
  refuseUnsupported(conv)
  if (typeof p.token_url !== 'string') throw new Unsupported('no token URL')
  if (grant === 'authorization_code' && typeof p.authorization_url !== 'string') throw new Unsupported('no authorization URL')
  const label = grant === 'client_credentials' ? 'OAuth2 client credentials' : 'OAuth2'
  const fields = grant === 'client_credentials' ? clientFields(conv) : undefined
  const method: OAuth2Auth = {
    type: 'oauth2',
    id: 'oauth2',
    label,
    ...(fields ? { fields } : {}),
    grant,
    ...(typeof p.authorization_url === 'string' && grant === 'authorization_code' ? { authorizeUrl: url(conv, p.authorization_url) } : {}),
    tokenUrl: url(conv, p.token_url),
  }
  if (typeof p.refresh_url === 'string') method.refreshUrl = url(conv, p.refresh_url)
  Object.assign(method, scopes(p.default_scopes, p.scope_separator))
  if (grant === 'authorization_code') {
    if (p.disable_pkce === true) method.pkce = false
    const authorizeParams = params(conv, p.authorization_params, 'an authorize parameter', { response_type: 'code' })
    if (authorizeParams) method.authorizeParams = authorizeParams
  }
  const tokenParams = params(conv, p.token_params, 'a token parameter', { grant_type: grant })
  if (tokenParams) method.tokenParams = tokenParams
  const refreshParams = refreshOnly(conv)
  if (refreshParams) method.refreshParams = refreshParams
  method.clientAuth =
    p.authorization_method === 'header' || p.token_request_auth_method === 'basic' ? 'client_secret_basic' : 'client_secret_post'
  if (p.body_format === 'json') method.tokenBody = 'json'
  const placement = tokenPlacement(proxy?.token ?? [])
  if (placement) method.placement = placement
  if (proxy && Object.keys(proxy.query).length > 0) method.query = proxy.query
  const tokenResponse = tokenPaths(p.token_response)
  if (tokenResponse) method.tokenResponse = tokenResponse
  return method
}

/**
 * Where the token goes when it is not `Authorization: Bearer …`: one `<prefix>${accessToken}` header
 * (Shopify's `X-Shopify-Access-Token`, Zoho's `Zoho-oauthtoken ` prefix) or query parameter.
 *
 * @example
 * tokenPlacement([{ in: 'header', name: 'x-shopify-access-token', prefix: '' }])
 * // { in: 'header', name: 'x-shopify-access-token', prefix: '' }
 */
export function tokenPlacement(token: ProxyParts['token']): TokenPlacement | undefined {
  if (token.length > 1) throw new Unsupported('access token in more than one header or parameter', token.map((t) => t.name).join(', '))
  const [only] = token
  if (!only || (only.in === 'header' && only.name.toLowerCase() === 'authorization' && only.prefix === 'Bearer ')) return undefined
  return { in: only.in, name: only.name, prefix: only.prefix }
}

/** `refresh_params` that differ from what every token request carries: sent only when refreshing. */
function refreshOnly(conv: Conversion): Record<string, string> | undefined {
  const p = conv.provider
  const token = isObject(p.token_params) ? p.token_params : {}
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(isObject(p.refresh_params) ? p.refresh_params : {})) {
    if (name === 'grant_type') {
      if (value !== 'refresh_token') throw new Unsupported('refresh request with another grant_type', String(value))
      continue
    }
    if (token[name] === value) continue
    out[name] = conv.template(String(value), { what: 'a refresh parameter' })
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/**
 * Nango asks for the client id and secret on every client-credentials connection (each customer has
 * their own), so they are the method's fields.
 */
function clientFields(conv: Conversion): OAuth2Auth['fields'] {
  const fields = ['client_id', 'client_secret'].map((name) => conv.credentialField(name)).filter((f) => f !== undefined)
  return fields.length > 0 ? fields : undefined
}

/** Provider options that change the protocol in ways our OAuth2 method has no words for. */
function refuseUnsupported(conv: Conversion): void {
  const p = conv.provider
  if (p.body_format === 'query') throw new Unsupported('token request parameters in the query string')
  if (p.require_client_certificate === true || conv.credentials.has('client_certificate')) {
    throw new Unsupported('OAuth2 token request over mutual TLS: one auth method cannot be both oauth2 and mtls')
  }
  if (conv.credentials.has('client_private_key')) {
    throw new Unsupported('private_key_jwt with the client key as a JWK, where clientAssertion takes a PEM key')
  }
  if (p.token_request_auth_method !== undefined && p.token_request_auth_method !== 'basic') {
    throw new Unsupported('client authentication the format cannot express', String(p.token_request_auth_method))
  }
  const standard: Record<string, string> = {
    ...STANDARD_TOKEN_HEADERS,
    ...(p.body_format === 'json' ? { 'content-type': 'application/json' } : {}),
  }
  for (const [name, value] of Object.entries(isObject(p.token_headers) ? p.token_headers : {})) {
    if (standard[name.toLowerCase()] !== String(value).toLowerCase()) throw new Unsupported('extra headers on the token request', name)
  }
  if (p.authorization_url_replacements !== undefined) throw new Unsupported('authorize request renames standard parameters')
  if (p.authorization_url_fragment !== undefined) throw new Unsupported('authorize URL with a fragment')
  if (p.authorization_code_param_in_callback !== undefined) throw new Unsupported('authorization code under another callback parameter')
}

function url(conv: Conversion, text: string): string {
  const template = conv.template(text.trim(), URL_PLACE)
  if (!BASE_URL.test(template)) throw new Unsupported('OAuth2 URL that is not an http(s) URL')
  return template
}

/** Nango gives default scopes without descriptions: each is declared as a scope with none. */
function scopes(defaults: unknown, separator: unknown): Pick<OAuth2Auth, 'scopes' | 'defaultScopes' | 'scopeSeparator'> {
  const out: Pick<OAuth2Auth, 'scopes' | 'defaultScopes' | 'scopeSeparator'> = {}
  if (separator !== undefined) {
    const mapped = typeof separator === 'string' ? SEPARATORS[separator] : undefined
    if (!mapped) throw new Unsupported('scope separator the format cannot express', JSON.stringify(separator))
    if (mapped !== ' ') out.scopeSeparator = mapped
  }
  const values = [...new Set((Array.isArray(defaults) ? defaults : []).map(String))]
  for (const scope of values) {
    if (scope.includes('${')) throw new Unsupported('scope with a placeholder')
    if (!SCOPE.test(scope)) throw new Unsupported('scope the format cannot express', scope)
  }
  if (values.length > 0) {
    out.scopes = values.map((value) => ({ value }))
    out.defaultScopes = values
  }
  return out
}

/** Extra parameters, without the ones every request of the grant carries anyway. */
function params(conv: Conversion, map: unknown, what: string, standard: Record<string, string>): Record<string, string> | undefined {
  if (!isObject(map)) return undefined
  const out: Record<string, string> = {}
  for (const [name, raw] of Object.entries(map)) {
    const value = String(raw)
    if (name in standard) {
      if (value === standard[name]) continue
      if (name === 'grant_type') throw new Unsupported('token request with another grant_type', value)
    }
    out[name] = conv.template(value, { what })
    for (const field of conv.fields.values())
      if (field.type === 'secret' && out[name]!.includes(`{{${field.key}}}`)) throw new Unsupported(`secret value in ${what}`, name)
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** `token_response` (dotted paths into the token response) as JSON pointers, where they differ from RFC 6749's. */
export function tokenPaths(map: unknown): OAuth2TokenResponse | undefined {
  if (!isObject(map)) return undefined
  const pointer = (path: unknown, standard: string) => {
    if (typeof path !== 'string' || path === '' || path === standard) return undefined
    return (
      '/' +
      path
        .split('.')
        .map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/')
    )
  }
  const out: OAuth2TokenResponse = {}
  const access = pointer(map.token, 'access_token')
  const refresh = pointer(map.refresh_token, 'refresh_token')
  const expires = map.token_expiration_strategy === 'expireIn' ? pointer(map.token_expiration, 'expires_in') : undefined
  if (access) out.accessToken = access
  if (refresh) out.refreshToken = refresh
  if (expires) out.expiresIn = expires
  return Object.keys(out).length > 0 ? out : undefined
}
