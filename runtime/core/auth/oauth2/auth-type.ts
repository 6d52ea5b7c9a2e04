import type { OAuth2Auth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import type { OAuthTokens } from '../../../types.ts'
import { tokenMaterial } from '../placement.ts'
import type { AuthType, RenewContext, RenewOutcome, TokenSource } from '../types.ts'
import { clientAssertionFor } from './client-assertion.ts'
import { clientFor, renderEndpoint, renderParams } from './internal/endpoints.ts'
import { joinScopes, requestedScopes } from './scopes.ts'
import { requestToken } from './token-endpoint.ts'

/**
 * The access token's life after authorization: renewed with the refresh token (RFC 6749 §6), or for the
 * client-credentials grant by asking again (§4.4). A refused refresh (`invalid_grant`) means the grant is
 * gone. A response without a refresh token keeps the old one; without a scope, the old scope.
 */
const tokens: TokenSource<OAuth2Auth> = {
  what: 'OAuth2 tokens',
  read: (secrets) => secrets.oauth,
  write: (secrets, token) => ({ ...secrets, oauth: token as OAuthTokens }),
  renewable: (method, current) =>
    current !== undefined && ((current as OAuthTokens).refreshToken !== undefined || method.grant === 'client_credentials'),
  renew,
}

async function renew(context: RenewContext<OAuth2Auth>): Promise<RenewOutcome> {
  const { method, values } = context
  const current = context.current as OAuthTokens
  const client = await clientFor((id) => context.services.oauthClient(id), context.loaded, values)
  const scopes = current.refreshToken ? [] : requestedScopes(method, current.scope)
  const url = renderEndpoint(current.refreshToken ? (method.refreshUrl ?? method.tokenUrl) : method.tokenUrl, values, 'token URL')
  const clientAssertion = await clientAssertionFor(method, client, url, { values, fields: context.loaded.fields }, context.now)
  const outcome = await requestToken(context.http, {
    url,
    method,
    client,
    ...(clientAssertion ? { clientAssertion } : {}),
    params: current.refreshToken
      ? { grant_type: 'refresh_token', refresh_token: current.refreshToken }
      : { grant_type: 'client_credentials', ...(scopes.length === 0 ? {} : { scope: joinScopes(scopes, method.scopeSeparator) }) },
    // Refresh-only parameters go with refreshes alone (a scope some providers want again, a `duration`).
    extra: { ...renderParams(method.tokenParams, values), ...(current.refreshToken ? renderParams(method.refreshParams, values) : {}) },
    timeoutMs: context.timeoutMs,
  })
  if (!outcome.ok) {
    if (outcome.kind === 'unavailable') return outcome
    return {
      ok: false,
      kind: 'rejected',
      revoked: outcome.error === 'invalid_grant' && current.refreshToken !== undefined,
      error: outcome.error,
      ...(outcome.description ? { description: outcome.description } : {}),
    }
  }
  const got = outcome.tokens
  const refreshToken = got.refreshToken ?? current.refreshToken
  const scope = got.scope ?? current.scope
  const next: OAuthTokens = {
    accessToken: got.accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...(got.expiresIn === undefined ? {} : { expiresAt: context.now + got.expiresIn * 1000 }),
    ...(scope ? { scope } : {}),
    ...(got.tokenType ? { tokenType: got.tokenType } : {}),
  }
  return { ok: true, token: next }
}

/**
 * OAuth2 (RFC 6749): the access token is sent as a bearer token (RFC 6750 §2.1), or in the header, with the
 * prefix, or in the query parameter the connector's `placement` names; the connector's `query` parameters go on
 * every request. Connections get their tokens through the authorization-code flow or the client-credentials
 * grant (`auth/oauth2/` flows), and the token engine keeps them fresh through {@link tokens}.
 *
 * @example
 * oauth2.apply(method, { values, fields, token, request }).headers.Authorization // 'Bearer …'
 */
export const oauth2: AuthType<OAuth2Auth> = {
  type: 'oauth2',
  needsCredentials: () => true,
  apply(method, input) {
    if (!input.token)
      throw new SwitchboardError(428, 'missing_credentials', 'The connection has no OAuth2 access token. Connect it to authorize access.')
    const material = tokenMaterial(input.token, method.placement, input)
    if (method.query) for (const pair of Object.entries(renderParams(method.query, input.values))) material.query.push(pair)
    return material
  },
  tokens,
}
