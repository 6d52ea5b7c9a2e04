import type { OAuth2Auth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import type { HttpClient, HttpResponse } from '../../../platform/http/index.ts'
import { createMasker } from '../../requests/index.ts'
import { parseTokenResponse, type TokenSet } from './token-response.ts'
import type { ClientCredentials } from './types.ts'

/** What the token endpoint said: tokens, a refusal by the provider, or no usable answer. */
export type TokenOutcome =
  | { ok: true; tokens: TokenSet }
  /** The provider refused (RFC 6749 §5.2): `invalid_grant`, `invalid_client`, … */
  | { ok: false; kind: 'rejected'; error: string; description?: string; status: number }
  /** 5xx, 429, timeout, network: worth trying again later, not a verdict on the grant. */
  | { ok: false; kind: 'unavailable'; reason: string; status?: number }

/** One token request. */
export interface TokenRequest {
  url: string
  method: Pick<OAuth2Auth, 'clientAuth' | 'tokenResponse' | 'tokenBody'>
  /** The client authenticating; `undefined` for grants that authenticate by themselves (RFC 7523 jwt-bearer). */
  client: ClientCredentials | undefined
  /** A signed client assertion (`private_key_jwt`, RFC 7523 §2.2) sent instead of a client secret. */
  clientAssertion?: string
  /** The grant's parameters (`grant_type`, `code`, `redirect_uri`, `code_verifier`, `refresh_token`, `scope`, `assertion`). */
  params: Record<string, string>
  /** The connector's `tokenParams`, rendered; the grant's own parameters win over them. */
  extra?: Record<string, string>
  timeoutMs?: number
}

/**
 * POSTs to a token endpoint (RFC 6749 §4.1.3, §4.4.2, §6) through the runtime's one HTTP client, with the
 * client authenticated by HTTP Basic (`client_secret_basic`, the default: id and secret form-encoded first,
 * RFC 6749 §2.3.1), in the body (`client_secret_post`) or by a signed assertion (`private_key_jwt`, RFC 7523
 * §2.2). The body is form-encoded, or JSON for providers that want it (`tokenBody: json`). Never throws for
 * what the provider answers.
 *
 * @example
 * const outcome = await requestToken(http, { url, method, client, params: { grant_type: 'refresh_token', refresh_token } })
 * if (outcome.ok) use(outcome.tokens.accessToken)
 */
export async function requestToken(http: HttpClient, request: TokenRequest): Promise<TokenOutcome> {
  const body = new URLSearchParams({ ...request.extra, ...request.params })
  const json = request.method.tokenBody === 'json'
  const headers: Record<string, string> = {
    'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded',
    // GitHub answers form-encoded without it; others ignore it.
    Accept: 'application/json',
  }
  const clientSecret = request.client?.clientSecret
  if (request.client) {
    const { clientId } = request.client
    if (request.clientAssertion !== undefined) {
      body.set('client_id', clientId)
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      body.set('client_assertion', request.clientAssertion)
    } else if (clientSecret !== undefined && (request.method.clientAuth ?? 'client_secret_basic') === 'client_secret_basic') {
      headers.Authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`
    } else {
      body.set('client_id', clientId)
      if (clientSecret !== undefined) body.set('client_secret', clientSecret)
    }
  }
  let response: HttpResponse
  try {
    response = await http.request({
      url: request.url,
      method: 'POST',
      headers,
      body: json ? JSON.stringify(Object.fromEntries(body)) : body.toString(),
      responseType: 'text',
      // An auth endpoint's redirect is never followed: it would carry the client secret, the code and the
      // verifier wherever the Location says, and store whatever token answers there.
      redirect: 'manual',
      timeoutMs: request.timeoutMs ?? 15_000,
    })
  } catch (error) {
    if (error instanceof SwitchboardError && ['blocked_address', 'invalid_url', 'local_name'].includes(error.code)) throw error
    return { ok: false, kind: 'unavailable', reason: error instanceof SwitchboardError ? error.code : 'network_error' }
  }
  if (response.status >= 300 && response.status < 400)
    return { ok: false, kind: 'unavailable', reason: `redirected_${response.status}`, status: response.status }
  if (response.status >= 500 || response.status === 429)
    return { ok: false, kind: 'unavailable', reason: `http_${response.status}`, status: response.status }
  const parsed = parseTokenResponse(response.text, response.headers.get('content-type'), request.method.tokenResponse)
  if ('error' in parsed) {
    // Providers echo what they were sent (a client secret in `error_description`): never pass that on.
    const masked =
      parsed.description === undefined
        ? undefined
        : createMasker(
            [
              clientSecret,
              request.clientAssertion,
              request.params.code,
              request.params.code_verifier,
              request.params.refresh_token,
              request.params.assertion,
            ].filter((v): v is string => v !== undefined),
          ).text(parsed.description)
    return { ok: false, kind: 'rejected', error: parsed.error, ...(masked ? { description: masked } : {}), status: response.status }
  }
  if (response.status < 200 || response.status >= 300)
    return { ok: false, kind: 'rejected', error: `http_${response.status}`, status: response.status }
  return { ok: true, tokens: parsed }
}

/** `application/x-www-form-urlencoded` of one value, as RFC 6749 §2.3.1 asks for Basic credentials. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2)
}
