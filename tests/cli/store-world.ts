/**
 * A workspace with a record in every collection, made through the API of a runtime in-process on the
 * embedded store: people in every role (tokens, one revoked), two apps, custom connectors, a shared connection
 * with the admin's credentials and a personal one with a member's, a workspace OAuth app (a sealed client
 * secret), a started OAuth flow (its state), an action run, a failed token renewal (the backoff record), a webhook
 * with its deliveries, the health schedule, and the audit trail with its sequences.
 */
import { expect } from 'vitest'
import { COLLECTIONS, type CollectionName, readAll } from '../../runtime/platform/store/index.ts'
import { canary, createWorld, type World } from '../access/fixture.ts'
import { startUpstream, type Upstream } from '../runtime/harness.ts'

export interface StoreWorld {
  w: World
  /** The token endpoint of the client-credentials connector. */
  auth: Upstream
  shared: string
  personal: string
  /** `GET /api/apps/default/connections` as the owner, as it was when the world was made. */
  listed: unknown
  close(): Promise<void>
}

const m2mConnector = (origin: string, tokenUrl: string) => ({
  id: 'm2m-lab',
  name: 'Machine lab',
  baseUrl: origin,
  auth: [
    {
      type: 'oauth2',
      id: 'clientCredentials',
      grant: 'client_credentials',
      tokenUrl,
      fields: [
        { key: 'clientId', label: 'Client ID', type: 'text', required: true },
        { key: 'clientSecret', label: 'Client secret', type: 'secret', required: true },
      ],
    },
  ],
  test: { method: 'GET', path: '/me' },
  actions: [{ key: 'ping', name: 'Ping', method: 'GET', path: '/ping' }],
})

const codeConnector = (origin: string) => ({
  id: 'code-lab',
  name: 'Code lab',
  baseUrl: origin,
  auth: [{ type: 'oauth2', id: 'oauth', grant: 'authorization_code', authorizeUrl: `${origin}/authorize`, tokenUrl: `${origin}/token` }],
  test: { method: 'GET', path: '/me' },
})

/**
 * Makes the world; every collection holds at least one record when it resolves, and the store is closed,
 * so a command or another runtime may open the data directory (`w.h.dir`).
 *
 * @example
 * const world = await createStoreWorld()
 * await switchboard(['store', 'migrate', '--from', world.w.h.dir, '--to', url])
 */
export async function createStoreWorld(): Promise<StoreWorld> {
  const w = await createWorld()
  const { h } = w
  let tokenAnswer: 'ok' | 'fail' = 'ok'
  const auth = await startUpstream(() =>
    tokenAnswer === 'ok'
      ? { body: { access_token: `at-${Math.random().toString(36).slice(2)}`, token_type: 'Bearer', expires_in: 30 } }
      : { status: 500, body: { error: 'server_error' } },
  )
  const ok = async (response: Promise<{ status: number; text: string }>, status = 200) => {
    const res = await response
    expect(res.status, res.text).toBe(status)
    return res as { status: number; text: string; body: any }
  }

  // A webhook first: the connections below are events it is sent (deliveries), and each is put on the health schedule.
  await ok(
    h.call('POST', '/api/apps/default/webhooks', { body: { url: `${w.upstream.origin}/hook`, events: ['connection.created'] } }),
    201,
  )
  const shared = await w.connection('shared', 'Shared lab')
  const personal = await w.connection('personal', 'Personal lab')
  const own = { body: { values: { token: canary('member') } } }
  await ok(w.as('member', 'PUT', `/api/apps/default/connections/${personal}/credentials`, own))
  await ok(w.as('admin', 'POST', `/api/apps/default/connections/${shared}/actions/ping`, { body: {} }))
  // The app's binding of a connector to its shared connection.
  const sharedConnector = (await ok(h.call('GET', `/api/apps/default/connections/${shared}`))).body.connectorId
  await ok(h.call('PUT', `/api/apps/default/setup/${sharedConnector}`, { body: { connectionId: shared } }))

  await ok(h.call('POST', '/api/connectors', { body: codeConnector(auth.origin) }), 201)
  await ok(h.call('PUT', '/api/connectors/code-lab/oauth-app', { body: { clientId: 'lab-client', clientSecret: 'lab-client-secret' } }))
  const code = await ok(h.call('POST', '/api/apps/default/connections', { body: { connectorId: 'code-lab', name: 'Code' } }), 201)
  await ok(h.call('GET', `/api/apps/default/connections/${code.body.id}/oauth/authorize?format=json`))

  // A token due for renewal at once (30 s, inside the margin), then a token endpoint that fails: the call goes on with
  // the token held, and the failure is remembered (the backoff record).
  await ok(h.call('POST', '/api/connectors', { body: m2mConnector(w.upstream.origin, `${auth.origin}/token`) }), 201)
  const m2m = await ok(
    h.call('POST', '/api/apps/default/connections', { body: { connectorId: 'm2m-lab', name: 'M2M', values: { clientId: 'm2m-client' } } }),
    201,
  )
  const client = { body: { values: { clientId: 'm2m-client', clientSecret: 'm2m-secret' } } }
  await ok(h.call('PUT', `/api/apps/default/connections/${m2m.body.id}/credentials`, client))
  tokenAnswer = 'fail'
  await ok(h.call('POST', `/api/apps/default/connections/${m2m.body.id}/actions/ping`, { body: {} }))

  const listed = (await ok(h.call('GET', '/api/apps/default/connections'))).body
  await h.runtime.webhooks.idle()
  await h.settle()
  for (const collection of Object.keys(COLLECTIONS) as CollectionName[]) {
    expect((await readAll(h.store, collection)).length, `${collection} holds a record`).toBeGreaterThan(0)
  }
  await h.store.close()
  return {
    w,
    auth,
    shared,
    personal,
    listed,
    async close() {
      await auth.close()
      await w.close()
    },
  }
}
