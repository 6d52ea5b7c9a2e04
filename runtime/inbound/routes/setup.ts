import { Hono } from 'hono'
import type { ActionResult, AppSetup, BindingScope, RunAction, SetBinding, SetupTool } from '../../../schemas/types/api.ts'
import { actionOf } from '../../core/actions/index.ts'
import type { Catalogue } from '../../core/catalogue/index.ts'
import type { AppSetupService } from '../../core/setup/index.ts'
import { SwitchboardError } from '../../errors.ts'
import { appOf, audited, forbidden, idParam, type Policy, type RouteEnv, roleOf } from '../access/index.ts'
import { readBody } from './body.ts'
import { type RunDeps, runRecorded } from './run-recorded.ts'

/**
 * An app's setup and runs by connector, under `/api/apps/:appId`:
 * - `GET /setup`: every connector the app needs, with its state for the caller;
 * - `PUT /setup/:connectorId`: binds it to a connection: for the app (app admins; shared or personal), or the
 *   caller's own pick among personal connections; a member never binds a shared connection;
 * - `DELETE /setup/:connectorId[?scope=app]`: clears the caller's own binding, or the app's (app admins);
 * - `POST /run/:connectorId/:actionKey`: runs an action through the connection the caller's binding, the app's
 *   binding or the only connection names, by the same path as `…/connections/:id/actions/:actionKey`.
 *
 * @example
 * app.route('/api/apps/:appId', setupRoutes({ policy, catalogue, setup, use, runs, publicUrl, clock }))
 */
export function setupRoutes(deps: RunDeps & { policy: Policy; catalogue: Catalogue; setup: AppSetupService }) {
  const { policy, setup } = deps
  const actor = (c: { get(key: 'user'): { id: string } }) => ({ userId: c.get('user').id })
  const appScope = (what: string) =>
    forbidden(`To ${what} for the whole app you need the app admin role; you are a member. You can bind your own personal connections.`, {
      required: 'admin',
      role: 'member',
    })

  return new Hono<RouteEnv>()
    .get('/setup', policy({ role: 'member', what: "read the app's setup" }), async (c) =>
      c.json<AppSetup>(await setup.view(appOf(c), actor(c))),
    )
    .put('/setup/:connectorId', policy({ role: 'member', what: 'choose the connection a tool uses', audit: 'binding.set' }), async (c) => {
      const connectorId = idParam(c, 'connectorId', 'connector')
      const body = await readBody<SetBinding>(c, 'SetBinding')
      const app = appOf(c)
      // A member binds only for themselves: a shared connection, and any binding for everyone, is the app's.
      const bound = await setup.bind(app, connectorId, body, actor(c), (scope) => {
        if (scope === 'app' && roleOf(c) !== 'admin') throw appScope('choose the connection a tool uses')
      })
      await audited(c, {
        event: 'binding.set',
        connectionId: bound.connection.id,
        connectorId,
        connectionName: bound.connection.name,
        details: { scope: bound.scope },
      })
      return c.json<SetupTool>(bound.tool)
    })
    .delete(
      '/setup/:connectorId',
      policy({ role: 'member', what: 'clear the connection a tool uses', audit: 'binding.cleared' }),
      async (c) => {
        const connectorId = idParam(c, 'connectorId', 'connector')
        const scope = bindingScope(c.req.query('scope'))
        if (scope === 'app' && roleOf(c) !== 'admin') throw appScope('clear the connection a tool uses')
        const cleared = await setup.clear(appOf(c), connectorId, scope, actor(c))
        if (cleared.removed) await audited(c, { event: 'binding.cleared', connectorId, details: { scope } })
        return c.json<SetupTool>(cleared.tool)
      },
    )
    .post('/run/:connectorId/:actionKey', policy({ role: 'member', what: 'run actions', audit: 'action.run' }), async (c) => {
      const connectorId = idParam(c, 'connectorId', 'connector')
      const actionKey = idParam(c, 'actionKey', 'action')
      // An unknown tool or action is said before anything about connections.
      actionOf((await deps.catalogue.get(connectorId)).connector, actionKey)
      const body = await readBody<RunAction>(c, 'RunAction')
      const connection = await setup.connectionFor(appOf(c), connectorId, actor(c), body.mode ?? 'user')
      const result = await runRecorded(c, deps, connection, actionKey, async () => body)
      return c.json<ActionResult>({ ...result, connectionId: connection.id })
    })
}

function bindingScope(raw: string | undefined): BindingScope {
  if (raw === undefined || raw === 'member') return 'member'
  if (raw === 'app') return 'app'
  throw new SwitchboardError(400, 'invalid_query', `scope must be "app" or "member", not ${JSON.stringify(raw.slice(0, 40))}.`)
}
