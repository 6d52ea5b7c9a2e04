/**
 * A workspace with people in every role, over the runtime harness: the owner, an admin and two members
 * of app `default`, a member of another app, and a user whose token is revoked; a custom connector
 * whose requests go to a real upstream on 127.0.0.1 that records every request's token.
 */
import { type CallOptions, createHarness, type Harness, startUpstream, type Upstream } from '../runtime/harness.ts'

export type Actor = 'owner' | 'admin' | 'member' | 'outsider' | 'revoked' | 'none'
export const ACTORS: readonly Actor[] = ['owner', 'admin', 'member', 'outsider', 'revoked', 'none']

export interface World {
  h: Harness
  upstream: Upstream
  tokens: Record<Actor, string | null>
  userIds: Record<'owner' | 'admin' | 'member' | 'member2' | 'outsider' | 'revoked', string>
  member2Token: string
  as(actor: Actor | string | null, method: string, path: string, options?: Omit<CallOptions, 'token'>): ReturnType<Harness['call']>
  /** Creates a connection as the owner and returns its id; shared ones get the admin's canary. */
  connection(sharing: 'shared' | 'personal', name?: string): Promise<string>
  close(): Promise<void>
}

/** The lab connector: bearer token, base URL as a field, one action, a test request. */
export function labConnector(origin: string) {
  return {
    id: 'acl-lab',
    name: 'ACL lab',
    baseUrl: '{{baseUrl}}',
    // The same scheme and port on another loopback address: a move there keeps the credentials.
    allowedHosts: [`http://127.0.0.2:${new URL(origin).port}`],
    fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true, default: origin }],
    auth: [{ type: 'bearer', id: 'token', fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }], token: '{{token}}' }],
    test: { method: 'GET', path: '/me', successStatus: [200] },
    actions: [{ key: 'ping', name: 'Ping', method: 'GET', path: '/ping' }],
  }
}

/** The canary token of a user: what the upstream sees when that user's credentials are used. */
export const canary = (who: string) => `CANARY-${who}-7f3a`

let counter = 0

export async function createWorld(): Promise<World> {
  const h = await createHarness()
  const upstream = await startUpstream(() => ({ body: { ok: true } }))
  const owner = (method: string, path: string, body?: unknown) => h.call(method, path, body === undefined ? {} : { body })
  const must = async (res: Promise<{ status: number; body: any; text: string }>, status: number) => {
    const r = await res
    if (r.status !== status) throw new Error(`setup: expected ${status}, got ${r.status} ${r.text}`)
    return r.body
  }
  await must(owner('POST', '/api/connectors', labConnector(upstream.origin)), 201)
  await must(owner('POST', '/api/apps', { id: 'other', name: 'Other app' }), 201)
  const userIds = { owner: 'owner' } as World['userIds']
  const tokens = { owner: h.token, none: null } as World['tokens']
  const extra: Record<string, string> = {}
  for (const [who, app, role] of [
    ['admin', 'default', 'admin'],
    ['member', 'default', 'member'],
    ['member2', 'default', 'member'],
    ['outsider', 'other', 'member'],
    ['revoked', 'default', 'member'],
  ] as const) {
    const user = await must(owner('POST', '/api/users', { name: who, email: `${who}@example.com` }), 201)
    userIds[who] = user.id
    await must(owner('PUT', `/api/apps/${app}/members/${user.id}`, { role }), 200)
    const issued = await must(owner('POST', `/api/users/${user.id}/tokens`, { name: `${who} token` }), 201)
    if (who === 'member2') extra.member2 = issued.token
    else tokens[who] = issued.token
    if (who === 'revoked') await must(owner('DELETE', `/api/tokens/${issued.id}`), 200)
  }
  const as: World['as'] = (actor, method, path, options = {}) => {
    const token = actor === null ? null : actor in tokens ? tokens[actor as Actor] : actor
    return h.call(method, path, { ...options, token })
  }
  // Every token's first use records lastUsedAt; do it now so later requests write nothing of their own.
  for (const actor of ACTORS) await as(actor, 'GET', '/api/me')
  await as(extra.member2!, 'GET', '/api/me')
  await h.settle()
  return {
    h,
    upstream,
    tokens,
    userIds,
    member2Token: extra.member2!,
    as,
    async connection(sharing, name = `conn ${++counter}`) {
      const made = await must(
        owner('POST', '/api/apps/default/connections', { connectorId: 'acl-lab', name, sharing, values: { baseUrl: upstream.origin } }),
        201,
      )
      if (sharing === 'shared')
        await must(
          as('admin', 'PUT', `/api/apps/default/connections/${made.id}/credentials`, { body: { values: { token: canary('admin') } } }),
          200,
        )
      return made.id
    },
    async close() {
      await upstream.close()
      await h.close()
    },
  }
}
