/**
 * Connector definitions and flow steps the OAuth2 tests share.
 */
import { expect } from 'vitest'
import type { Connector } from '../../runtime/types.ts'
import type { OAuth2Auth } from '../../schemas/types/connector.ts'
import type { Harness } from './harness.ts'
import type { Provider } from './provider.ts'

/**
 * A custom connector whose OAuth2 endpoints and API are the loopback provider's: scopes `read`, `write`,
 * `admin` (default `read`), a test that names the account, and one action per scope.
 *
 * @example
 * await h.addConnector(providerConnector('acme', provider.origin, { clientAuth: 'client_secret_post' }))
 */
export function providerConnector(id: string, origin: string, auth: Partial<OAuth2Auth> = {}, extra: Partial<Connector> = {}): Connector {
  return {
    id,
    name: `Provider ${id}`,
    baseUrl: origin,
    auth: [
      {
        type: 'oauth2',
        id: 'oauth',
        grant: 'authorization_code',
        authorizeUrl: `${origin}/authorize`,
        tokenUrl: `${origin}/token`,
        scopes: [{ value: 'read' }, { value: 'write' }, { value: 'admin' }],
        defaultScopes: ['read'],
        ...auth,
      } as OAuth2Auth,
    ],
    test: { method: 'GET', path: '/api/me', label: '{{body.login}}' },
    actions: [
      { key: 'list', name: 'List items', method: 'GET', path: '/api/items', scopes: ['read'] },
      { key: 'write', name: 'Write item', method: 'POST', path: '/api/items', body: { name: 'x' }, scopes: ['write'] },
      { key: 'admin', name: 'Administer', method: 'DELETE', path: '/api/items', scopes: ['admin'] },
    ],
    ...extra,
  } as Connector
}

/** Saves the workspace OAuth app for a connector with the provider's client. */
export async function setOAuthApp(h: Harness, connectorId: string, provider: Pick<Provider, 'options'>): Promise<void> {
  const res = await h.call('PUT', `/api/connectors/${connectorId}/oauth-app`, {
    body: { clientId: provider.options.clientId, clientSecret: provider.options.clientSecret },
  })
  expect(res.status, res.text).toBe(200)
}

/** Adds a connection to the default app; answers its id. */
export async function addConnection(h: Harness, connectorId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.call('POST', '/api/apps/default/connections', {
    body: { connectorId, name: `${connectorId} ${Math.random().toString(36).slice(2, 8)}`, ...extra },
  })
  expect(res.status, res.text).toBe(201)
  return res.body.id as string
}

/** The authorize route of a connection, as a path. */
export function authorizePath(id: string, query = ''): string {
  return `/api/apps/default/connections/${id}/oauth/authorize${query}`
}

/**
 * Drives the flow over real HTTP: the runtime's authorize route (302) → the provider's authorize endpoint
 * (302 back with code and state) → the runtime's callback (302 to the designer). Answers every hop.
 *
 * @example
 * const { final } = await authorize(h, id)
 * expect(final).toContain('oauth=success')
 */
export async function authorize(
  h: Harness,
  id: string,
  options: { token?: string; query?: string; callbackHeaders?: Record<string, string> } = {},
) {
  const start = await h.get(`${h.origin}${authorizePath(id, options.query)}`, { authorization: `Bearer ${options.token ?? h.token}` })
  expect(start.status, start.text).toBe(302)
  const providerUrl = start.location!
  const atProvider = await h.get(providerUrl)
  expect(atProvider.status).toBe(302)
  const callbackUrl = atProvider.location!
  expect(callbackUrl.startsWith(`${h.origin}/oauth/callback?`)).toBe(true)
  const back = await h.get(callbackUrl, options.callbackHeaders)
  expect(back.status).toBe(302)
  return { providerUrl: new URL(providerUrl), callbackUrl: new URL(callbackUrl), final: back.location! }
}

/** The outcome in a designer return URL (`#/apps/…?oauth=…&code=…&message=…`). */
export function outcome(location: string): { path: string; oauth: string | null; code: string | null; message: string | null } {
  const hash = new URL(location).hash.slice(1)
  const [path, query = ''] = hash.split('?')
  const params = new URLSearchParams(query)
  return { path: path!, oauth: params.get('oauth'), code: params.get('code'), message: params.get('message') }
}
