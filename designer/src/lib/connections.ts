import { ApiError, call, urlOf } from './api.ts'
import type { Connection, Connector, CreateConnection, FieldValue, FieldValues, SetCredentials, UpdateConnection } from './types.ts'

/**
 * The connections API, typed from the contract. Every call throws {@link ApiError} on failure.
 *
 * @example
 * const list = await connections.list('default')
 */
export const connections = {
  list: async (appId: string) => (await call('GET /api/apps/:appId/connections', { params: { appId } })).connections,
  get: (appId: string, id: string) => call('GET /api/apps/:appId/connections/:id', { params: { appId, id } }),
  create: (appId: string, body: CreateConnection) => call('POST /api/apps/:appId/connections', { params: { appId }, body }),
  update: (appId: string, id: string, body: UpdateConnection) =>
    call('PATCH /api/apps/:appId/connections/:id', { params: { appId, id }, body }),
  setCredentials: (appId: string, id: string, body: SetCredentials) =>
    call('PUT /api/apps/:appId/connections/:id/credentials', { params: { appId, id }, body }),
  unauthorize: (appId: string, id: string) => call('DELETE /api/apps/:appId/connections/:id/credentials', { params: { appId, id } }),
  remove: (appId: string, id: string) => call('DELETE /api/apps/:appId/connections/:id', { params: { appId, id } }),
  clone: (appId: string, id: string, name: string) =>
    call('POST /api/apps/:appId/connections/:id/clone', { params: { appId, id }, body: { name } }),
  test: (appId: string, id: string) => call('POST /api/apps/:appId/connections/:id/test', { params: { appId, id } }),
  /**
   * Tests a connection whose credentials were just entered, so that its status says whether they work (`connected`
   * or `error`) instead of "Not tested"; answers the connection as it is then (unchanged when it cannot be tested).
   */
  async testOnConnect(connection: Connection, connector: Connector): Promise<Connection> {
    if (!isUsable(connection) || !connector.test) return connection
    try {
      await connections.test(connection.appId, connection.id)
      return await connections.get(connection.appId, connection.id)
    } catch {
      return connection
    }
  },
  /** Runs one of the connector's actions as the signed-in person. */
  runAction: (appId: string, id: string, actionKey: string, inputs: Record<string, unknown>) =>
    call('POST /api/apps/:appId/connections/:id/actions/:actionKey', { params: { appId, id, actionKey }, body: { inputs } }),
  /** Where the browser goes to start an OAuth2 authorization. */
  authorizeUrl: (appId: string, id: string) => urlOf('GET /api/apps/:appId/connections/:id/oauth/authorize', { params: { appId, id } }),
}

/**
 * Whether a connection's credentials can be used now: tested and working, or typed in and not tested yet.
 *
 * @example
 * isUsable({ status: 'untested' }) // true
 */
export function isUsable(connection: Pick<Connection, 'status'>): boolean {
  return connection.status === 'connected' || connection.status === 'untested'
}

/**
 * The values to send for a connector and auth method: only keys the form shows (a method switched
 * away from leaves none behind), and no empty ones (an empty optional field is "not set").
 *
 * @example
 * pickValues(connector, 'header', { baseUrl: 'https://x.test', apiKey: 'k', queryApiKey: '' })
 */
export function pickValues(
  connector: Connector,
  methodId: string,
  values: Record<string, FieldValue | undefined>,
  options: { credentialsOnly?: boolean } = {},
): FieldValues {
  const method = connector.auth.find((m) => m.id === methodId) ?? connector.auth[0]
  const keys = [...(options.credentialsOnly ? [] : (connector.fields ?? [])), ...(method.fields ?? [])].map((f) => f.key)
  const out: FieldValues = {}
  for (const key of keys) {
    const value = values[key]
    if (value !== undefined && value !== '') out[key] = value
  }
  return out
}

/**
 * The starting values of a form: field defaults, then the given values.
 *
 * @example
 * initialValues(connector, 'token', connection.fields)
 */
export function initialValues(
  connector: Connector,
  given: Readonly<Record<string, FieldValue | undefined>> = {},
): Record<string, FieldValue | undefined> {
  const out: Record<string, FieldValue | undefined> = {}
  for (const field of [...(connector.fields ?? []), ...connector.auth.flatMap((m) => m.fields ?? [])]) {
    if (field.type !== 'secret' && field.default !== undefined) out[field.key] = field.default
  }
  return { ...out, ...given }
}

/**
 * Validation problems of an API error by what they are about: `/values/apiKey` → `apiKey`,
 * `/name` → `name`.
 *
 * @example
 * problemsByField(error) // { apiKey: 'API key is required' }
 */
export function problemsByField(error: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!(error instanceof ApiError)) return out
  for (const problem of error.problems) {
    const key = problem.path.replace(/^\/values\//, '').replace(/^\//, '')
    if (key) out[key] ??= problem.message
  }
  return out
}
