import { lookup, placeholders, type Resolve, renderTemplate, wholePlaceholder } from '../../../schemas/template/index.ts'
import type { Connector, Field } from '../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../errors.ts'
import { resolveRequestUrl } from '../../platform/http/index.ts'
import type { FieldValue } from '../../types.ts'
import { renderUrlTemplate, resolveBaseUrl } from './base-url.ts'

/** A request as a connector describes it (test request, action), before rendering. */
export interface RequestSpec {
  method?: string
  path?: string
  url?: string
  /** A URL as it is, no template (an API's next-page link): must be on the base URL's origin; `path`, `url` and `query` are then unused. */
  href?: URL
  query?: Record<string, string | undefined>
  headers?: Record<string, string | undefined>
  body?: unknown
  bodyType?: 'json' | 'form'
}

/** Everything needed to render a spec for one connection. */
export interface PrepareInput {
  connector: Connector
  fields: ReadonlyMap<string, Field>
  values: Readonly<Record<string, FieldValue>>
  baseUrl?: string | undefined
  spec: RequestSpec
  inputs?: Record<string, unknown> | undefined
}

/** A rendered request, before its auth method is applied. */
export interface PreparedRequest {
  method: string
  url: URL
  baseUrl: URL
  headers: Record<string, string>
  body?: string
}

/**
 * Renders a connector's request for a connection: base URL, path confined under it, query, static and
 * request headers, body. The auth method is applied afterwards, to the request as it will be sent.
 *
 * @example
 * const request = prepareRequest({ connector, fields, values, spec: connector.test! })
 */
export function prepareRequest(input: PrepareInput): PreparedRequest {
  const { connector, spec, values } = input
  const baseUrl = resolveBaseUrl(connector, values, input.baseUrl)
  // `{{input.…}}` is an action's input; `{{session.…}}` what a token type adds (a session's captured values).
  const resolve: Resolve = ([head, ...rest]) =>
    head === 'input' ? lookup(input.inputs ?? {}, rest) : rest.length > 0 ? lookup(values[head!], rest) : values[head!]
  const url =
    spec.href !== undefined
      ? sameOrigin(new URL(spec.href), baseUrl, 'A next-page link')
      : spec.url !== undefined
        ? absoluteUrl(spec.url, values, baseUrl)
        : pathUrl(spec.path ?? '/', resolve, baseUrl)

  for (const [name, template] of Object.entries(spec.href === undefined ? (spec.query ?? {}) : {})) {
    if (template === undefined) continue
    const value = renderTemplate(template, resolve)
    if (value !== '') url.searchParams.append(name, value)
  }
  const headers: Record<string, string> = {}
  for (const [name, template] of [...Object.entries(connector.headers ?? {}), ...Object.entries(spec.headers ?? {})]) {
    if (template === undefined) continue
    const value = renderTemplate(template, resolve)
    if (/[\r\n\u0000]/.test(value)) {
      throw new SwitchboardError(
        400,
        'invalid_header_value',
        `Header "${name}" would contain a line break. Remove line breaks from the values it is made from.`,
      )
    }
    if (value !== '') headers[name] = value
  }
  const method = (spec.method ?? 'GET').toUpperCase()
  const prepared: PreparedRequest = { method, url, baseUrl, headers }
  if (spec.body !== undefined && method !== 'GET' && method !== 'HEAD') {
    const body = renderBody(spec.body, resolve)
    if (spec.bodyType === 'form') {
      prepared.body = new URLSearchParams(formEntries(body)).toString()
      setDefaultHeader(headers, 'Content-Type', 'application/x-www-form-urlencoded')
    } else {
      prepared.body = JSON.stringify(body)
      setDefaultHeader(headers, 'Content-Type', 'application/json')
    }
  }
  return prepared
}

/** Values in a path are encoded segment by segment, so `../` in an input stays inside its segment. */
function pathUrl(path: string, resolve: Resolve, baseUrl: URL): URL {
  const rendered = renderTemplate(path, resolve, { encode: encodeURIComponent })
  return resolveRequestUrl(baseUrl, rendered)
}

/** An absolute test URL (generic connectors) must stay on the base URL's origin. */
function absoluteUrl(template: string, values: Readonly<Record<string, FieldValue>>, baseUrl: URL): URL {
  let url: URL
  try {
    url = new URL(renderUrlTemplate(template, values, 'test URL'))
  } catch (error) {
    if (error instanceof SwitchboardError) throw error
    throw new SwitchboardError(400, 'invalid_url', 'The test URL is not a valid URL.')
  }
  return sameOrigin(url, baseUrl, 'The test URL')
}

function sameOrigin(url: URL, baseUrl: URL, what: string): URL {
  if (url.origin !== baseUrl.origin || url.username || url.password) {
    throw new SwitchboardError(
      400,
      'other_origin',
      `${what} must be on the base URL's origin (${baseUrl.origin}): credentials are only sent there.`,
    )
  }
  return url
}

/**
 * Strings are templates; a string that is exactly one placeholder keeps the value's JSON type, and a
 * property whose placeholder has no value is left out (APIs treat `null` as "clear this").
 */
function renderBody(value: unknown, resolve: Resolve): unknown {
  if (typeof value === 'string') {
    const whole = wholePlaceholder(value)
    if (whole) return resolve(whole)
    return placeholders(value).length === 0 ? value : renderTemplate(value, resolve)
  }
  if (Array.isArray(value)) return value.map((item) => renderBody(item, resolve)).filter((item) => item !== undefined)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const rendered = renderBody(item, resolve)
      if (rendered !== undefined) out[key] = rendered
    }
    return out
  }
  return value
}

function formEntries(body: unknown): Array<[string, string]> {
  if (body === null || typeof body !== 'object') return []
  return Object.entries(body)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : String(value)])
}

function setDefaultHeader(headers: Record<string, string>, name: string, value: string): void {
  if (!Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase())) headers[name] = value
}
