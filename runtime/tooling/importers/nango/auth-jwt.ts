import type { Field, JwtAuth, OAuth2Auth } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { tokenPaths, tokenPlacement } from './auth-oauth2.ts'
import { pointerOf } from './auth-session.ts'
import { type Conversion, Unsupported } from './conversion.ts'
import type { ProxyParts } from './proxy.ts'

const KEY = { what: 'the signing key', credentials: true }
const CLAIM = { what: 'a claim', credentials: true }
const ALGORITHMS = new Set(['RS256', 'ES256', 'HS256'])
const RESERVED = new Set(['iat', 'exp', 'nbf', 'jti'])
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const HTTP_URL = /^https?:\/\/\S+$/

/**
 * Nango's JWT mode, and TWO_STEP entries that sign a token (`token:`) for a jwt-bearer grant: the
 * header's `alg` and `kid`, the payload as claims, `expires_in_ms` as the lifetime, the signing key a
 * secret field. With a `token_url` whose `token_params` carry `${token}` as the assertion, the token is
 * exchanged there (RFC 7523); otherwise it is the bearer token itself, placed where `proxy.headers` put
 * `${accessToken}`.
 *
 * @example
 * jwtAuth(conversion, proxy).algorithm // 'ES256'
 */
export function jwtAuth(conv: Conversion, proxy: ProxyParts): JwtAuth {
  const p = conv.provider
  const token = isObject(p.token) ? p.token : undefined
  if (!token) throw new Unsupported('JWT entry without a token definition')
  const header = isObject(token.header) ? token.header : {}
  const algorithm = String(header.alg)
  if (!ALGORITHMS.has(algorithm)) throw new Unsupported('JWT algorithm the jwt type does not offer', algorithm)
  const key = signingKey(conv, token.signing_key)
  const keyId = typeof header.kid === 'string' ? conv.template(header.kid, CLAIM) : undefined
  const method: JwtAuth = {
    type: 'jwt',
    id: 'jwt',
    label: 'Signed JWT',
    algorithm: algorithm as JwtAuth['algorithm'],
    key,
    ...(keyId !== undefined ? { keyId } : {}),
    claims: claimsOf(conv, token.payload),
  }
  if (typeof token.expires_in_ms === 'number') method.lifetime = lifetimeOf(conv, token.expires_in_ms / 1000)
  if (conv.mode === 'TWO_STEP') method.exchange = bearerGrant(conv)
  const placement = tokenPlacement(proxy.token)
  if (placement) method.placement = placement
  method.fields = fieldsOf(conv)
  return reorder(method)
}

/**
 * Nango's APP mode (GitHub Apps): a JWT signed with the app's private key, `iss` the app id, exchanged
 * for an installation token at the templated `token_url`. Nango keeps the app id and key in the
 * integration; here each connection enters them.
 *
 * @example
 * appAuth(conversion, proxy).exchange
 * // { via: 'request', method: 'POST', url: 'https://api.github.com/app/installations/{{installation_id}}/access_tokens', … }
 */
export function appAuth(conv: Conversion, proxy: ProxyParts): JwtAuth {
  const p = conv.provider
  if (typeof p.token_url !== 'string') throw new Unsupported('no token URL')
  const url = conv.template(p.token_url.trim(), { what: 'a token request URL' })
  if (!HTTP_URL.test(url)) throw new Unsupported('token URL that is not an http(s) URL')
  const placement = tokenPlacement(proxy.token)
  const fields: Field[] = [
    { key: 'appId', label: 'App ID', type: 'text', required: true },
    { key: 'privateKey', label: 'Private key', type: 'secret', required: true, multiline: true },
  ]
  return {
    type: 'jwt',
    id: 'app',
    label: 'GitHub App',
    fields,
    algorithm: 'RS256',
    key: '{{privateKey}}',
    claims: { iss: '{{appId}}' },
    lifetime: 540,
    backdate: 60,
    exchange: { via: 'request', method: 'POST', url, token: '/token', expiresAt: '/expires_at' },
    ...(placement ? { placement } : {}),
  }
}

/** The signing key: exactly one credential, which becomes a secret, multiline field. */
function signingKey(conv: Conversion, raw: unknown): string {
  if (typeof raw !== 'string') throw new Unsupported('JWT without a signing key')
  if (/\$\{credentials\.\w+\.\w+\}/.test(raw)) throw new Unsupported('signing key taken from part of a credential (an id:secret pair)')
  if (!/^\s*\$\{(credentials\.\w+|apiKey|password)\}\s*$/.test(raw)) throw new Unsupported('signing key built from several values')
  const key = conv.template(raw.trim(), KEY)
  for (const field of conv.authFields.values())
    if (key === `{{${field.key}}}`) {
      field.type = 'secret'
      field.multiline = true
      delete field.pattern
      delete field.placeholder
    }
  return key
}

function claimsOf(conv: Conversion, payload: unknown): JwtAuth['claims'] {
  const claims: JwtAuth['claims'] = {}
  for (const [name, value] of Object.entries(isObject(payload) ? payload : {})) {
    if (RESERVED.has(name)) continue
    let text = value
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') {
      conv.notes.add('a claim Nango sends as a list of one is sent as a string')
      text = value[0]
    }
    if (typeof text !== 'string') throw new Unsupported('claim that is not a string', name)
    claims[name] = conv.template(text, CLAIM)
  }
  return claims
}

function lifetimeOf(conv: Conversion, seconds: number): number {
  const clamped = Math.min(86_400, Math.max(120, Math.round(seconds)))
  if (clamped !== Math.round(seconds)) conv.notes.add('token lifetime brought within 2 minutes to a day')
  return clamped
}

/** TWO_STEP's `token_url` with `grant_type` jwt-bearer and `assertion: ${token}`: the RFC 7523 grant. */
function bearerGrant(conv: Conversion): NonNullable<JwtAuth['exchange']> {
  const p = conv.provider
  if (typeof p.token_url !== 'string') throw new Unsupported('no token URL')
  const params = isObject(p.token_params) ? p.token_params : {}
  if (params.grant_type !== JWT_BEARER || params.assertion !== '${token}') {
    throw new Unsupported('signed token sent some other way than as a jwt-bearer assertion')
  }
  if (p.body_format !== undefined && p.body_format !== 'form') throw new Unsupported('token request sent as JSON')
  const tokenUrl = conv.template(p.token_url.trim(), { what: 'a token URL' })
  if (!HTTP_URL.test(tokenUrl)) throw new Unsupported('token URL that is not an http(s) URL')
  const extra: Record<string, string> = {}
  for (const [name, value] of Object.entries(params)) {
    if (name === 'grant_type' || name === 'assertion') continue
    extra[name] = conv.template(String(value), { what: 'a token parameter', credentials: true })
    for (const field of conv.authFields.values())
      if (field.type === 'secret' && extra[name]!.includes(`{{${field.key}}}`))
        throw new Unsupported('secret in the jwt-bearer request, where the jwt type sends plain parameters only', name)
  }
  const response = isObject(p.token_response) ? p.token_response : {}
  const tokenResponse: Record<string, string> = {}
  if (typeof response.token === 'string' && response.token !== 'access_token') tokenResponse.accessToken = pointerOf(response.token)
  return {
    via: 'tokenUrl',
    tokenUrl,
    ...(Object.keys(extra).length > 0 ? { params: extra } : {}),
    ...(Object.keys(tokenResponse).length > 0 ? { tokenResponse } : {}),
  }
}

function fieldsOf(conv: Conversion): Field[] {
  return [...conv.authFields.values()]
}

/** Writes the method's keys in the order the schema documents them. */
function reorder(method: JwtAuth): JwtAuth {
  const { type, id, label, fields, ...rest } = method
  return { type, id, ...(label ? { label } : {}), ...(fields && fields.length > 0 ? { fields } : {}), ...rest } as JwtAuth
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/**
 * TWO_STEP entries that sign a client assertion (`assertion:` with `client_assertion: ${credentials.assertion}`)
 * for a client-credentials request: OAuth2 with `private_key_jwt` (RFC 7523 §2.2). The runtime's assertion
 * says `iss` and `sub` the client id, `aud` the token URL and a random `jti`, so the entry's payload may
 * say no more than that.
 *
 * @example
 * clientAssertionAuth(conversion, proxy).clientAssertion
 * // { algorithm: 'ES256', key: '{{privateKey}}', keyId: '{{keyId}}', lifetime: 600 }
 */
export function clientAssertionAuth(conv: Conversion, proxy: ProxyParts): OAuth2Auth {
  const p = conv.provider
  const assertion = isObject(p.assertion) ? p.assertion : {}
  if (assertion.type !== 'jwt') throw new Unsupported('client assertion that is not a JWT (a SAML assertion)', String(assertion.type))
  const header = isObject(assertion.header) ? assertion.header : {}
  const algorithm = String(header.alg)
  if (algorithm !== 'RS256' && algorithm !== 'ES256')
    throw new Unsupported('client assertion signed with an algorithm private_key_jwt does not offer', algorithm)
  const params = isObject(p.token_params) ? p.token_params : {}
  if (params.grant_type !== 'client_credentials') throw new Unsupported('client assertion for a grant other than client credentials')
  if (params.client_assertion_type !== ASSERTION_TYPE)
    throw new Unsupported('client assertion of another type', String(params.client_assertion_type))
  if (p.body_format !== undefined && p.body_format !== 'form') throw new Unsupported('token request sent as JSON')
  if (typeof p.token_url !== 'string') throw new Unsupported('no token URL')
  const tokenUrl = conv.template(p.token_url.trim(), { what: 'a token URL' })
  if (!HTTP_URL.test(tokenUrl)) throw new Unsupported('token URL that is not an http(s) URL')
  const payload = isObject(assertion.payload) ? assertion.payload : {}
  for (const [name, value] of Object.entries(payload)) {
    const standard =
      name === 'iss' || name === 'sub'
        ? value === '${credentials.clientId}'
        : name === 'aud'
          ? conv.template(String(value), { what: 'a claim' }) === tokenUrl
          : name === 'jti'
    if (!standard) throw new Unsupported('client assertion with claims besides the client id, the token URL and a jti', name)
  }
  const clientId = conv.credentialField('clientId')
  if (!clientId) throw new Unsupported('client assertion without a client id')
  clientId.key = 'clientId'
  const keyInput = isObject(p.assertion_option) && isObject(p.assertion_option.privateKey) ? p.assertion_option.privateKey : {}
  const keyField: Field = {
    key: 'privateKey',
    label: typeof keyInput.title === 'string' && keyInput.title.trim() !== '' ? keyInput.title.trim().slice(0, 120) : 'Private key',
    ...(typeof keyInput.description === 'string' && keyInput.description.trim() !== ''
      ? { help: keyInput.description.trim().slice(0, 1000) }
      : {}),
    type: 'secret',
    required: true,
    multiline: true,
  }
  const keyId = typeof header.kid === 'string' ? conv.template(header.kid, { what: 'a key id', credentials: true }) : undefined
  const tokenParams: Record<string, string> = {}
  for (const [name, value] of Object.entries(params)) {
    if (['grant_type', 'client_id', 'client_assertion_type', 'client_assertion'].includes(name)) continue
    tokenParams[name] = conv.template(String(value), { what: 'a token parameter' })
  }
  const requested = typeof assertion.lifetimeInSeconds === 'number' ? assertion.lifetimeInSeconds : 300
  const lifetime = Math.min(600, Math.max(30, Math.round(requested)))
  if (lifetime !== requested) conv.notes.add('client assertion lifetime brought within 30 seconds to 10 minutes')
  const placement = tokenPlacement(proxy.token)
  const response = tokenPaths(p.token_response)
  return {
    type: 'oauth2',
    id: 'oauth2',
    label: 'OAuth2 client credentials (private key JWT)',
    fields: [...conv.authFields.values(), keyField],
    grant: 'client_credentials',
    tokenUrl,
    ...(Object.keys(tokenParams).length > 0 ? { tokenParams } : {}),
    clientAuth: 'private_key_jwt',
    clientAssertion: { algorithm, key: '{{privateKey}}', ...(keyId ? { keyId } : {}), lifetime },
    ...(placement ? { placement } : {}),
    ...(response ? { tokenResponse: response } : {}),
  }
}
