import type { ActionResult, AppSetup, Connection, Needs, RunMode } from '../schemas/types/api.ts'
import { baseOf, type ClientOptions, createCall } from './call.ts'
import { SwitchboardApiError } from './error.ts'
import { type Args, type Route, urlOf } from './routes.ts'

/** The fetch options of a proxied request, but `mode` is the run's (`X-Switchboard-Mode`): `workflow` runs only with shared credentials. */
export type ProxyInit = Omit<RequestInit, 'mode'> & { mode?: RunMode }

/**
 * A client of the runtime's API, typed from its contract: `call` reaches every route with its path
 * parameters, query, body and answer typed; the helpers cover what workflows do (run actions, send
 * requests through a connection, read connections). Every error answer throws {@link SwitchboardApiError}.
 *
 * @example
 * import { createClient } from 'switchboard/client'
 * const sb = createClient({ baseUrl: 'http://localhost:8787', token: process.env.SWITCHBOARD_TOKEN })
 * const result = await sb.runAction('c_8f3a2b', 'createIssue', { owner: 'octocat', repo: 'hello-world', title: 'Bug' })
 * const same = await sb.run('github', 'createIssue', { owner: 'octocat', repo: 'hello-world', title: 'Bug' }, { mode: 'workflow' })
 * const me = await (await sb.proxy('c_8f3a2b', '/user')).json()
 */
export function createClient(options: ClientOptions = {}) {
  const call = createCall(options)
  const base = baseOf(options)
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  const app = options.app ?? 'default'
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {}
  const connectionPath = (id: string) => `${base}/api/apps/${encodeURIComponent(app)}/connections/${encodeURIComponent(id)}`

  return {
    call,
    /** The absolute URL of a route, for links a person opens. */
    url: <K extends Route>(route: K, ...args: Args<K>) => base + urlOf(route, ...args),
    /** The app's connections the caller can see, with status and account label (never secrets). */
    connections: async (): Promise<Connection[]> =>
      (await call('GET /api/apps/:appId/connections', { params: { appId: app } })).connections,
    /** One connection. */
    connection: (id: string): Promise<Connection> => call('GET /api/apps/:appId/connections/:id', { params: { appId: app, id } }),
    /** Whether the app has a usable connection to a connector, and where to complete one if not. */
    needs: (connectorId: string): Promise<Needs> =>
      call('GET /api/apps/:appId/needs', { params: { appId: app }, query: { connector: connectorId } }),
    /** Runs one of the connector's actions; `mode: 'workflow'` for runs with nobody present (shared connections only). */
    runAction: (id: string, actionKey: string, inputs: Record<string, unknown> = {}, run: { mode?: RunMode } = {}): Promise<ActionResult> =>
      call('POST /api/apps/:appId/connections/:id/actions/:actionKey', {
        params: { appId: app, id, actionKey },
        body: { inputs, ...(run.mode ? { mode: run.mode } : {}) },
      }),
    /** Every tool the app needs, with its state for the caller (connected, missing, several to choose from). */
    setup: (): Promise<AppSetup> => call('GET /api/apps/:appId/setup', { params: { appId: app } }),
    /**
     * Runs a connector's action through the connection the app uses for it (its binding, or the only one): a
     * workflow names the tool, not a connection. The answer's `connectionId` says which one ran it.
     */
    run: (
      connectorId: string,
      actionKey: string,
      inputs: Record<string, unknown> = {},
      run: { mode?: RunMode } = {},
    ): Promise<ActionResult> =>
      call('POST /api/apps/:appId/run/:connectorId/:actionKey', {
        params: { appId: app, connectorId, actionKey },
        body: { inputs, ...(run.mode ? { mode: run.mode } : {}) },
      }),
    /**
     * Sends a request through a connection, credentials injected; answers the upstream's response as it came
     * (any status). Only a refusal of the runtime itself (`X-Switchboard-Error`) throws.
     */
    async proxy(id: string, path: string, init: ProxyInit = {}): Promise<Response> {
      const { mode, headers, ...rest } = init
      const all = new Headers(headers)
      for (const [name, value] of Object.entries(auth)) all.set(name, value)
      if (mode) all.set('x-switchboard-mode', mode)
      const response = await send(`${connectionPath(id)}/proxy${path.startsWith('/') ? path : `/${path}`}`, {
        credentials: 'same-origin',
        ...rest,
        headers: all,
      })
      if (response.headers.has('x-switchboard-error')) throw await SwitchboardApiError.from(response, rest.method ?? 'GET')
      return response
    },
  }
}

/** A client made by {@link createClient}. */
export type Client = ReturnType<typeof createClient>
