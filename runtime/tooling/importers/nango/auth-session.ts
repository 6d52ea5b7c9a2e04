import type { SessionAuth, SessionExpiry, SessionPlacement } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { type Conversion, Unsupported } from './conversion.ts'
import { basicPair, type ProxyParts } from './proxy.ts'
import type { NangoProvider } from './types.ts'

const LOGIN = { what: 'the login', credentials: true }
const HTTP_URL = /^https?:\/\/\S+$/
const CONTENT_TYPES: Record<string, string> = { json: 'application/json', form: 'application/x-www-form-urlencoded' }

/**
 * Nango's TWO_STEP mode as a session: `token_url` is the login (its `token_params` the body, JSON unless
 * `body_format: form`; `token_headers` its headers, a `Basic ${base64(a:b)}` one as HTTP Basic), the token
 * is captured at `token_response.token`, its expiry from `token_response` or `token_expires_in_ms`, and
 * every request carries it where `proxy.headers` put `${accessToken}` (else `Authorization: Bearer`),
 * beside the credentials the proxy headers name. A login on another host is declared in `allowedHosts`.
 *
 * @example
 * sessionAuth(conversion, proxy).placements // [{ in: 'header', name: 'Authorization', value: 'Bearer {{session.token}}' }]
 */
export function sessionAuth(conv: Conversion, proxy: ProxyParts, p: NangoProvider = conv.provider): SessionAuth {
  if (p.additional_steps !== undefined) throw new Unsupported('login in several requests, each using the answer of the one before')
  if (p.assertion !== undefined) throw new Unsupported('login with a client assertion the runtime would sign (assertion)')
  // Nango sends JSON unless told otherwise; a form content type in the headers tells it too.
  const contentType = Object.entries(isObject(p.token_headers) ? p.token_headers : {}).find(
    ([n]) => n.toLowerCase() === 'content-type',
  )?.[1]
  const format = typeof p.body_format === 'string' ? p.body_format : contentType === CONTENT_TYPES.form ? 'form' : 'json'
  if (format !== 'json' && format !== 'form') throw new Unsupported('login body the session type cannot send', format)
  const method = typeof p.token_request_method === 'string' ? p.token_request_method.toUpperCase() : 'POST'
  if (method !== 'POST' && method !== 'GET' && method !== 'PUT') throw new Unsupported('login method the session type cannot send', method)
  if (typeof p.token_url !== 'string') throw new Unsupported('no login URL (token_url)')

  const url = conv.template(p.token_url.trim(), LOGIN)
  if (!HTTP_URL.test(url)) throw new Unsupported('login URL that is not an http(s) URL')
  for (const field of conv.authFields.values())
    if (field.type === 'secret' && url.includes(`{{${field.key}}}`)) throw new Unsupported('secret credential in the login URL', field.key)
  loginOrigin(conv, url, proxy.baseUrl)

  const login: SessionAuth['login'] = { ...(method !== 'POST' ? { method } : {}), url }
  const headers: Record<string, string> = {}
  for (const [name, raw] of Object.entries(isObject(p.token_headers) ? p.token_headers : {})) {
    const value = String(raw)
    if (name.toLowerCase() === 'content-type' && value.toLowerCase() === CONTENT_TYPES[format]) continue
    const pair = name.toLowerCase() === 'authorization' ? basicPair(value) : undefined
    if (pair) login.basic = { username: conv.template(pair[0], LOGIN), password: conv.template(pair[1], LOGIN) }
    else headers[name] = conv.template(value, { what: 'a login header', credentials: true })
  }
  if (Object.keys(headers).length > 0) login.headers = headers
  const params = isObject(p.token_params) ? p.token_params : undefined
  if (params && Object.keys(params).length > 0) {
    if (method === 'GET') throw new Unsupported('login parameters sent with GET')
    login.body = templated(conv, params)
    if (format === 'form') login.bodyType = 'form'
  }

  const response = isObject(p.token_response) ? p.token_response : {}
  if (typeof response.token !== 'string') throw new Unsupported('login answer without a token path')
  if (response.token === '') throw new Unsupported('the login answer is the token itself, not a JSON value')
  const expiry = expiryOf(response, p.token_expires_in_ms)
  if (p.refresh_url !== undefined || response.refresh_token !== undefined) {
    conv.notes.add('refresh token not used: the session logs in again when it ends')
  }
  if (p.token_response_metadata !== undefined) conv.notes.add('values of the login answer besides the token left out')
  const placements: SessionPlacement[] = proxy.token.map((t) => ({ in: t.in, name: t.name, value: `${t.prefix}{{session.token}}` }))
  if (placements.length === 0) placements.push({ in: 'header', name: 'Authorization', value: 'Bearer {{session.token}}' })
  placements.push(...proxy.placements)
  const fields = [...conv.authFields.values()]
  return {
    type: 'session',
    id: 'login',
    label: 'Login',
    ...(fields.length > 0 ? { fields } : {}),
    login,
    capture: {
      token: { from: 'body', pointer: pointerOf(response.token) },
      ...Object.fromEntries([...conv.loginValues].map(([name, pointer]) => [name, { from: 'body' as const, pointer }])),
    },
    ...(expiry ? { expiry } : {}),
    placements: placements as SessionAuth['placements'],
  }
}

/** The dotted paths of Nango's `token_response` as a JSON pointer. */
export function pointerOf(path: string): string {
  return `/${path
    .split('.')
    .map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`
}

function expiryOf(response: Record<string, unknown>, fixedMs: unknown): SessionExpiry | undefined {
  const expiry: SessionExpiry = {}
  if (typeof response.token_expiration === 'string' && response.token_expiration !== '') {
    const strategy = response.token_expiration_strategy
    if (strategy === 'expireIn') Object.assign(expiry, { pointer: pointerOf(response.token_expiration), format: 'seconds' })
    else if (strategy === 'expireAt') Object.assign(expiry, { pointer: pointerOf(response.token_expiration), format: 'iso8601' })
  }
  if (typeof fixedMs === 'number' && fixedMs > 0) expiry.lifetimeSeconds = Math.min(31_536_000, Math.max(10, Math.round(fixedMs / 1000)))
  return Object.keys(expiry).length > 0 ? expiry : undefined
}

/**
 * The login goes to the API's own origin, or to one host the connector then names in `allowedHosts`
 * (the password is sent nowhere else). A login host that each connection names apart from the API's
 * cannot be declared beforehand.
 */
function loginOrigin(conv: Conversion, login: string, base: string): void {
  const loginOrigin = originOf(login)
  const baseOrigin = originOf(base)
  if (!loginOrigin || loginOrigin === baseOrigin) return
  for (const origin of choices(conv, loginOrigin)) {
    const url = URL.canParse(origin) ? new URL(origin) : undefined
    if (url?.protocol !== 'https:') throw new Unsupported('login over plain http on another host than the API')
    conv.allowedHosts.add(url.port ? `https://${url.host}` : url.hostname)
  }
}

/**
 * The origins a templated login origin can be: one placeholder over a select field gives one per option
 * (Perimeter81's two regions); a host typed in by each connection cannot be declared beforehand.
 */
function choices(conv: Conversion, origin: string): string[] {
  const keys = [...origin.matchAll(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1]!)
  if (keys.length === 0) return [origin]
  const field = [...conv.fields.values()].find((f) => f.key === keys[0])
  if (keys.length > 1 || !field?.options) throw new Unsupported('login on another host than the API, named by each connection')
  return field.options.map((o) => origin.replace(/\{\{[^}]*\}\}/, o.value))
}

function originOf(url: string): string | undefined {
  return /^(https?:\/\/[^/?#]+)/.exec(url)?.[1]?.toLowerCase()
}

function templated(conv: Conversion, value: unknown): unknown {
  if (typeof value === 'string') return conv.template(value, LOGIN)
  if (Array.isArray(value)) return value.map((item) => templated(conv, item))
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, templated(conv, v)]))
  return value
}

/**
 * OAUTH2_CC entries whose token request uses a grant of the provider's own (Zoom's
 * `account_credentials`, SAP Ariba's `openapi_2lo`, a `password` grant): the token request is a login
 * like any other, so it becomes a session whose login posts the same form, with the client
 * authenticated in HTTP Basic or in the body as Nango does it.
 *
 * @example
 * grantLoginAuth(conversion, proxy).login.body // { grant_type: 'account_credentials', account_id: '{{accountId}}' }
 */
export function grantLoginAuth(conv: Conversion, proxy: ProxyParts): SessionAuth {
  const p = conv.provider
  const basic = p.authorization_method === 'header' || p.token_request_auth_method === 'basic'
  if (p.token_request_auth_method !== undefined && p.token_request_auth_method !== 'basic') {
    throw new Unsupported('client authentication the format cannot express', String(p.token_request_auth_method))
  }
  const client = basic ? {} : { client_id: '${credentials.client_id}', client_secret: '${credentials.client_secret}' }
  const headers = isObject(p.token_headers) ? p.token_headers : {}
  const response = isObject(p.token_response)
    ? p.token_response
    : { token: 'access_token', token_expiration: 'expires_in', token_expiration_strategy: 'expireIn' }
  conv.notes.add('token request with a grant of its own sent as a session login')
  return sessionAuth(conv, proxy, {
    ...p,
    body_format: p.body_format ?? 'form',
    token_params: { ...(isObject(p.token_params) ? p.token_params : {}), ...client },
    token_headers: {
      ...headers,
      ...(basic ? { authorization: 'Basic ${base64(${credentials.client_id}:${credentials.client_secret})}' } : {}),
    },
    token_response: response,
  })
}
