import { createHash, randomBytes } from 'node:crypto'
import type { OAuthAuthorization } from '../../../../schemas/types/api.ts'
import { SwitchboardError } from '../../../errors.ts'
import type { AppRecord, CredentialRecord } from '../../../types.ts'
import { credentialId, credentialOwner, loadConnection, openCredentials } from '../../connections/index.ts'
import { effectiveValues } from '../../requests/index.ts'
import { oauthMethod, renderEndpoint, renderParams } from './internal/endpoints.ts'
import { type OAuthApps, redirectUri } from './oauth-apps.ts'
import { createPkce } from './pkce.ts'
import { extraScopes, joinScopes, requestedScopes, scopesForAppActions } from './scopes.ts'
import type { OAuth2Options, OAuthStateRecord } from './types.ts'

/** Used and expired flows are kept this long, so a late or replayed callback gets a precise answer. */
const KEEP_STATES_MS = 24 * 60 * 60 * 1000

/**
 * The id a flow's state is kept under: its SHA-256, so the store alone cannot complete a flow.
 *
 * @example
 * stateId('q3Zr…') // 'b1946ac9…'
 */
export function stateId(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex')
}

/**
 * Starts the authorization-code flow (RFC 6749 §4.1) for a connection: a random single-use `state` bound to
 * the user, app and connection, a PKCE S256 challenge (RFC 7636) unless the connector turns it off, the
 * scopes (method defaults ∪ already granted ∪ `extra`) joined with the connector's separator in its scope
 * parameter, the authorize URL rendered from the connection's fields plus its extra parameters.
 *
 * @example
 * const { url } = await startAuthorization(options, apps, { appId: 'default', id: 'c_1', userId: 'owner', scopes: 'gist' })
 * // 302 to url
 */
export async function startAuthorization(
  options: OAuth2Options,
  apps: OAuthApps,
  start: { appId: string; id: string; userId: string; scopes?: string },
): Promise<OAuthAuthorization> {
  const loaded = await loadConnection(options, start.appId, start.id)
  const method = oauthMethod(loaded)
  if (method.grant !== 'authorization_code' || !method.authorizeUrl) {
    throw new SwitchboardError(
      409,
      'not_authorization_code',
      `"${loaded.record.name}" uses the client-credentials grant: there is nobody to ask. Connect it with PUT ` +
        `…/connections/${start.id}/credentials.`,
    )
  }
  const { clientId } = await apps.client(loaded.connector.id)
  const extra = extraScopes(start.scopes, method)
  const app = await options.store.get<AppRecord>('apps', start.appId)
  const needed = scopesForAppActions(loaded.connector, method, app?.actions)
  const scopes = requestedScopes(method, await granted(options, loaded.record, start.userId), extra, needed)
  const values = effectiveValues(loaded.fields, loaded.record.fields)
  const authorizeUrl = new URL(renderEndpoint(method.authorizeUrl, values, 'authorize URL'))
  const tokenUrl = renderEndpoint(method.tokenUrl, values, 'token URL')
  const state = randomBytes(32).toString('base64url')
  const pkce = method.pkce === false ? undefined : createPkce()
  const now = options.clock()
  const record: OAuthStateRecord = {
    id: stateId(state),
    userId: start.userId,
    appId: start.appId,
    connectionId: loaded.record.id,
    connectorId: loaded.connector.id,
    authMethod: method.id,
    scopes,
    redirectUri: redirectUri(options.publicUrl),
    tokenUrl,
    ...(pkce ? { verifier: options.keyRing.seal({ verifier: pkce.verifier }, { connectionId: `oauth-state:${stateId(state)}` }) } : {}),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (options.stateTtlMs ?? 10 * 60 * 1000)).toISOString(),
  }
  await options.store.transaction(async (tx) => {
    const stale = new Date(now.getTime() - KEEP_STATES_MS).toISOString()
    const old = await tx.find<OAuthStateRecord>('oauthStates', 'byExpiry', { equals: [], range: { lt: stale }, limit: 100 })
    for (const state of old) await tx.delete('oauthStates', state.id)
    await tx.put('oauthStates', record)
  })

  for (const [name, value] of Object.entries(renderParams(method.authorizeParams, values))) authorizeUrl.searchParams.set(name, value)
  // The protocol's own parameters come last, so an extra parameter cannot replace them.
  authorizeUrl.searchParams.set('response_type', 'code')
  authorizeUrl.searchParams.set('client_id', clientId)
  authorizeUrl.searchParams.set('redirect_uri', record.redirectUri)
  if (scopes.length > 0) authorizeUrl.searchParams.set(method.scopeParam ?? 'scope', joinScopes(scopes, method.scopeSeparator))
  authorizeUrl.searchParams.set('state', state)
  if (pkce) {
    authorizeUrl.searchParams.set('code_challenge', pkce.challenge)
    authorizeUrl.searchParams.set('code_challenge_method', 'S256')
  }
  return { url: authorizeUrl.href, scopes, expiresAt: record.expiresAt }
}

/** The scopes the user's current grant has: from the sealed tokens, else the connection's record. */
async function granted(
  options: OAuth2Options,
  record: Parameters<typeof credentialOwner>[0] & { id: string; grantedScopes?: string[] },
  userId: string,
): Promise<string[] | undefined> {
  const credential = await options.store.get<CredentialRecord>('credentials', credentialId(record.id, credentialOwner(record, userId)))
  if (!credential) return record.grantedScopes
  return openCredentials(options.keyRing, credential).oauth?.scope ?? record.grantedScopes
}
