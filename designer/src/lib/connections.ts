import { api, ApiError } from './api.ts'
import type { Connection, Connector, FieldValue, FieldValues, Sharing, TestResult } from './types.ts'

const base = (appId: string, id?: string) => `/api/apps/${encodeURIComponent(appId)}/connections${id ? `/${encodeURIComponent(id)}` : ''}`

/**
 * The connections API, typed. Every call throws {@link ApiError} on failure.
 *
 * @example
 * const list = await connections.list('default')
 */
export const connections = {
  list: async (appId: string) => (await api<{ connections: Connection[] }>('GET', base(appId))).connections,
  get: (appId: string, id: string) => api<Connection>('GET', base(appId, id)),
  create: (appId: string, body: { connectorId: string; name: string; authMethod?: string; values?: FieldValues; sharing?: 'shared' | 'personal' }) =>
    api<Connection>('POST', base(appId), body),
  update: (appId: string, id: string, body: { name?: string; baseUrl?: string | null; values?: FieldValues; sharing?: Sharing }) => api<Connection>('PATCH', base(appId, id), body),
  setCredentials: (appId: string, id: string, body: { authMethod?: string; values: FieldValues }) => api<Connection>('PUT', `${base(appId, id)}/credentials`, body),
  unauthorize: (appId: string, id: string) => api<Connection>('DELETE', `${base(appId, id)}/credentials`),
  remove: (appId: string, id: string) => api<void>('DELETE', base(appId, id)),
  clone: (appId: string, id: string, name: string) => api<Connection>('POST', `${base(appId, id)}/clone`, { name }),
  test: (appId: string, id: string) => api<TestResult>('POST', `${base(appId, id)}/test`),
  /** Where the browser goes to start an OAuth2 authorization. */
  authorizeUrl: (appId: string, id: string) => `${base(appId, id)}/oauth/authorize`,
}

/**
 * The values to send for a connector and auth method: only keys the form shows (a method switched
 * away from leaves none behind), and no empty ones (an empty optional field is "not set").
 *
 * @example
 * pickValues(connector, 'header', { baseUrl: 'https://x.test', apiKey: 'k', queryApiKey: '' })
 */
export function pickValues(connector: Connector, methodId: string, values: Record<string, FieldValue | undefined>, options: { credentialsOnly?: boolean } = {}): FieldValues {
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
export function initialValues(connector: Connector, given: Readonly<Record<string, FieldValue | undefined>> = {}): Record<string, FieldValue | undefined> {
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
