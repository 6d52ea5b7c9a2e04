import { type Context, Hono } from 'hono'
import type {
  CloneConnection,
  ConnectionList,
  CreateConnection,
  RunAction,
  RunList,
  SetCredentials,
  UpdateConnection,
} from '../../../schemas/types/api.ts'
import type { RunLog } from '../../core/actions/index.ts'
import type { OAuth2 } from '../../core/auth/oauth2/index.ts'
import type { ConnectionTests } from '../../core/connection-tests/index.ts'
import type { ConnectionService } from '../../core/lifecycle/index.ts'
import type { ConnectionUseCore, RetryPolicy } from '../../core/use/index.ts'
import type { Store } from '../../platform/store/index.ts'
import { appOf, assertOwnCredentialsOnly, audited, connectionOf, idParam, type Policy, type RouteEnv, roleOf } from '../access/index.ts'
import { credentialCount, connectionEvents as events, hasCredentials } from '../audit/index.ts'
import { readBody } from './body.ts'
import { runRecorded } from './run-recorded.ts'
import { readRunQuery, runPage } from './runs.ts'

type Ctx = Context<RouteEnv>

/**
 * An app's connections: list, add, read, change, delete, connect/unauthorize, clone, test, run
 * actions and list recent runs. Each route declares who may call it and what it records in the audit
 * trail; the connection it works on is read once, by the policy or the route, and shared.
 *
 * @example
 * app.route('/api/apps/:appId/connections', connectionRoutes({ policy, store, connections, tests, use, runs, publicUrl, clock }))
 */
export function connectionRoutes(deps: {
  policy: Policy
  store: Store
  connections: ConnectionService
  tests: ConnectionTests
  use: ConnectionUseCore
  publicUrl: string
  clock: () => Date
  runs: RunLog
  retry?: RetryPolicy | undefined
  oauth2?: OAuth2
}) {
  const { connections, policy, store } = deps
  const actor = (c: Ctx) => ({ userId: c.get('user').id })
  const id = (c: Ctx) => idParam(c, 'id', 'connection')

  return new Hono<RouteEnv>()
    .get('/', policy({ role: 'member', what: 'list connections' }), async (c) =>
      c.json<ConnectionList>({ connections: await connections.list(appOf(c).id, actor(c)) }),
    )
    .post('/', policy({ role: 'admin', what: 'add connections', audit: 'connection.created' }), async (c) => {
      const made = await connections.create(appOf(c).id, await readBody<CreateConnection>(c, 'CreateConnection'), actor(c))
      await audited(c, events.created(made))
      return c.json(made, 201)
    })
    .get('/:id', policy({ role: 'member', what: 'read connections' }), async (c) =>
      c.json(await connections.view(await connectionOf(c), actor(c))),
    )
    .patch(
      '/:id',
      policy({
        role: 'admin',
        what: "change a connection's name, base URL, fields or sharing",
        audit: ['connection.updated', 'connection.sharing_changed'],
      }),
      async (c) => {
        const change = await readBody<UpdateConnection>(c, 'UpdateConnection')
        const { record } = await connectionOf(c)
        const held = await credentialCount(store, record.id)
        const after = await connections.update(record.appId, record.id, change, actor(c))
        const entry = events.updated(record, change, after, held - (await credentialCount(store, record.id)))
        if (entry) await audited(c, entry)
        return c.json(after)
      },
    )
    .delete('/:id', policy({ role: 'admin', what: 'delete connections', audit: 'connection.deleted' }), async (c) => {
      const { record } = await connectionOf(c)
      const held = await credentialCount(store, record.id)
      await connections.delete(record.appId, record.id)
      await audited(c, events.deleted(record, held))
      return c.body(null, 204)
    })
    .put(
      '/:id/credentials',
      policy({
        role: 'member',
        shared: 'admin',
        what: 'connect a shared connection (its credentials serve everyone)',
        audit: ['connection.connected', 'connection.reconnected'],
      }),
      async (c) => {
        const body = await readBody<SetCredentials>(c, 'SetCredentials')
        const loaded = await connectionOf(c)
        if (roleOf(c) !== 'admin') assertOwnCredentialsOnly(loaded, body)
        const { record } = loaded
        const reconnected = await hasCredentials(store, record, actor(c).userId)
        // Client-credentials methods connect by fetching a token; every other method stores what was typed.
        const granted = await deps.oauth2?.connectClientCredentials(record.appId, record.id, body, actor(c))
        const after = granted ?? (await connections.setCredentials(record.appId, record.id, body, actor(c)))
        await audited(c, events.connected(record, after, reconnected))
        return c.json(after)
      },
    )
    .delete(
      '/:id/credentials',
      policy({ role: 'member', shared: 'admin', what: 'unauthorize a shared connection', audit: 'connection.unauthorized' }),
      async (c) => {
        const { record } = await connectionOf(c)
        const held = await credentialCount(store, record.id)
        const after = await connections.unauthorize(record.appId, record.id, actor(c))
        await audited(c, events.unauthorized(record, held - (await credentialCount(store, record.id))))
        return c.json(after)
      },
    )
    .post('/:id/clone', policy({ role: 'admin', what: 'clone connections', audit: 'connection.created' }), async (c) => {
      const body = await readBody<CloneConnection>(c, 'CloneConnection')
      const made = await connections.clone(appOf(c).id, id(c), body, actor(c))
      await audited(c, events.created(made, id(c)))
      return c.json(made, 201)
    })
    .post('/:id/test', policy({ role: 'member', what: 'test connections', audit: 'connection.tested' }), async (c) => {
      const { record } = await connectionOf(c)
      const result = await deps.tests.run(record.appId, record.id, actor(c))
      await audited(c, events.tested(record, result))
      return c.json(result)
    })
    .post('/:id/actions/:actionKey', policy({ role: 'member', what: 'run actions', audit: 'action.run' }), async (c) => {
      const { record } = await connectionOf(c)
      const actionKey = idParam(c, 'actionKey', 'action')
      return c.json(await runRecorded(c, deps, record, actionKey, () => readBody<RunAction>(c, 'RunAction')))
    })
    .get('/:id/runs', policy({ role: 'member', what: 'list runs' }), async (c) => {
      const { record } = await connectionOf(c)
      return c.json<RunList>(await runPage(deps.runs, record.appId, { ...readRunQuery(c), connectionId: record.id }))
    })
}
