import { Hono, type Context } from 'hono'
import type { CloneConnection, CreateConnection, RunAction, SetCredentials, UpdateConnection } from '../../../schemas/types/api.ts'
import { recordAction, runAction, type RunLog } from '../../core/actions/index.ts'
import type { OAuth2 } from '../../core/auth/oauth2/index.ts'
import type { ConnectionTests } from '../../core/connection-tests/index.ts'
import { loadConnection } from '../../core/connections/index.ts'
import type { ConnectionService } from '../../core/lifecycle/index.ts'
import type { Catalogue } from '../../core/catalogue/index.ts'
import type { Store } from '../../platform/store/index.ts'
import type { ConnectionUseCore, RetryPolicy } from '../../core/use/index.ts'
import type { AuthVariables } from '../callers/index.ts'
import { requireApp } from './apps.ts'
import { idParam, readBody } from './body.ts'

type Ctx = Context<{ Variables: AuthVariables }>

/**
 * An app's connections: list, add, read, change, delete, connect/unauthorize, clone, test, run
 * actions and list recent runs.
 *
 * @example
 * app.route('/api/apps/:appId/connections', connectionRoutes({ store, connections }))
 */
export function connectionRoutes(deps: {
  store: Store
  catalogue: Catalogue
  connections: ConnectionService
  tests: ConnectionTests
  use: ConnectionUseCore
  publicUrl: string
  clock: () => Date
  runs: RunLog
  retry?: RetryPolicy | undefined
  oauth2?: OAuth2
}) {
  const { connections } = deps
  const app = async (c: Ctx) => (await requireApp(deps.store, idParam(c, 'appId', 'app'))).id
  const actor = (c: Ctx) => ({ userId: c.get('user').id })
  const id = (c: Ctx) => idParam(c, 'id', 'connection')

  return new Hono<{ Variables: AuthVariables }>()
    .get('/', async (c) => c.json({ connections: await connections.list(await app(c), actor(c)) }))
    .post('/', async (c) => {
      const appId = await app(c)
      return c.json(await connections.create(appId, await readBody<CreateConnection>(c, 'CreateConnection'), actor(c)), 201)
    })
    .get('/:id', async (c) => c.json(await connections.get(await app(c), id(c), actor(c))))
    .patch('/:id', async (c) => {
      const appId = await app(c)
      return c.json(await connections.update(appId, id(c), await readBody<UpdateConnection>(c, 'UpdateConnection'), actor(c)))
    })
    .delete('/:id', async (c) => {
      await connections.delete(await app(c), id(c))
      return c.body(null, 204)
    })
    .put('/:id/credentials', async (c) => {
      const appId = await app(c)
      const body = await readBody<SetCredentials>(c, 'SetCredentials')
      // Client-credentials methods connect by fetching a token; every other method stores what was typed.
      const granted = await deps.oauth2?.connectClientCredentials(appId, id(c), body, actor(c))
      return c.json(granted ?? await connections.setCredentials(appId, id(c), body, actor(c)))
    })
    .delete('/:id/credentials', async (c) => c.json(await connections.unauthorize(await app(c), id(c), actor(c))))
    .post('/:id/clone', async (c) => {
      const appId = await app(c)
      return c.json(await connections.clone(appId, id(c), await readBody<CloneConnection>(c, 'CloneConnection'), actor(c)), 201)
    })
    .post('/:id/test', async (c) => c.json(await deps.tests.run(await app(c), id(c), actor(c))))
    .post('/:id/actions/:actionKey', async (c) => {
      const appId = await app(c)
      const actionKey = idParam(c, 'actionKey', 'action')
      const body = await readBody<RunAction>(c, 'RunAction')
      const run = { appId, connectionId: id(c), userId: actor(c).userId, mode: body.mode ?? 'user', action: actionKey }
      return c.json(await recordAction(deps.runs, run, () => runAction(deps, { appId, id: id(c), actionKey, body, actor: actor(c), retry: deps.retry })))
    })
    .get('/:id/runs', async (c) => {
      const appId = await app(c)
      const { record } = await loadConnection(deps, appId, id(c))
      return c.json({ runs: deps.runs.list(appId, record.id), capacity: deps.runs.capacity })
    })
}
