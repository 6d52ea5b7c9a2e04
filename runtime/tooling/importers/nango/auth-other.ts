import type { NoAuth, OAuth1Auth } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { type Conversion, Unsupported } from './conversion.ts'
import type { NangoProvider } from './types.ts'

const URL_PLACE = { what: 'an OAuth 1.0a URL' }
const HTTP_URL = /^https?:\/\/\S+$/

/**
 * Why a provider of a mode the importer has no converter for cannot become a connector: a reason per
 * mode that says what the format would need.
 *
 * @example
 * notImported({ auth_mode: 'BILL' }).reason // 'BILL login: the developer key and organisation are Nango integration settings …'
 */
export function notImported(provider: NangoProvider): Unsupported {
  const mode = String(provider.auth_mode)
  const signature = isObject(provider.signature) ? String(provider.signature.protocol) : undefined
  switch (mode) {
    case 'MCP_OAUTH2_GENERIC':
      return new Unsupported('MCP server whose authorization server is discovered at connection time', mode)
    case 'AWS_SIGV4':
      return new Unsupported('AWS credentials obtained by assuming the customer’s IAM role through STS, not entered', mode)
    case 'SIGNATURE':
      return new Unsupported(`${signature ?? 'signature'} signing (a SHA-1 password digest with a nonce), not an HMAC of the request`, mode)
    case 'BILL':
      return new Unsupported('BILL login: the developer key and organisation are integration settings the entry does not declare', mode)
    case 'TBA':
      return new Unsupported('NetSuite token-based auth signs with HMAC-SHA256, which the oauth1 type does not offer', mode)
    case 'CUSTOM':
      return new Unsupported('CUSTOM: two token URLs in one method (a GitHub App with user sign-in)', mode)
    case 'INSTALL_PLUGIN':
      return new Unsupported('INSTALL_PLUGIN: credentials handed over by a plugin installation', mode)
    default:
      return new Unsupported('auth mode not imported', mode)
  }
}

/** Nango's NONE: a public API. */
export function noAuth(): NoAuth {
  return { type: 'none', id: 'none', label: 'No authentication' }
}

/**
 * Nango's OAUTH1: the three-legged flow (request token, authorize, access token). Nango keeps the
 * consumer key and secret in the integration; here each connection enters them, as the built-in X
 * connector does.
 *
 * @example
 * oauth1Auth(conversion).requestTokenUrl // 'https://trello.com/1/OAuthGetRequestToken'
 */
export function oauth1Auth(conv: Conversion): OAuth1Auth {
  const p = conv.provider
  const method = p.signature_method ?? 'HMAC-SHA1'
  if (method !== 'HMAC-SHA1') throw new Unsupported('OAuth 1.0a signature method the oauth1 type does not offer', String(method))
  const urls = [p.request_url, p.authorization_url, p.token_url].map((u) => {
    if (typeof u !== 'string') throw new Unsupported('OAuth 1.0a flow without all three URLs')
    const url = conv.template(u.trim(), URL_PLACE)
    if (!HTTP_URL.test(url)) throw new Unsupported('OAuth 1.0a URL that is not an http(s) URL')
    return url
  })
  if (isObject(p.request_params) && Object.keys(p.request_params).length > 0) {
    conv.notes.add('request-token parameters left out: the oauth1 type sends none')
  }
  const authorizeParams: Record<string, string> = {}
  for (const [name, value] of Object.entries(isObject(p.authorization_params) ? p.authorization_params : {})) {
    authorizeParams[name] = conv.template(String(value), { what: 'an authorize parameter' })
  }
  return {
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
    requestTokenUrl: urls[0]!,
    authorizeUrl: urls[1]!,
    accessTokenUrl: urls[2]!,
    ...(Object.keys(authorizeParams).length > 0 ? { authorizeParams } : {}),
  }
}
