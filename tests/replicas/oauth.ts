/**
 * OAuth2 steps over replicas: a connector on the loopback provider, and the authorization-code flow started on
 * one replica and finished on another, the way a load balancer may route the two requests. Every replica has
 * the same public URL, so the redirect URI is one; the test chooses which replica the callback reaches.
 */
import { providerConnector } from '../oauth2/flow.ts'
import type { Provider } from '../oauth2/provider.ts'
import type { Answer, Replica, Replicas } from './replicas.ts'

/**
 * Saves the provider's connector and OAuth app and adds a shared connection to the default app, all through
 * `on`; answers the connection's id.
 *
 * @example
 * const id = await oauthConnection(replicas, a, 'acme', provider)
 */
export async function oauthConnection(replicas: Replicas, on: Replica, connectorId: string, provider: Provider): Promise<string> {
  const steps: Array<[string, string, unknown, number]> = [
    ['POST', '/api/connectors', providerConnector(connectorId, provider.origin), 201],
    [
      'PUT',
      `/api/connectors/${connectorId}/oauth-app`,
      { clientId: provider.options.clientId, clientSecret: provider.options.clientSecret },
      200,
    ],
    ['POST', '/api/apps/default/connections', { connectorId, name: `${connectorId} on replicas` }, 201],
  ]
  let last: Answer | undefined
  for (const [method, path, body, status] of steps) {
    last = await replicas.call(on, method, path, { body })
    if (last.status !== status) throw new Error(`${method} ${path} on replica ${on.name}: ${last.status} ${last.text}`)
  }
  return last!.body.id as string
}

/** Every hop of a flow: where the provider was asked, where it sent the person back, and the designer link at the end. */
export interface FlowHops {
  providerUrl: URL
  /** The callback as the provider addressed it: on the shared public URL. */
  callbackUrl: URL
  /** The same callback, sent to the replica that finished the flow. */
  callbackPath: string
  final: string
}

/**
 * The authorization-code flow over real HTTP: the authorize route on `start` (302 to the provider), the
 * provider's authorize endpoint (302 to `<public URL>/oauth/callback?code&state`), and that callback sent to
 * `finish`. Throws when a hop does not redirect where it should.
 *
 * @example
 * const { final } = await authorizeAcross(replicas, id, a, c)
 * new URL(final).hash // '#/apps/default/connections/…?oauth=success'
 */
export async function authorizeAcross(replicas: Replicas, connectionId: string, start: Replica, finish: Replica): Promise<FlowHops> {
  const begun = await replicas.call(start, 'GET', `/api/apps/default/connections/${connectionId}/oauth/authorize`)
  if (begun.status !== 302 || !begun.location) throw new Error(`authorize on replica ${start.name}: ${begun.status} ${begun.text}`)
  const providerUrl = new URL(begun.location)
  const atProvider = await fetch(providerUrl, { redirect: 'manual' })
  const back = atProvider.headers.get('location')
  if (atProvider.status !== 302 || !back) throw new Error(`the provider answered ${atProvider.status}`)
  const callbackUrl = new URL(back)
  if (callbackUrl.origin !== replicas.publicUrl) throw new Error(`the provider sent the person to ${callbackUrl.origin}`)
  const callbackPath = `${callbackUrl.pathname}${callbackUrl.search}`
  const done = await replicas.call(finish, 'GET', callbackPath, { token: null })
  if (done.status !== 302 || !done.location) throw new Error(`callback on replica ${finish.name}: ${done.status} ${done.text}`)
  return { providerUrl, callbackUrl, callbackPath, final: done.location }
}

/**
 * The outcome a designer return link carries (`#/apps/…?oauth=…&code=…`).
 *
 * @example
 * oauthOutcome(final) // { oauth: 'success', code: null }
 */
export function oauthOutcome(location: string): { oauth: string | null; code: string | null } {
  const query = new URLSearchParams(new URL(location).hash.split('?')[1] ?? '')
  return { oauth: query.get('oauth'), code: query.get('code') }
}
