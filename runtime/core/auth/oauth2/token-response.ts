import { lookup } from '../../../../schemas/template/index.ts'
import type { OAuth2TokenResponse } from '../../../../schemas/types/connector.ts'
import { splitPointer } from '../../../../schemas/validate/index.ts'
import { parseScopes } from './scopes.ts'

/** A successful token response, normalised. */
export interface TokenSet {
  accessToken: string
  refreshToken?: string
  /** Seconds, as the provider said (a number or a numeric string). */
  expiresIn?: number
  /** `undefined` when the response names no scope (then the requested ones were granted, RFC 6749 §5.1). */
  scope?: string[]
  tokenType?: string
  /** The values the connector saves from the response (`tokenResponse.values`), by field key; strings only. */
  values?: Record<string, string>
  /** The URL at `tokenResponse.baseUrl` (Salesforce's `instance_url`), unchecked: the caller checks its origin. */
  baseUrl?: string
}

type TokenPointers = Pick<OAuth2TokenResponse, 'accessToken' | 'refreshToken' | 'expiresIn' | 'scope'>

const DEFAULT_POINTERS: Required<TokenPointers> = {
  accessToken: '/access_token',
  refreshToken: '/refresh_token',
  expiresIn: '/expires_in',
  scope: '/scope',
}

/**
 * Reads a token endpoint's answer: JSON (RFC 6749 §5.1) or form-encoded (GitHub without
 * `Accept: application/json`), values at the connector's JSON pointers when nested (Slack's
 * `/authed_user/access_token`), `expires_in` as a number or a string, scope space- or comma-separated.
 * An `error` member is a refusal even with a 200 (Slack's `{ "ok": false, "error": … }`).
 *
 * @example
 * parseTokenResponse('access_token=gho_x&scope=repo%2Cgist&token_type=bearer', 'application/x-www-form-urlencoded')
 * // { accessToken: 'gho_x', scope: ['repo', 'gist'], tokenType: 'bearer' }
 */
export function parseTokenResponse(
  text: string,
  contentType: string | null,
  pointers: OAuth2TokenResponse = {},
): TokenSet | { error: string; description?: string } {
  const body = parseBody(text, contentType ?? '')
  if (body === undefined)
    return {
      error: 'invalid_token_response',
      description: 'The token endpoint answered with something that is neither JSON nor form-encoded.',
    }
  const error = lookup(body, ['error'])
  if (typeof error === 'string' && error !== '') {
    const description = lookup(body, ['error_description'])
    return { error: error.slice(0, 100), ...(typeof description === 'string' ? { description: description.slice(0, 300) } : {}) }
  }
  const at = (key: keyof TokenPointers) => lookup(body, splitPointer(pointers[key] ?? DEFAULT_POINTERS[key]))
  const accessToken = at('accessToken')
  if (typeof accessToken !== 'string' || accessToken === '') {
    return {
      error: 'invalid_token_response',
      description: `The token response has no access token at ${pointers.accessToken ?? DEFAULT_POINTERS.accessToken}.`,
    }
  }
  const tokens: TokenSet = { accessToken }
  const refreshToken = at('refreshToken')
  if (typeof refreshToken === 'string' && refreshToken !== '') tokens.refreshToken = refreshToken
  const expiresIn = Number(at('expiresIn'))
  if (at('expiresIn') !== undefined && at('expiresIn') !== '' && Number.isFinite(expiresIn) && expiresIn > 0) tokens.expiresIn = expiresIn
  const scope = parseScopes(at('scope'))
  if (scope) tokens.scope = scope
  const tokenType = lookup(body, ['token_type'])
  if (typeof tokenType === 'string') tokens.tokenType = tokenType
  for (const [key, pointer] of Object.entries(pointers.values ?? {})) {
    const value = pointer === undefined ? undefined : lookup(body, splitPointer(pointer))
    if (typeof value === 'string' || typeof value === 'number') (tokens.values ??= {})[key] = String(value)
  }
  const baseUrl = pointers.baseUrl === undefined ? undefined : lookup(body, splitPointer(pointers.baseUrl))
  if (typeof baseUrl === 'string' && baseUrl !== '') tokens.baseUrl = baseUrl
  return tokens
}

function parseBody(text: string, contentType: string): unknown {
  const trimmed = text.trim()
  const json = /\bjson\b/i.test(contentType) || trimmed.startsWith('{')
  if (json) {
    try {
      const value: unknown = JSON.parse(trimmed)
      return value !== null && typeof value === 'object' ? value : undefined
    } catch {
      return undefined
    }
  }
  if (/=/.test(trimmed) && !/[\s<]/.test(trimmed)) return Object.fromEntries(new URLSearchParams(trimmed))
  return undefined
}
