import type { Connection, OAuthAuthorization, SetCredentials } from '../../../../schemas/types/api.ts'
import type { Actor } from '../../connections/index.ts'
import type { AuthServices } from '../types.ts'
import { startAuthorization } from './authorize.ts'
import { type CallbackQuery, completeAuthorization } from './callback.ts'
import { connectClientCredentials } from './client-credentials.ts'
import type { OAuthApps } from './oauth-apps.ts'
import type { OAuth2Options } from './types.ts'

/**
 * The OAuth2 flows: the authorization-code flow (start and callback) and the client-credentials grant at
 * connect, over the workspace's OAuth apps. Keeping tokens fresh afterwards is the token engine's.
 *
 * @example
 * const oauth2 = createOAuth2({ ...connectionDeps, log, view, forget }, apps)
 * const { url } = await oauth2.authorize({ appId: 'default', id: 'c_1', userId: 'owner' })
 */
export function createOAuth2(options: OAuth2Options, apps: OAuthApps) {
  for (const key of ['store', 'keyRing', 'http', 'catalogue', 'clock', 'log', 'view', 'forget'] as const) {
    if (!options[key]) throw new TypeError(`createOAuth2: options.${key} is required`)
  }
  for (const key of ['stateTtlMs', 'tokenTimeoutMs'] as const) {
    const value = options[key]
    if (value !== undefined && !(Number.isFinite(value) && value >= 0))
      throw new TypeError(`createOAuth2: options.${key} must be a number of milliseconds ≥ 0`)
  }
  return {
    apps,
    /** Starts the authorization-code flow; `scopes` adds comma-separated scopes (incremental). */
    authorize(start: { appId: string; id: string; userId: string; scopes?: string }): Promise<OAuthAuthorization> {
      return startAuthorization(options, apps, start)
    },
    /** Completes it at the callback; answers where to send the person. */
    complete(query: CallbackQuery, sessionUserId: string | undefined): Promise<string> {
      return completeAuthorization({ options, apps }, query, sessionUserId)
    },
    /** `PUT …/credentials` for a client-credentials method; `undefined` for any other method. */
    connectClientCredentials(appId: string, id: string, body: SetCredentials, actor: Actor): Promise<Connection | undefined> {
      return connectClientCredentials({ options, apps }, appId, id, body, actor)
    },
  }
}

/**
 * What the token engine needs from the OAuth2 setup: the workspace's client of a connector.
 *
 * @example
 * createTokenEngine({ ...deps, services: oauthServices(apps) })
 */
export function oauthServices(apps: OAuthApps): AuthServices {
  return { oauthClient: (connectorId) => apps.client(connectorId) }
}

/** The OAuth2 flows' type. */
export type OAuth2 = ReturnType<typeof createOAuth2>
