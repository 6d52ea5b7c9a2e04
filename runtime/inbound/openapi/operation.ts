import type { RoutePolicy } from '../access/index.ts'
import { componentRef, rewriteRefs, type Schema } from './components.ts'

/** One entry of `$defs/Routes` in `api.schema.json`: what a route takes and answers. */
export interface RouteEntry {
  description?: string
  properties?: { query?: Schema; body?: Schema; response?: Schema; status?: { const?: number; enum?: number[] } }
}

const ERROR = { $ref: componentRef('ErrorEnvelope') }
const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: ERROR } } })

const WHO: Record<RoutePolicy['role'], string> = {
  public: 'Anyone, without signing in.',
  'signed-in': 'Anyone signed in.',
  owner: 'The workspace owner.',
  member: 'A member or admin of the app.',
  admin: 'An admin of the app (the workspace owner is an admin of every app).',
  'member-anywhere': 'Anyone with a role in some app, or the workspace owner.',
  'admin-anywhere': 'An app admin of some app, or the workspace owner.',
}

/**
 * The OpenAPI operation of one route: its summary and description from the contract, its path and query
 * parameters, its body, its answers per status (the success the contract names, the error envelope for the
 * refusals its policy and inputs can produce, and for every other status) and who may call it.
 *
 * @example
 * operationOf('POST', '/api/apps/:appId/connections', entry, { role: 'admin', what: 'add connections' })
 */
export function operationOf(
  method: string,
  path: string,
  entry: RouteEntry,
  policy: RoutePolicy,
  schemas: Record<string, Schema> = {},
): Schema {
  const { query, body, response, status } = entry.properties ?? {}
  const params = pathParams(path)
  const statuses = status?.enum ?? (status?.const === undefined ? [response ? 200 : 204] : [status.const])
  const publicRoute = policy.role === 'public'
  // The proxy passes the upstream's answer on, any status; the runtime's own refusals carry X-Switchboard-Error.
  const passthrough = response !== undefined && Object.keys(response).length === 0
  const responses = passthrough ? upstreamAnswers() : refusals(statuses, response, { body, query, publicRoute, params: params.length })
  responses.default = errorAnswer('Any other error, as the error envelope with its stable code.')
  const who = WHO[policy.role] + (policy.shared ? ` On a shared connection: an app ${policy.shared}.` : '')
  const description = entry.description ?? ''
  return {
    operationId: operationId(method, path),
    summary: summaryOf(description),
    description: `${description}\n\nWho may call it: ${who}`.trim(),
    tags: [groupOf(path)],
    ...(publicRoute ? { security: [] } : {}),
    'x-switchboard-role': policy.role,
    ...(params.length > 0 || query ? { parameters: [...params, ...queryParams(query, schemas)] } : {}),
    ...(body ? { requestBody: { required: true, content: contentOf(body) } } : {}),
    responses,
  }
}

/**
 * The OpenAPI path of a Hono path: `:name` → `{name}`, a trailing `*` → `{path}`.
 *
 * @example
 * openApiPath('/api/apps/:appId/connections/:id/proxy/*') // '/api/apps/{appId}/connections/{id}/proxy/{path}'
 */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}').replace(/\/\*$/, '/{path}')
}

/**
 * The group a route belongs to, from its path: the resource it works on, with a connection's
 * sub-resources that are not their own feature counted as the connection's.
 *
 * @example
 * groupOf('/api/apps/:appId/connections/:id/clone') // 'connections'
 */
export function groupOf(path: string): string {
  const parts = path.split('/').filter((p) => p && p !== 'api' && !p.startsWith(':') && p !== '*')
  const fold: Record<string, string> = {
    credentials: 'connections',
    clone: 'connections',
    test: 'connections',
    me: 'users',
    tokens: 'users',
    signin: 'session',
    signout: 'session',
    'oauth-app': 'oauth',
    oauth1: 'oauth',
    callback: 'oauth',
    authorize: 'oauth',
    'openapi.json': 'reference',
    docs: 'reference',
    run: 'actions',
  }
  const last = parts[0] === 'apps' ? (parts[1] === 'connections' ? (parts[2] ?? 'connections') : (parts[1] ?? 'apps')) : parts.at(-1)
  const group = fold[last ?? ''] ?? last ?? 'other'
  return parts[0] === 'connectors' && group !== 'oauth' ? 'connectors' : group
}

function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((p) => p && p !== 'api')
    .map((p) => (p === '*' ? 'path' : p.startsWith(':') ? `by-${p.slice(1)}` : p))
  return [method.toLowerCase(), ...words]
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join('')
}

function summaryOf(description: string): string {
  const first = description.split(/(?<=\.)\s|:\s/)[0] ?? ''
  return first.replace(/\s*\(\d{3}\)\.?$/, '').replace(/\.$/, '')
}

function pathParams(path: string): Schema[] {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!)
  const params: Schema[] = names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
  if (path.endsWith('/*')) {
    params.push({
      name: 'path',
      in: 'path',
      required: true,
      description: 'The rest of the path, slashes included.',
      schema: { type: 'string' },
    })
  }
  return params
}

/** One parameter per property of the query's schema (a named one is looked up among the components). */
function queryParams(query: Schema | undefined, schemas: Record<string, Schema>): Schema[] {
  if (!query) return []
  const named = typeof query.$ref === 'string' ? schemas[query.$ref.split('/').at(-1)!] : query
  const resolved = named as { properties?: Record<string, Schema>; required?: string[] } | undefined
  if (!resolved?.properties) throw new TypeError(`openapi: a route's query must be an object schema with properties`)
  return Object.entries(resolved.properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: resolved.required?.includes(name) ?? false,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    schema: rewriteRefs(schema),
  }))
}

/** The success answers the contract names, and the error envelope for what the policy and inputs can refuse. */
function refusals(
  statuses: number[],
  response: Schema | undefined,
  has: { body: unknown; query: unknown; publicRoute: boolean; params: number },
): Record<string, unknown> {
  const responses: Record<string, unknown> = {}
  for (const code of statuses) responses[String(code)] = successAnswer(code, response)
  if (has.body || has.query)
    responses['400'] = errorAnswer('The body or query is not valid (`invalid_body`, `invalid_json`, `invalid_query`, …).')
  if (!has.publicRoute) {
    responses['401'] = errorAnswer('No valid token or session (`unauthenticated`, `invalid_token`).')
    responses['403'] = errorAnswer('The caller lacks the role this route needs (`forbidden`), or another refusal.')
  }
  if (has.params > 0) responses['404'] = errorAnswer('What the path names does not exist, or is not visible to the caller.')
  if (has.body) {
    responses['413'] = errorAnswer('The body is larger than the limit (`body_too_large`).')
    responses['415'] = errorAnswer('The body is not JSON (`unsupported_media_type`).')
  }
  return responses
}

/** A route that passes the upstream's answer on (the proxy): any status, any body. */
function upstreamAnswers(): Record<string, unknown> {
  const answer = (range: string) => ({
    description: `The upstream's ${range} answer as it came (secrets masked); a refusal of the runtime is the error envelope.`,
    headers: { 'X-Switchboard-Error': { description: "The runtime's error code, on its own refusals only.", schema: { type: 'string' } } },
    content: { '*/*': { schema: {} } },
  })
  return Object.fromEntries(['2XX', '3XX', '4XX', '5XX'].map((range) => [range, answer(range)]))
}

function successAnswer(code: number, response: Schema | undefined): Schema {
  if (code === 204) return { description: 'Done; no body.' }
  if (code >= 300 && code < 400) {
    return { description: 'A redirect.', headers: { Location: { description: 'Where to go next.', schema: { type: 'string' } } } }
  }
  return { description: 'Success.', ...(response ? { content: contentOf(response) } : {}) }
}

/** The media type a schema says: `contentMediaType` (HTML, text), anything for `{}` (the proxy), else JSON. */
function contentOf(schema: Schema): Schema {
  const media = typeof schema.contentMediaType === 'string' ? schema.contentMediaType : Object.keys(schema).length === 0 ? '*/*' : undefined
  return { [media ?? 'application/json']: { schema: rewriteRefs(schema) } }
}
