import type { Connection, OAuthAuthorization, SetCredentials } from '../../schemas/types/api.ts'
import type { Actor, ConnectionService } from '../connections/index.ts'
import type { CredentialSecrets } from '../types.ts'
import { startAuthorization } from './authorize.ts'
import { completeAuthorization, type CallbackQuery } from './callback.ts'
import { connectClientCredentials } from './client-credentials.ts'
import { assertScopes } from './least-privilege.ts'
import { createOAuthApps } from './oauth-apps.ts'
import { createTokenRefresher } from './refresh.ts'
import type { OAuth2Hook, OAuth2Options, TokenTarget } from './types.ts'

/**
 * OAuth2 for the runtime: the workspace OAuth app per connector, the authorization-code flow (start and
 * callback), the client-credentials grant, token refresh, and the hook the request paths use.
 *
 * @example
 * const oauth2 = createOAuth2({ ...connectionDeps, log })
 * const { url } = await oauth2.authorize({ appId: 'default', id: 'c_1', userId: 'owner' })
 * const result = await oauth2.withAccessToken({ loaded, owner }, send, (r) => r.status)
 */
export function createOAuth2(options: OAuth2Options) {
  for (const key of ['store', 'keyRing', 'http', 'catalogue', 'clock', 'log'] as const) {
    if (!options[key]) throw new TypeError(`createOAuth2: options.${key} is required`)
  }
  for (const key of ['refreshMarginMs', 'stateTtlMs', 'backoffMs', 'maxBackoffMs', 'tokenTimeoutMs'] as const) {
    const value = options[key]
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new TypeError(`createOAuth2: options.${key} must be a number of milliseconds ≥ 0`)
  }
  const apps = createOAuthApps(options)
  const refresher = createTokenRefresher(options, apps)

  const hook: OAuth2Hook = {
    async withAccessToken(target, send, status) {
      const token = await refresher.accessToken(target)
      const first = await send(token)
      if (status(first) !== 401) return first
      // Once: a token the API rejects right after a refresh is not going to get better by refreshing again.
      return send(await refresher.accessToken(target, { rejected: token }))
    },
    assertScopes(target: TokenTarget, scopes: readonly string[] | undefined, secrets: CredentialSecrets | undefined) {
      assertScopes(options.publicUrl, target, scopes, secrets)
    },
  }

  return {
    ...hook,
    apps,
    refresher,
    /** Starts the authorization-code flow; `scopes` adds comma-separated scopes (incremental). */
    authorize(start: { appId: string; id: string; userId: string; scopes?: string }): Promise<OAuthAuthorization> {
      return startAuthorization(options, apps, start)
    },
    /** Completes it at the callback; answers where to send the person. */
    complete(connections: Pick<ConnectionService, 'tests'>, query: CallbackQuery, sessionUserId: string | undefined): Promise<string> {
      return completeAuthorization({ options, apps, refresher, connections }, query, sessionUserId)
    },
    /** `PUT …/credentials` for a client-credentials method; `undefined` for any other method. */
    connectClientCredentials(connections: ConnectionService, appId: string, id: string, body: SetCredentials, actor: Actor): Promise<Connection | undefined> {
      return connectClientCredentials({ options, apps, refresher, connections }, appId, id, body, actor)
    },
  }
}

/** The OAuth2 service's type. */
export type OAuth2 = ReturnType<typeof createOAuth2>
