import { lookup, renderTemplate } from '../../../../schemas/template/index.ts'
import type { JwtBearerGrant, JwtTokenRequest } from '../../../../schemas/types/connector.ts'
import { splitPointer } from '../../../../schemas/validate/index.ts'
import { SwitchboardError } from '../../../errors.ts'
import type { HttpClient, HttpResponse } from '../../../platform/http/index.ts'
import type { FieldValue } from '../../../types.ts'
import { createMasker } from '../../requests/index.ts'
import { renderEndpoint, renderParams } from '../endpoints.ts'
import { requestToken } from '../oauth2/token-endpoint.ts'
import type { HeldToken, RenewOutcome } from '../types.ts'

/** What an exchange gets: the signed token, the connection's values and the clock. */
export interface ExchangeInput {
  assertion: string
  values: Readonly<Record<string, FieldValue>>
  http: HttpClient
  now: number
  timeoutMs: number
}

/**
 * The RFC 7523 §2.1 jwt-bearer grant: the signed token is the `assertion` of a token request with no client
 * authentication, and the answer is an OAuth2 token response (Google answers `invalid_grant` with "Invalid JWT
 * Signature." to a wrong key, and with "Token must be a short-lived token" to a bad `iat`/`exp`).
 *
 * @example
 * const outcome = await exchangeAtTokenUrl({ via: 'tokenUrl', tokenUrl: 'https://oauth2.googleapis.com/token' }, input)
 */
export async function exchangeAtTokenUrl(exchange: JwtBearerGrant, input: ExchangeInput): Promise<RenewOutcome> {
  const outcome = await requestToken(input.http, {
    url: renderEndpoint(exchange.tokenUrl, input.values, 'token URL'),
    method: { ...(exchange.tokenResponse ? { tokenResponse: exchange.tokenResponse } : {}) },
    client: undefined,
    params: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: input.assertion },
    extra: renderParams(exchange.params, input.values),
    timeoutMs: input.timeoutMs,
  })
  if (!outcome.ok) {
    if (outcome.kind === 'unavailable') return outcome
    return {
      ok: false,
      kind: 'rejected',
      revoked: false,
      error: outcome.error,
      ...(outcome.description ? { description: outcome.description } : {}),
    }
  }
  const { accessToken, expiresIn } = outcome.tokens
  return { ok: true, token: { accessToken, ...(expiresIn === undefined ? {} : { expiresAt: input.now + expiresIn * 1000 }) } }
}

/**
 * A templated request that carries the signed token as `Authorization: Bearer <jwt>` and answers JSON with the
 * access token at a pointer, and its expiry as a date or epoch seconds (`expiresAt`) or as seconds from now
 * (`expiresIn`). GitHub's installation token: `POST /app/installations/{id}/access_tokens` answers 201
 * `{ "token": "ghs_…", "expires_at": "2026-12-03T15:00:00Z" }`, 401 to a JWT it cannot verify, 404 to an
 * installation the app does not have. Redirects are not followed: the assertion goes nowhere else.
 *
 * @example
 * const outcome = await exchangeByRequest(method.exchange, input)
 */
export async function exchangeByRequest(exchange: JwtTokenRequest, input: ExchangeInput): Promise<RenewOutcome> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  for (const [name, value] of Object.entries(renderParams(exchange.headers, input.values))) headers[name] = value
  headers.Authorization = `Bearer ${input.assertion}`
  const body = exchange.body === undefined ? undefined : renderTemplate(exchange.body, ([key]) => input.values[key!], { encode: jsonText })
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let response: HttpResponse
  try {
    response = await input.http.request({
      url: renderEndpoint(exchange.url, input.values, 'token request URL'),
      method: exchange.method ?? 'POST',
      headers,
      ...(body === undefined ? {} : { body }),
      responseType: 'text',
      redirect: 'manual',
      timeoutMs: input.timeoutMs,
    })
  } catch (error) {
    if (error instanceof SwitchboardError && ['blocked_address', 'invalid_url', 'local_name'].includes(error.code)) throw error
    return { ok: false, kind: 'unavailable', reason: error instanceof SwitchboardError ? error.code : 'network_error' }
  }
  if (response.status >= 300 && response.status < 400) return { ok: false, kind: 'unavailable', reason: `redirected_${response.status}` }
  if (response.status >= 500 || response.status === 429) return { ok: false, kind: 'unavailable', reason: `http_${response.status}` }
  const json = parseJson(response.text)
  if (response.status < 200 || response.status >= 300) {
    const said = lookup(json, ['message']) ?? lookup(json, ['error_description']) ?? lookup(json, ['error'])
    const description = typeof said === 'string' ? createMasker([input.assertion]).text(said.slice(0, 300)) : undefined
    return { ok: false, kind: 'rejected', revoked: false, error: `http_${response.status}`, ...(description ? { description } : {}) }
  }
  const token = lookup(json, splitPointer(exchange.token))
  if (typeof token !== 'string' || token === '')
    return {
      ok: false,
      kind: 'rejected',
      revoked: false,
      error: 'invalid_token_response',
      description: `The answer has no token at ${exchange.token}.`,
    }
  const held: HeldToken = { accessToken: token }
  const expiresAt = exchange.expiresAt === undefined ? undefined : epochMs(lookup(json, splitPointer(exchange.expiresAt)))
  const expiresIn = exchange.expiresIn === undefined ? undefined : Number(lookup(json, splitPointer(exchange.expiresIn)))
  if (expiresAt !== undefined) held.expiresAt = expiresAt
  else if (expiresIn !== undefined && Number.isFinite(expiresIn) && expiresIn > 0) held.expiresAt = input.now + expiresIn * 1000
  return { ok: true, token: held }
}

/** A value inside a JSON string literal: a field holding `"` cannot change the body's shape. */
function jsonText(value: string): string {
  return JSON.stringify(value).slice(1, -1)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** An ISO 8601 date or epoch seconds, as epoch ms. */
function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value * 1000
  if (typeof value !== 'string') return undefined
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value)
  return Number.isFinite(ms) ? ms : undefined
}
