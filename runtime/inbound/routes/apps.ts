import { Hono } from 'hono'
import type { CreateApp, UpdateApp } from '../../../schemas/types/api.ts'
import type { Catalogue } from '../../core/catalogue/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRecord } from '../../types.ts'
import type { AuthVariables } from '../callers/index.ts'
import { idParam, readBody } from './body.ts'

/**
 * Reads an app or answers 404.
 *
 * @example
 * const app = await requireApp(store, 'default')
 */
export async function requireApp(store: Store, appId: string): Promise<AppRecord> {
  const app = await store.get<AppRecord>('apps', appId)
  if (!app) throw new SwitchboardError(404, 'app_not_found', `There is no app "${appId}". GET /api/apps lists them.`)
  return app
}

/**
 * The apps routes: list, create, read, and change (name, the actions the app uses).
 *
 * @example
 * app.route('/api/apps', appRoutes({ store, clock, newId }))
 */
export function appRoutes(deps: { store: Store; clock: () => Date; newId: (prefix: string) => string; catalogue: Catalogue }) {
  const { store } = deps
  return new Hono<{ Variables: AuthVariables }>()
    .get('/', async (c) => {
      const user = c.get('user')
      const apps = await store.list<AppRecord>('apps', (a) => user.owner || a.members.some((m) => m.userId === user.id))
      return c.json({ apps: apps.sort((a, b) => a.createdAt.localeCompare(b.createdAt)) })
    })
    .post('/', async (c) => {
      const body = await readBody<CreateApp>(c, 'CreateApp')
      if (body.name.trim() === '') {
        throw new SwitchboardError(400, 'invalid_body', 'The body is not valid: name must not be blank.', { details: { errors: [{ path: '/name', keyword: 'minLength', message: 'name must not be blank' }] } })
      }
      const user = c.get('user')
      // A chosen id that is taken would answer 409 for apps the caller cannot see: only the owner, who
      // sees every app, chooses ids; everyone else gets a generated one whatever exists.
      if (body.id !== undefined && !user.owner) {
        throw new SwitchboardError(403, 'forbidden', 'Only the workspace owner chooses app ids. Leave out "id" and one is generated.', { details: { required: 'owner' } })
      }
      const app: AppRecord = {
        id: body.id ?? deps.newId('app'),
        name: body.name.trim(),
        members: [{ userId: user.id, role: 'admin' }],
        createdAt: deps.clock().toISOString(),
      }
      try {
        await store.insert('apps', app)
      } catch (error) {
        if (error instanceof SwitchboardError && error.code === 'conflict') throw new SwitchboardError(409, 'app_exists', `An app "${app.id}" exists already. Choose another id.`)
        throw error
      }
      return c.json(app, 201)
    })
    .get('/:appId', async (c) => c.json(await requireApp(store, idParam(c, 'appId', 'app'))))
    .patch('/:appId', async (c) => {
      const appId = (await requireApp(store, idParam(c, 'appId', 'app'))).id
      const body = await readBody<UpdateApp>(c, 'UpdateApp')
      for (const [i, ref] of (body.actions ?? []).entries()) {
        const [connectorId, actionKey] = ref.split('.') as [string, string]
        const connector = await deps.catalogue.get(connectorId).then((e) => e.connector, () => undefined)
        if (!connector?.actions?.some((a) => a.key === actionKey)) {
          const message = connector ? `Connector "${connectorId}" has no action "${actionKey}".` : `There is no connector "${connectorId}".`
          throw new SwitchboardError(400, 'unknown_action', `actions[${i}]: ${message}`, { details: { errors: [{ path: `/actions/${i}`, keyword: 'unknownAction', message }] } })
        }
      }
      const updated = await store.update<AppRecord>('apps', appId, (app) => app && {
        ...app,
        ...(body.name === undefined ? {} : { name: body.name.trim() }),
        ...(body.actions === undefined ? {} : { actions: body.actions }),
      })
      return c.json(updated)
    })
}
