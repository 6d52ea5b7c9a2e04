import type { TokenOutcome } from '../token-endpoint.ts'

/** Plain words for the authorize endpoint's error codes (RFC 6749 §4.1.2.1). */
const AUTHORIZE_ERRORS: Record<string, string> = {
  access_denied: 'Access was not granted: the sign-in was declined at the provider.',
  invalid_scope: 'The provider does not accept the scopes that were asked for.',
  unauthorized_client: 'The provider does not let this OAuth app use this kind of sign-in.',
  unsupported_response_type: 'The provider does not support this kind of sign-in.',
  invalid_request: "The provider found the sign-in request invalid; the connector's OAuth2 settings may be wrong.",
  server_error: 'The provider had a problem during the sign-in. Try again.',
  temporarily_unavailable: 'The provider is busy or down for a moment. Try again shortly.',
}

/** Plain words for the token endpoint's error codes (RFC 6749 §5.2). */
const TOKEN_ERRORS: Record<string, string> = {
  invalid_client:
    "The provider did not accept the OAuth app's client id or secret. The workspace owner should check them in the connector's OAuth " +
    'app settings.',
  invalid_grant:
    'The provider refused the authorization code: it expired, was used already, or belongs to another sign-in. Start connecting again.',
  unauthorized_client: 'The provider does not let this OAuth app use this grant.',
  invalid_scope: 'The provider does not accept the scopes that were asked for.',
  invalid_request: "The provider found the token request invalid; the connector's OAuth2 settings may be wrong.",
  invalid_token_response: "The provider's answer held no usable access token.",
}

/**
 * An error the provider sent to the callback, as a stable code and plain words that keep the provider's
 * own description (a person needs it to fix the cause) without control characters or excess length.
 *
 * @example
 * plainProviderError('access_denied', 'The user denied the request')
 * // { code: 'access_denied', message: 'Access was not granted: … The provider said: "The user denied the request".' }
 */
export function plainProviderError(error: string, description: string | undefined): { code: string; message: string } {
  const code = safeCode(error)
  const words = AUTHORIZE_ERRORS[code] ?? `The provider refused the sign-in (${code}).`
  return { code, message: words + said(description) }
}

/**
 * A failed token request, as a stable code and plain words.
 *
 * @example
 * plainTokenFailure({ ok: false, kind: 'rejected', error: 'invalid_client', status: 401 }).code // 'invalid_client'
 */
export function plainTokenFailure(outcome: Extract<TokenOutcome, { ok: false }>): { code: string; message: string } {
  if (outcome.kind === 'unavailable') {
    return {
      code: 'provider_unavailable',
      message: `The provider's token endpoint did not answer usably (${outcome.reason}). Try again in a moment.`,
    }
  }
  const code = safeCode(outcome.error)
  const words = TOKEN_ERRORS[code] ?? `The provider refused the token request (${code}).`
  return { code, message: words + said(outcome.description) }
}

function safeCode(error: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(error) ? error : 'provider_error'
}

function said(description: string | undefined): string {
  const clean = (description ?? '')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 300)
  return clean ? ` The provider said: "${clean}".` : ''
}
