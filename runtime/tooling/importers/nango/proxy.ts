import type { ApiKeyPlacement } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { type Conversion, Unsupported } from './conversion.ts'
import { parseInterpolation, splitAlternatives } from './interpolation.ts'

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/
const BASE_URL = /^(https?:\/\/[^\s]+|\{\{\s*[A-Za-z][A-Za-z0-9_]*\s*\}\}[^\s]*)$/

/** What Nango's `proxy` section becomes: the base URL, static headers, and credential placements. */
export interface ProxyParts {
  baseUrl: string
  headers: Record<string, string>
  /** Headers and query parameters that carry the API key (API_KEY mode only). */
  placements: ApiKeyPlacement[]
  /** Username and password templates of an `Authorization: Basic ${base64(user:password)}` header (BASIC mode). */
  basic?: { username: string; password: string }
  /** Where the token goes: `<prefix>${accessToken}` headers and query parameters, for the modes that obtain a token. */
  token: Array<{ in: 'header' | 'query'; name: string; prefix: string }>
  /** Query parameters on every request that carry no credential (OAuth2 modes). */
  query: Record<string, string>
  /** The arguments of an `Authorization: ${awsSigV4(key id, secret, region, service[, host])}` header (BASIC mode). */
  aws?: { accessKeyId: string; secretAccessKey: string; region: string; service: string }
}

/** The modes whose requests carry a token the runtime obtains (`${accessToken}`). */
const TOKEN_MODES = new Set(['OAUTH2', 'OAUTH2_CC', 'MCP_OAUTH2', 'TWO_STEP', 'JWT', 'APP'])
/** The modes whose auth method can carry credentials in headers and parameters besides its own. */
const PLACEMENT_MODES = new Set(['API_KEY', 'TWO_STEP'])
const TOKEN_VALUE = /^([^$]*)\$\{accessToken\}$/

/**
 * Converts `proxy.base_url`, `proxy.headers` and `proxy.query`. Headers that carry a credential become
 * API-key placements; `Authorization: Bearer ${accessToken}` is dropped because OAuth2 methods send
 * it anyway. Our format has no query parameters on every request, so `proxy.query` only fits API-key
 * methods, as placements.
 *
 * @example
 * convertProxy(conversion).baseUrl // 'https://{{subdomain}}.example.com'
 */
export function convertProxy(conv: Conversion): ProxyParts {
  const proxy = isObject(conv.provider.proxy) ? conv.provider.proxy : {}
  if (typeof proxy.base_url !== 'string' || proxy.base_url.trim() === '') throw new Unsupported('no base URL')
  const baseUrl = conv.template(proxy.base_url.trim(), { what: 'the base URL' }).replace(/\/+$/, '')
  if (!BASE_URL.test(baseUrl)) throw new Unsupported('base URL that is not an http(s) URL')
  if (proxy.body !== undefined) {
    const credential = /\$\{(apiKey|credentials\.|username|password)/.test(JSON.stringify(proxy.body))
    throw new Unsupported(credential ? 'credential in the request body' : 'values added to every request body')
  }
  const headers: Record<string, string> = {}
  const placements: ApiKeyPlacement[] = []
  const token: ProxyParts['token'] = []
  const query: Record<string, string> = {}
  const tokens = TOKEN_MODES.has(conv.mode)
  // A session's placements may also carry values of the login answer (`${credentials.raw.accountID}`).
  const login = conv.mode === 'TWO_STEP' ? { loginValues: true } : {}
  let basic: ProxyParts['basic']
  let aws: ProxyParts['aws']
  const proxyHeaders = isObject(proxy.headers) ? proxy.headers : {}
  const signed = Object.entries(proxyHeaders).find(([name, v]) => name.toLowerCase() === 'authorization' && AWS.test(String(v).trim()))
  for (const [name, raw] of Object.entries(proxyHeaders)) {
    const value = String(raw)
    if (signed && conv.mode === 'BASIC') {
      // The signer writes Authorization and X-Amz-Date itself.
      if (name === signed[0]) aws = awsArguments(conv, String(raw))
      if (name === signed[0] || name.toLowerCase() === 'x-amz-date') continue
    }
    if (name.includes('${')) throw new Unsupported('interpolation the format cannot express: ${connectionConfig.x} inside a header name')
    if (!HEADER_NAME.test(name)) throw new Unsupported('header name the format cannot express', name)
    const prefix = tokens ? TOKEN_VALUE.exec(value.trim())?.[1] : undefined
    if (prefix !== undefined && !prefix.includes('${')) {
      token.push({ in: 'header', name, prefix })
      continue
    }
    const pair = conv.mode === 'BASIC' && name.toLowerCase() === 'authorization' ? basicPair(value) : undefined
    if (pair) {
      const place = { what: 'the auth method', credentials: true }
      basic = { username: conv.template(pair[0], place), password: conv.template(pair[1], place) }
    } else if (PLACEMENT_MODES.has(conv.mode) && carriesCredential(value)) {
      placements.push({ in: 'header', name, value: conv.template(value, { what: 'an API key header', credentials: true, ...login }) })
    } else {
      headers[name] = conv.template(value, { what: 'an extra header' })
    }
  }
  for (const [name, raw] of Object.entries(isObject(proxy.query) ? proxy.query : {})) {
    const value = String(raw)
    if (tokens && value.trim() === '${accessToken}') token.push({ in: 'query', name, prefix: '' })
    else if (PLACEMENT_MODES.has(conv.mode) || (conv.mode === 'BASIC' && carriesCredential(value)))
      placements.push({ in: 'query', name, value: conv.template(value, { what: 'an API key parameter', credentials: true, ...login }) })
    else if (tokens && !carriesCredential(value)) query[name] = conv.template(value, { what: 'a query parameter on every request' })
    else throw new Unsupported(`query parameter on every request, which ${conv.mode} methods cannot send`, name)
  }
  return { baseUrl, headers, placements, token, query, ...(basic ? { basic } : {}), ...(aws ? { aws } : {}) }
}

const AWS = /^\$\{awsSigV4\((.*)\)\}$/

/** `${awsSigV4(${credentials.username}, ${credentials.password}, us-east-1, iam)}`: templates for the awsSigV4 method. */
function awsArguments(conv: Conversion, value: string): NonNullable<ProxyParts['aws']> {
  const inner = AWS.exec(value.trim())![1]!
  const args: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < inner.length; i++) {
    if (inner.startsWith('${', i)) depth++
    else if (inner[i] === '}' && depth > 0) depth--
    else if (inner[i] === ',' && depth === 0) {
      args.push(inner.slice(start, i).trim())
      start = i + 1
    }
  }
  args.push(inner.slice(start).trim())
  const [accessKeyId, secretAccessKey, region, service] = args
  if (!accessKeyId || !secretAccessKey || !region || !service)
    throw new Unsupported('AWS signature without key, secret, region and service')
  if (!/^[a-z0-9-]{1,64}$/.test(service))
    throw new Unsupported('AWS service chosen per connection, where awsSigV4 signs for one service', service)
  const place = { what: 'the auth method', credentials: true }
  return {
    accessKeyId: conv.template(accessKeyId, place),
    secretAccessKey: conv.template(secretAccessKey, place),
    region: conv.template(region, { what: 'the AWS region' }),
    service,
  }
}

/**
 * `Basic ${base64(A:B)}` is HTTP Basic with username A and password B (Zendesk's `{{email}}/token`):
 * the two sides of the one `:` outside placeholders.
 */
export function basicPair(value: string): [string, string] | undefined {
  const inner = /^Basic \$\{base64\((.*)\)\}$/.exec(value.trim())?.[1]
  if (!inner) return undefined
  const colons: number[] = []
  let depth = 0
  for (let i = 0; i < inner.length; i++) {
    if (inner.startsWith('${', i)) depth++
    else if (inner[i] === '}' && depth > 0) depth--
    else if (inner[i] === ':' && depth === 0) colons.push(i)
  }
  const [at] = colons
  return colons.length === 1 && at !== undefined ? [inner.slice(0, at), inner.slice(at + 1)] : undefined
}

/**
 * Whether a Nango string refers to a credential in any of its alternatives.
 *
 * @example
 * carriesCredential('Token ${apiKey}') // true
 */
export function carriesCredential(value: string): boolean {
  return splitAlternatives(value).some((alt) => parseInterpolation(alt).some((s) => typeof s !== 'string' && s.kind === 'credential'))
}
