import type { AppSetup, BindingScope, Connection, SetupTool } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRecord, BindingRecord } from '../../types.ts'
import type { Catalogue } from '../catalogue/index.ts'
import { type Actor, isUsable } from '../connections/index.ts'
import type { ConnectionService } from '../lifecycle/index.ts'
import { type Bound, bindingId, boundFor } from './bindings.ts'
import { neededTools } from './needed.ts'
import { resolve, setupConnection } from './resolve.ts'

/** What an app's setup is built from. */
export interface SetupDeps {
  store: Store
  catalogue: Catalogue
  connections: ConnectionService
  clock: () => Date
  publicUrl: string
}

/**
 * An app's setup: the connectors it needs, which connection it uses for each (bindings), and the connection a
 * run by connector goes through. See {@link resolve} for how the connection in use is picked.
 *
 * @example
 * const setup = createAppSetup({ store, catalogue, connections, clock, publicUrl })
 * const { tools } = await setup.view(app, { userId: 'u_1' })
 * const connectionId = await setup.connectionFor(app, 'github', actor, 'workflow')
 */
export function createAppSetup(deps: SetupDeps) {
  const newConnectionUrl = (appId: string, connectorId: string) =>
    `${deps.publicUrl}/#/apps/${encodeURIComponent(appId)}/connections/new?connector=${encodeURIComponent(connectorId)}`
  const setupUrl = (appId: string) => `${deps.publicUrl}/#/apps/${encodeURIComponent(appId)}/setup`

  /** The app's connections to each connector, as the actor sees them. */
  async function connectionsBy(appId: string, actor: Actor): Promise<Map<string, Connection[]>> {
    const by = new Map<string, Connection[]>()
    for (const view of await deps.connections.list(appId, actor)) by.set(view.connectorId, [...(by.get(view.connectorId) ?? []), view])
    return by
  }

  async function connectorName(connectorId: string): Promise<string> {
    return deps.catalogue.get(connectorId).then(
      (e) => e.connector.name,
      () => connectorId,
    )
  }

  function toolOf(
    app: AppRecord,
    tool: { connectorId: string; actions: string[]; declared: boolean; name: string },
    candidates: Connection[],
    bound: Bound,
  ): SetupTool {
    const picked = resolve(candidates, bound, 'user')
    const view: SetupTool = {
      ...tool,
      state: 'missing',
      candidates: candidates.map(setupConnection),
      ...(bound.app === undefined ? {} : { appBinding: bound.app }),
      ...(bound.mine === undefined ? {} : { myBinding: bound.mine }),
    }
    if (picked.state === 'choose') return { ...view, state: 'choose' }
    if (picked.state === 'none') return { ...view, connectUrl: newConnectionUrl(app.id, tool.connectorId) }
    const connection = setupConnection(picked.connection)
    const connected = isUsable(connection.status)
    return {
      ...view,
      state: connected ? 'connected' : 'missing',
      connection,
      chosenBy: picked.by,
      ...(connected || connection.connectUrl === undefined ? {} : { connectUrl: connection.connectUrl }),
    }
  }

  async function toolFor(app: AppRecord, connectorId: string, actor: Actor): Promise<SetupTool> {
    const needed = neededTools(app).find((t) => t.connectorId === connectorId) ?? { connectorId, actions: [], declared: false }
    const candidates = (await connectionsBy(app.id, actor)).get(connectorId) ?? []
    const bound = (await boundFor(deps.store, app.id, actor.userId)).get(connectorId) ?? {}
    return toolOf(app, { ...needed, name: await connectorName(connectorId) }, candidates, bound)
  }

  return {
    setupUrl,

    /** Every connector the app needs, with its state for the actor. */
    async view(app: AppRecord, actor: Actor): Promise<AppSetup> {
      const by = await connectionsBy(app.id, actor)
      const bound = await boundFor(deps.store, app.id, actor.userId)
      const tools: SetupTool[] = []
      for (const tool of neededTools(app)) {
        const named = { ...tool, name: await connectorName(tool.connectorId) }
        tools.push(toolOf(app, named, by.get(tool.connectorId) ?? [], bound.get(tool.connectorId) ?? {}))
      }
      return { appId: app.id, tools }
    },

    tool: toolFor,

    /**
     * Binds a connector to a connection of the app. `app`: for everyone (the route lets only app admins ask);
     * `member`: the actor's own pick, of a personal connection only. Default: `app` for a shared connection,
     * `member` for a personal one. `allow` sees the scope and the connection before anything is written.
     */
    async bind(
      app: AppRecord,
      connectorId: string,
      body: { connectionId: string; scope?: BindingScope | undefined },
      actor: Actor,
      allow: (scope: BindingScope, connection: Connection) => void = () => {},
    ) {
      const connection = await deps.connections.get(app.id, body.connectionId, actor)
      if (connection.connectorId !== connectorId) {
        throw new SwitchboardError(
          400,
          'wrong_connector',
          `"${connection.name}" is a connection to "${connection.connectorId}", not "${connectorId}". Pick one of its connections to ` +
            `"${connectorId}".`,
        )
      }
      const scope = body.scope ?? (connection.sharing === 'shared' ? 'app' : 'member')
      if (scope === 'member' && connection.sharing !== 'personal') {
        throw new SwitchboardError(
          400,
          'personal_connection_required',
          `"${connection.name}" is shared: it is bound for the whole app (scope "app", by an app admin). A binding of your own picks ` +
            'one of your personal connections.',
        )
      }
      allow(scope, connection)
      const record: BindingRecord = {
        id: bindingId(app.id, connectorId, scope === 'member' ? actor.userId : undefined),
        appId: app.id,
        connectorId,
        connectionId: connection.id,
        ...(scope === 'member' ? { userId: actor.userId } : {}),
        setBy: actor.userId,
        updatedAt: deps.clock().toISOString(),
      }
      await deps.store.put('bindings', record)
      return { scope, connection, tool: await toolFor(app, connectorId, actor) }
    },

    /** Clears the app's binding or the actor's own; clearing what is not there changes nothing. */
    async clear(app: AppRecord, connectorId: string, scope: BindingScope, actor: Actor) {
      const removed = await deps.store.delete('bindings', bindingId(app.id, connectorId, scope === 'member' ? actor.userId : undefined))
      return { removed, tool: await toolFor(app, connectorId, actor) }
    },

    /**
     * The connection a run by connector goes through. None: 428 `connection_required` with the page that adds
     * one; several and none bound: 428 `binding_required` with the app's setup page. Whether the one found has
     * usable credentials (and may serve a workflow) is the connection-use path's to say.
     */
    async connectionFor(app: AppRecord, connectorId: string, actor: Actor, mode: 'user' | 'workflow'): Promise<Connection> {
      const candidates = (await connectionsBy(app.id, actor)).get(connectorId) ?? []
      const bound = (await boundFor(deps.store, app.id, actor.userId)).get(connectorId) ?? {}
      const picked = resolve(candidates, bound, mode)
      if (picked.state === 'chosen') return picked.connection
      const name = await connectorName(connectorId)
      if (picked.state === 'none') {
        const url = newConnectionUrl(app.id, connectorId)
        throw new SwitchboardError(
          428,
          'connection_required',
          `App "${app.name}" has no connection to ${name} yet. An app admin adds one at ${url}, then run the action again.`,
          { details: { connectUrl: url } },
        )
      }
      const url = setupUrl(app.id)
      throw new SwitchboardError(
        428,
        'binding_required',
        `App "${app.name}" has ${picked.candidates.length} connections to ${name} and none is chosen for it. Choose one at ${url}, ` +
          'then run the action again.',
        { details: { connectUrl: url, candidates: picked.candidates.map((c) => c.id) } },
      )
    },
  }
}

/** An app's setup, as {@link createAppSetup} makes it. */
export type AppSetupService = ReturnType<typeof createAppSetup>
