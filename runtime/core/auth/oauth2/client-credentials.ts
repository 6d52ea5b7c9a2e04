import type { Connection, SetCredentials } from '../../../../schemas/types/api.ts'
import { SwitchboardError } from '../../../errors.ts'
import type { ConnectionRecord, OAuthTokens } from '../../../types.ts'
import {
  type Actor,
  checkValues,
  credentialId,
  credentialOwner,
  dropCredentials,
  loadConnection,
  putCredentials,
} from '../../connections/index.ts'
import { aboutConnection } from '../../events/index.ts'
import { effectiveValues, fieldDefinitions, pickAuthMethod } from '../../requests/index.ts'
import { clientAssertionFor } from './client-assertion.ts'
import { clientFor, renderEndpoint, renderParams } from './internal/endpoints.ts'
import { plainTokenFailure } from './internal/messages.ts'
import type { OAuthApps } from './oauth-apps.ts'
import { joinScopes, requestedScopes } from './scopes.ts'
import { requestToken } from './token-endpoint.ts'
import { tokenValues } from './token-values.ts'
import type { OAuth2Options } from './types.ts'

/**
 * Connects with the client-credentials grant (RFC 6749 §4.4) on `PUT …/credentials`: the method's fields
 * are checked and stored as usual, a token is fetched right away (so wrong client credentials are reported
 * now, not at the first workflow run), sealed, and the connection test fills in the account label. Returns
 * `undefined` when the chosen method is not a client-credentials one, for the ordinary path to handle.
 *
 * @example
 * const view = await connectClientCredentials(ctx, 'default', 'c_1', { values: { clientId, clientSecret } }, actor)
 */
export async function connectClientCredentials(
  ctx: { options: OAuth2Options; apps: OAuthApps },
  appId: string,
  id: string,
  body: SetCredentials,
  actor: Actor,
): Promise<Connection | undefined> {
  const { options } = ctx
  const loaded = await loadConnection(options, appId, id)
  const method = pickAuthMethod(loaded.connector, body.authMethod ?? loaded.record.authMethod)
  if (method.type !== 'oauth2' || method.grant !== 'client_credentials') return undefined
  const fields = fieldDefinitions(loaded.connector, method)
  const split = checkValues(fields, body.values, { require: 'secrets' })
  const plain = { ...loaded.record.fields, ...split.plain }
  const values = effectiveValues(fields, plain, split.secrets)
  const client = await clientFor((connectorId) => ctx.apps.client(connectorId), { connector: loaded.connector, fields }, values)
  const scopes = requestedScopes(method, method.id === loaded.record.authMethod ? loaded.record.grantedScopes : undefined)
  const url = renderEndpoint(method.tokenUrl, values, 'token URL')
  const clientAssertion = await clientAssertionFor(method, client, url, { values, fields }, options.clock().getTime())
  const outcome = await requestToken(options.http, {
    url,
    method,
    client,
    ...(clientAssertion ? { clientAssertion } : {}),
    params: { grant_type: 'client_credentials', ...(scopes.length ? { scope: joinScopes(scopes, method.scopeSeparator) } : {}) },
    extra: renderParams(method.tokenParams, values),
    timeoutMs: options.tokenTimeoutMs ?? 15_000,
  })
  if (!outcome.ok) {
    const { code, message } = plainTokenFailure(outcome)
    throw new SwitchboardError(
      outcome.kind === 'unavailable' ? 502 : 400,
      code === 'provider_unavailable' ? code : `token_${code}`,
      message,
    )
  }
  const found = tokenValues(loaded.connector, outcome.tokens)
  const tokens: OAuthTokens = {
    accessToken: outcome.tokens.accessToken,
    ...(outcome.tokens.expiresIn === undefined ? {} : { expiresAt: options.clock().getTime() + outcome.tokens.expiresIn * 1000 }),
    scope: outcome.tokens.scope ?? scopes,
    ...(outcome.tokens.tokenType ? { tokenType: outcome.tokens.tokenType } : {}),
  }
  const at = options.clock().toISOString()
  const owner = credentialOwner(loaded.record, actor.userId)
  await options.store.transaction(async (tx) => {
    const current = await tx.get<ConnectionRecord>('connections', id)
    if (!current || current.appId !== appId)
      throw new SwitchboardError(404, 'connection_not_found', `App "${appId}" has no connection "${id}".`)
    const next: ConnectionRecord = { ...current, authMethod: method.id, fields: plain, status: 'connected', updatedAt: at }
    // Values the token response brought (an instance URL, an account id) belong to the shared connection.
    if (owner === undefined && found.fields) next.fields = { ...plain, ...found.fields }
    if (owner === undefined && found.baseUrl) next.baseUrl = found.baseUrl
    if (owner === undefined && tokens.scope) next.grantedScopes = tokens.scope
    delete next.accountLabel
    delete next.lastTest
    if (method.id !== current.authMethod) await dropCredentials(tx, id)
    await putCredentials(tx, options.keyRing, next, owner, { values: split.secrets, oauth: tokens }, at)
    await tx.put('connections', next)
  })
  await options.forget(credentialId(id, owner))
  await options.events?.emit({ type: 'connection.connected', at, data: aboutConnection({ ...loaded.record, status: 'connected' }) })
  if (loaded.connector.test) await options.afterConnect?.(appId, id, actor).catch(() => undefined)
  return options.view(appId, id, actor)
}
