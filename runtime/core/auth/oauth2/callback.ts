import { SwitchboardError } from '../../../errors.ts'
import type { CredentialRecord, OAuthTokens } from '../../../types.ts'
import { credentialId, credentialOwner, loadConnection, openCredentials } from '../../connections/index.ts'
import { createMasker, effectiveValues } from '../../requests/index.ts'
import { saveSignIn, testedReturn } from '../sign-in.ts'
import { stateId } from './authorize.ts'
import { clientFor, oauthMethod, renderEndpoint, renderParams } from './internal/endpoints.ts'
import { designerReturn } from './internal/links.ts'
import { plainProviderError, plainTokenFailure } from './internal/messages.ts'
import type { OAuthApps } from './oauth-apps.ts'
import { requestToken } from './token-endpoint.ts'
import { type TokenValues, tokenValues } from './token-values.ts'
import type { OAuth2Options, OAuthStateRecord } from './types.ts'

/** The callback's query parameters, one value each (`repeated` when any came twice). */
export interface CallbackQuery {
  state?: string
  code?: string
  error?: string
  error_description?: string
  iss?: string
  repeated?: boolean
}

type Target = { appId: string; connectionId: string }

/**
 * Completes the authorization-code flow at `GET /oauth/callback` and answers where to send the person: the
 * connection's page in the designer with `oauth=success`, or `oauth=error&code=…&message=…`. The state is
 * checked first (missing, unknown, replayed, expired, another user's, outdated): a bad one is refused
 * before any token request. Then `iss` (RFC 9207), then the provider's own error, then the code is
 * exchanged with the same redirect URI and the PKCE verifier, the tokens are sealed, the granted scopes
 * recorded, and the connection test run to fill in the account label.
 *
 * @example
 * const location = await completeAuthorization(ctx, { state, code }, sessionUserId)
 * return c.redirect(location, 302)
 */
export async function completeAuthorization(
  ctx: { options: OAuth2Options; apps: OAuthApps },
  query: CallbackQuery,
  sessionUserId: string | undefined,
): Promise<string> {
  const { options } = ctx
  let target: Target | undefined
  try {
    if (query.repeated)
      throw refuse(
        'state_repeated',
        'The answer from the provider carried a parameter twice, so it was not trusted. Start connecting again.',
      )
    if (!query.state)
      throw refuse(
        'state_missing',
        'The answer from the provider has no state, so it cannot be matched to a connection. Start connecting again from the ' +
          "connection's page.",
      )
    const { state, replayed } = await consume(options, query.state)
    if (sessionUserId !== undefined && sessionUserId !== state.userId) {
      throw refuse(
        'state_other_user',
        'This sign-in was started by someone else, so it cannot complete in your session. Start connecting from your own connection page.',
      )
    }
    target = { appId: state.appId, connectionId: state.connectionId }
    if (replayed) throw refuse('state_replayed', 'This sign-in answer was already used. Start connecting again.')
    if (Date.parse(state.expiresAt) <= options.clock().getTime())
      throw refuse('flow_expired', 'The sign-in took longer than 10 minutes and expired. Start connecting again.')
    const loaded = await loadConnection(options, state.appId, state.connectionId).catch(() => {
      throw refuse('flow_outdated', 'The connection this sign-in was for no longer exists.')
    })
    if (loaded.connector.id !== state.connectorId || loaded.method.id !== state.authMethod) {
      throw refuse('flow_outdated', 'The connection changed its auth method after this sign-in started. Start connecting again.')
    }
    const method = oauthMethod(loaded)
    if (query.iss !== undefined && method.issuer !== undefined && query.iss !== method.issuer) {
      throw refuse(
        'issuer_mismatch',
        "The answer came from another authorization server than the connector's, so it was refused (a mix-up attack, or a " +
          'misconfigured connector).',
      )
    }
    if (query.error !== undefined) {
      const { code, message } = plainProviderError(query.error, query.error_description)
      throw refuse(code, message)
    }
    if (!query.code) throw refuse('code_missing', 'The provider answered without an authorization code. Start connecting again.')
    const values = effectiveValues(loaded.fields, loaded.record.fields)
    if (renderEndpoint(method.tokenUrl, values, 'token URL') !== state.tokenUrl) {
      throw refuse('flow_outdated', "The connection's settings changed after this sign-in started. Start connecting again.")
    }
    const client = await clientFor((connectorId) => ctx.apps.client(connectorId), loaded, values)
    const verifier =
      state.verifier && options.keyRing.open<{ verifier: string }>(state.verifier, { connectionId: `oauth-state:${state.id}` }).verifier
    const outcome = await requestToken(options.http, {
      url: state.tokenUrl,
      method,
      client,
      params: {
        grant_type: 'authorization_code',
        code: query.code,
        redirect_uri: state.redirectUri,
        ...(verifier ? { code_verifier: verifier } : {}),
      },
      extra: renderParams(method.tokenParams, values),
      timeoutMs: options.tokenTimeoutMs ?? 15_000,
    })
    if (!outcome.ok) {
      const masker = createMasker([query.code, verifier ?? '', client.clientSecret ?? ''])
      const { code, message } = plainTokenFailure(outcome)
      throw refuse(code, masker.text(message))
    }
    const found = tokenValues(loaded.connector, outcome.tokens)
    const tokens: OAuthTokens = {
      accessToken: outcome.tokens.accessToken,
      ...(outcome.tokens.refreshToken ? { refreshToken: outcome.tokens.refreshToken } : {}),
      ...(outcome.tokens.expiresIn === undefined ? {} : { expiresAt: options.clock().getTime() + outcome.tokens.expiresIn * 1000 }),
      // RFC 6749 §5.1: no scope in the response means the requested ones were granted.
      scope: outcome.tokens.scope ?? state.scopes,
      ...(outcome.tokens.tokenType ? { tokenType: outcome.tokens.tokenType } : {}),
    }
    const before = await options.store.get('credentials', credentialId(state.connectionId, credentialOwner(loaded.record, state.userId)))
    const owner = await save(options, state, tokens, found)
    await options.onAuthorized?.({
      appId: state.appId,
      connectionId: state.connectionId,
      connectorId: loaded.connector.id,
      connectionName: loaded.record.name,
      userId: state.userId,
      reconnected: before !== undefined,
      scopes: tokens.scope ?? [],
    })
    await options.forget(credentialId(state.connectionId, owner))
    options.log(
      `oauth2: connection ${state.connectionId} authorized${owner ? ` for user ${owner}` : ''}; granted scopes: ` +
        `${tokens.scope?.join(' ') || '(none)'}`,
    )
    return await testedReturn(options, state, loaded.connector.test !== undefined, target)
  } catch (error) {
    if (!(error instanceof SwitchboardError)) throw error
    options.log(`oauth2: callback refused (${error.code})`)
    return designerReturn(options.publicUrl, target, { oauth: 'error', code: error.code, message: error.message })
  }
}

/** Marks the state used (single-use) and returns it as it was; unknown states are refused. */
async function consume(options: OAuth2Options, state: string): Promise<{ state: OAuthStateRecord; replayed: boolean }> {
  const id = stateId(state)
  const at = options.clock().toISOString()
  const found = await options.store.transaction(async (tx) => {
    const record = await tx.get<OAuthStateRecord>('oauthStates', id)
    if (!record) return undefined
    if (record.usedAt === undefined) {
      const { verifier: _verifier, ...rest } = record
      await tx.put<OAuthStateRecord>('oauthStates', { ...rest, usedAt: at })
    }
    return record
  })
  if (!found)
    throw refuse(
      'state_unknown',
      'This sign-in answer does not match any sign-in the runtime started (unknown state). Start connecting again.',
    )
  return { state: found, replayed: found.usedAt !== undefined }
}

/** Seals the tokens for the flow's user (shared or personal) and marks the connection connected. */
function save(options: OAuth2Options, state: OAuthStateRecord, tokens: OAuthTokens, found: TokenValues): Promise<string | undefined> {
  return saveSignIn(
    options,
    state,
    async (tx, current, owner) => {
      // The values entered with the credential (a client id of its own) stay beside the new tokens.
      const previous = await tx.get<CredentialRecord>('credentials', credentialId(current.id, owner))
      return { values: previous ? openCredentials(options.keyRing, previous).values : {}, oauth: tokens }
    },
    (next, current) => {
      // Values the token response brought (Salesforce's instance URL) belong to the shared connection.
      if (found.fields) next.fields = { ...current.fields, ...found.fields }
      if (found.baseUrl) next.baseUrl = found.baseUrl
      if (tokens.scope) next.grantedScopes = tokens.scope
    },
  )
}

function refuse(code: string, message: string): SwitchboardError {
  return new SwitchboardError(400, code, message)
}
