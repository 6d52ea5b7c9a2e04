import { Hono } from 'hono'
import type { App, AppList, CreateApp, UpdateApp } from '../../../schemas/types/api.ts'
import type { Catalogue } from '../../core/catalogue/index.ts'
import { SwitchboardError } from '../../errors.ts'
import { readAll, type Store } from '../../platform/store/index.ts'
import type { AppRecord } from '../../types.ts'
import { appOf, forbidden, type Policy, type RouteEnv } from '../access/index.ts'
import { readBody } from './body.ts'

/**
 * The apps routes: list, create, read, and change (name, the actions and connectors the app uses).
 *
 * @example
 * app.route('/api/apps', appRoutes({ policy, store, clock, newId, catalogue }))
 */
export function appRoutes(deps: {
  policy: Policy
  store: Store
  clock: () => Date
  newId: (prefix: string) => string
  catalogue: Catalogue
}) {
  const { store, policy } = deps
  return new Hono<RouteEnv>()
    .get('/', policy({ role: 'signed-in', what: 'list apps' }), async (c) => {
      const user = c.get('user')
      const apps = user.owner
        ? await readAll<AppRecord>(store, 'apps')
        : await store.find<AppRecord>('apps', 'byMember', { equals: [user.id] })
      return c.json<AppList>({ apps: apps.sort((a, b) => a.createdAt.localeCompare(b.createdAt)) })
    })
    .post('/', policy({ role: 'signed-in', what: 'create apps' }), async (c) => {
      const body = await readBody<CreateApp>(c, 'CreateApp')
      if (body.name.trim() === '') {
        throw new SwitchboardError(400, 'invalid_body', 'The body is not valid: name must not be blank.', {
          details: { errors: [{ path: '/name', keyword: 'minLength', message: 'name must not be blank' }] },
        })
      }
      const user = c.get('user')
      // A chosen id that is taken would answer 409 for apps the caller cannot see: only the owner, who
      // sees every app, chooses ids; everyone else gets a generated one whatever exists.
      if (body.id !== undefined && !user.owner)
        throw forbidden('Only the workspace owner chooses app ids. Leave out "id" and one is generated.', { required: 'owner' })
      const app: AppRecord = {
        id: body.id ?? deps.newId('app'),
        name: body.name.trim(),
        members: [{ userId: user.id, role: 'admin' }],
        createdAt: deps.clock().toISOString(),
      }
      try {
        await store.insert('apps', app)
      } catch (error) {
        if (error instanceof SwitchboardError && error.code === 'conflict')
          throw new SwitchboardError(409, 'app_exists', `An app "${app.id}" exists already. Choose another id.`)
        throw error
      }
      return c.json<App>(app, 201)
    })
    .get('/:appId', policy({ role: 'member', what: 'read the app' }), (c) => c.json<App>(appOf(c)))
    .patch('/:appId', policy({ role: 'admin', what: "change the app's name, or the actions and connectors it uses" }), async (c) => {
      const body = await readBody<UpdateApp>(c, 'UpdateApp')
      for (const [i, ref] of (body.actions ?? []).entries()) {
        const [connectorId, actionKey] = ref.split('.') as [string, string]
        const connector = await deps.catalogue.get(connectorId).then(
          (e) => e.connector,
          () => undefined,
        )
        if (!connector?.actions?.some((a) => a.key === actionKey)) {
          const message = connector ? `Connector "${connectorId}" has no action "${actionKey}".` : `There is no connector "${connectorId}".`
          throw new SwitchboardError(400, 'unknown_action', `actions[${i}]: ${message}`, {
            details: { errors: [{ path: `/actions/${i}`, keyword: 'unknownAction', message }] },
          })
        }
      }
      for (const [i, connectorId] of (body.connectors ?? []).entries()) {
        if (
          !(await deps.catalogue.get(connectorId).then(
            () => true,
            () => false,
          ))
        ) {
          const message = `There is no connector "${connectorId}". GET /api/connectors lists them.`
          throw new SwitchboardError(400, 'unknown_connector', `connectors[${i}]: ${message}`, {
            details: { errors: [{ path: `/connectors/${i}`, keyword: 'unknownConnector', message }] },
          })
        }
      }
      const updated = await store.update<AppRecord>(
        'apps',
        appOf(c).id,
        (app) =>
          app && {
            ...app,
            ...(body.name === undefined ? {} : { name: body.name.trim() }),
            ...(body.actions === undefined ? {} : { actions: body.actions }),
            ...(body.connectors === undefined ? {} : { connectors: body.connectors }),
          },
      )
      return c.json<App>(updated!)
    })
}
