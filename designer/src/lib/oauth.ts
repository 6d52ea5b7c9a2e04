import { call } from './api.ts'
import type { Connector, OAuth2Auth, OAuthAuthorization, SetOAuthApp } from './types.ts'

/**
 * The workspace's OAuth app per connector. Everyone signed in may read it; only the owner changes it.
 *
 * @example
 * const app = await oauthApps.get('github')
 * await oauthApps.put('github', { clientId: 'Iv1.8a61', clientSecret: null }) // removes the secret
 */
export const oauthApps = {
  get: (id: string) => call('GET /api/connectors/:id/oauth-app', { params: { id } }),
  put: (id: string, body: SetOAuthApp) => call('PUT /api/connectors/:id/oauth-app', { params: { id }, body }),
  remove: (id: string) => call('DELETE /api/connectors/:id/oauth-app', { params: { id } }),
}

/**
 * Starts an authorization: the runtime creates the flow's state and answers the provider's URL, which the
 * browser then opens. `extra` scopes are asked for on top of the defaults and what was granted.
 *
 * @example
 * location.href = (await authorize('default', 'c_1', ['gist'])).url
 */
export function authorize(appId: string, id: string, extra: readonly string[] = []): Promise<OAuthAuthorization> {
  const query = { format: 'json' as const, ...(extra.length ? { scopes: extra.join(',') } : {}) }
  return call('GET /api/apps/:appId/connections/:id/oauth/authorize', { params: { appId, id }, query })
}

/** The connector's OAuth2 methods, if any. */
export function oauthMethods(connector: Connector): OAuth2Auth[] {
  return connector.auth.filter((m): m is OAuth2Auth => m.type === 'oauth2')
}

/** A scope as the chips show it. */
export interface ScopeChip {
  value: string
  description?: string
  /** `default`: every connection asks for it; `granted`: this connection has it; `optional`: may be ticked. */
  source: 'default' | 'granted' | 'optional'
}

/**
 * What a connect will ask for (defaults, then what the connection was granted, as the runtime does) and
 * what a person may add.
 *
 * @example
 * scopeChips(method, ['repo'])
 * // { requested: [{ value: 'read:user', source: 'default' }, { value: 'repo', source: 'granted' }], optional: [...] }
 */
export function scopeChips(method: OAuth2Auth, granted: readonly string[] = []): { requested: ScopeChip[]; optional: ScopeChip[] } {
  const described = new Map((method.scopes ?? []).map((s) => [s.value, s.description]))
  const chip = (value: string, source: ScopeChip['source']): ScopeChip => ({
    value,
    source,
    ...(described.get(value) ? { description: described.get(value)! } : {}),
  })
  const defaults = method.defaultScopes ?? []
  const requested = [
    ...defaults.map((v) => chip(v, 'default')),
    ...granted.filter((v) => !defaults.includes(v)).map((v) => chip(v, 'granted')),
  ]
  const asked = new Set(requested.map((c) => c.value))
  return { requested, optional: (method.scopes ?? []).filter((s) => !asked.has(s.value)).map((s) => chip(s.value, 'optional')) }
}
