import type { HttpMethod, TestRequest } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { type Conversion, Unsupported } from './conversion.ts'

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'])
const TEST = { what: 'the test request' }

/**
 * The connection test from `proxy.verification`: its first endpoint and method, its headers and body.
 * A query string in the endpoint moves to `query`. `base_url_override` (or an absolute endpoint) is
 * kept as `url` only on the base URL's own origin, because credentials are sent nowhere else.
 *
 * @example
 * convertTest(conversion, 'https://api.example.com') // { method: 'GET', path: '/me' }
 */
export function convertTest(conv: Conversion, baseUrl: string): TestRequest | undefined {
  const proxy = isObject(conv.provider.proxy) ? conv.provider.proxy : {}
  const verification = proxy.verification
  if (!isObject(verification)) return undefined
  const endpoints = Array.isArray(verification.endpoints) ? verification.endpoints : [verification.endpoint]
  const endpoint = endpoints.find((e): e is string => typeof e === 'string' && e.trim() !== '')
  if (!endpoint) return undefined
  const method = typeof verification.method === 'string' ? verification.method.toUpperCase() : 'GET'
  if (!METHODS.has(method)) throw new Unsupported('test request method the format cannot express', method)

  const [rawLocation = '', search] = splitOnce(endpoint.trim().replace(/#.*$/, ''), '?')
  const location = conv.template(rawLocation, TEST)
  const test: TestRequest = { method: method as HttpMethod }
  const override = typeof verification.base_url_override === 'string' ? conv.template(verification.base_url_override, TEST) : undefined
  if (/^https?:\/\//.test(location) || override !== undefined) {
    const url = /^https?:\/\//.test(location) ? location : override!.replace(/\/+$/, '') + withSlash(location)
    if (origin(url) === undefined || origin(url) !== origin(baseUrl)) throw new Unsupported('verification endpoint on another origin')
    test.url = url.replace(/ /g, '%20')
  } else {
    test.path = withSlash(location).replace(/ /g, '%20')
  }
  const query = search ? parseQuery(conv, search) : undefined
  if (query) test.query = query
  if (isObject(verification.headers) && Object.keys(verification.headers).length > 0) {
    test.headers = Object.fromEntries(Object.entries(verification.headers).map(([k, v]) => [k, conv.template(String(v), TEST)]))
  }
  if (verification.data !== undefined) test.body = templatedBody(conv, verification.data)
  return test
}

function withSlash(path: string): string {
  return path.startsWith('/') ? path : `/${path}`
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator)
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + 1)]
}

/** The origin of a URL; of a templated one, its text up to the path (`https://{{sub}}.example.com`). */
function origin(url: string): string | undefined {
  if (url.includes('{{')) return /^(https?:\/\/[^/?#]+)/.exec(url)?.[1]?.toLowerCase()
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** The query string's parameters, each value a template; decoded, since the runtime encodes them again. */
function parseQuery(conv: Conversion, search: string): Record<string, string> | undefined {
  const query: Record<string, string> = {}
  for (const pair of search.split('&')) {
    if (pair === '') continue
    const [name = '', value = ''] = splitOnce(pair, '=')
    if (name !== '') query[decode(name)] = conv.template(spaceGraphQl(decode(value)), TEST)
  }
  return Object.keys(query).length > 0 ? query : undefined
}

/**
 * Templates have no escape for a literal `{{` or `}}`, which GraphQL selections are full of; GraphQL
 * ignores whitespace, so a query (and only a query) is spaced out instead.
 */
function spaceGraphQl(text: string): string {
  if (!/^\s*(query|mutation)?\s*\{/.test(text)) return text
  let spaced = text
  while (/\{\{|\}\}/.test(spaced)) spaced = spaced.replace(/\{\{/g, '{ {').replace(/\}\}/g, '} }')
  return spaced
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

function templatedBody(conv: Conversion, value: unknown): unknown {
  if (typeof value === 'string') return conv.template(spaceGraphQl(value), TEST)
  if (Array.isArray(value)) return value.map((item) => templatedBody(conv, item))
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, templatedBody(conv, v)]))
  return value
}
