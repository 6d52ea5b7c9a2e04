import type { OAuthApp, SetOAuthApp } from '../../../../schemas/types/api.ts'
import { SwitchboardError } from '../../../errors.ts'
import type { CredentialRecord } from '../../../types.ts'
import { openCredentials, putCredentials } from '../../connections/index.ts'
import type { ClientCredentials, OAuth2Options, OAuthAppRecord } from './types.ts'

/** Where the runtime's OAuth2 callback lives; the redirect URI to register with every provider. */
export function redirectUri(publicUrl: string): string {
  return `${publicUrl}/oauth/callback`
}

/**
 * The id (and sealing binding) of the sealed record holding a connector's client secret. A colon never
 * occurs in connection ids, so it cannot collide with a connection's credentials.
 */
export function appSecretId(connectorId: string): string {
  return `oauth-app:${connectorId}`
}

/**
 * The workspace's OAuth app per connector: client id in `oauthApps`, client secret sealed in `credentials`
 * (bound to `oauth-app:<connectorId>`), write-only. The view shows whether a secret is set and the redirect
 * URI to register, read-only.
 *
 * @example
 * const apps = createOAuthApps(options)
 * await apps.put('github', { clientId: 'Iv1.8a61', clientSecret: '…' }, 'owner')
 * (await apps.view('github')).hasClientSecret // true
 */
export function createOAuthApps(options: Pick<OAuth2Options, 'store' | 'keyRing' | 'catalogue' | 'clock' | 'publicUrl'>) {
  const { store, keyRing } = options

  async function requireOAuth2(connectorId: string): Promise<void> {
    const { connector } = await options.catalogue.get(connectorId)
    if (!connector.auth.some((m) => m.type === 'oauth2')) {
      throw new SwitchboardError(409, 'not_oauth2', `Connector "${connectorId}" has no OAuth2 auth method, so it needs no OAuth app.`)
    }
  }

  async function view(connectorId: string): Promise<OAuthApp> {
    await requireOAuth2(connectorId)
    const app = await store.get<OAuthAppRecord>('oauthApps', connectorId)
    const secret = await store.get<CredentialRecord>('credentials', appSecretId(connectorId))
    return {
      connectorId,
      configured: app !== undefined,
      ...(app ? { clientId: app.clientId, updatedAt: app.updatedAt } : {}),
      hasClientSecret: secret !== undefined,
      redirectUri: redirectUri(options.publicUrl),
    }
  }

  return {
    view,

    /** Sets the client id, and the secret when given (`null` removes it, omitted keeps it). */
    async put(connectorId: string, body: SetOAuthApp, userId: string): Promise<OAuthApp> {
      await requireOAuth2(connectorId)
      const at = options.clock().toISOString()
      const binding = { id: appSecretId(connectorId), authMethod: 'oauth-app' }
      await store.transaction(async (tx) => {
        await tx.put<OAuthAppRecord>('oauthApps', { id: connectorId, clientId: body.clientId, updatedAt: at, updatedBy: userId })
        if (body.clientSecret === null) await tx.delete('credentials', binding.id)
        else if (body.clientSecret !== undefined) {
          await putCredentials(tx, keyRing, binding, undefined, { values: { clientSecret: body.clientSecret } }, at)
        }
      })
      return view(connectorId)
    },

    async delete(connectorId: string): Promise<void> {
      await store.transaction(async (tx) => {
        await tx.delete('oauthApps', connectorId)
        await tx.delete('credentials', appSecretId(connectorId))
      })
    },

    /** The client id and secret, or 409 `oauth_app_missing` saying who sets them where. */
    async client(connectorId: string): Promise<ClientCredentials> {
      const app = await store.get<OAuthAppRecord>('oauthApps', connectorId)
      if (!app) {
        throw new SwitchboardError(
          409,
          'oauth_app_missing',
          `No OAuth app is set up for "${connectorId}" yet. The workspace owner registers one with the provider (redirect URI ` +
            `${redirectUri(options.publicUrl)}) and saves its client id and secret with PUT /api/connectors/${connectorId}/oauth-app.`,
          { details: { connectorId } },
        )
      }
      const sealed = await store.get<CredentialRecord>('credentials', appSecretId(connectorId))
      const secret = sealed ? openCredentials(keyRing, sealed).values.clientSecret : undefined
      return { clientId: app.clientId, ...(secret ? { clientSecret: secret } : {}) }
    },
  }
}

/** The OAuth app service's type. */
export type OAuthApps = ReturnType<typeof createOAuthApps>
