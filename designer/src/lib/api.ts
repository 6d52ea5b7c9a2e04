import type { ErrorCode, ErrorEnvelope, Routes } from './types.ts'

/**
 * The designer's client for the runtime API, typed from the contract (`$defs/Routes` of
 * `api.schema.json`): a route's path parameters, query, body and answer are the generated types. Same
 * origin, session cookie; every failure is an {@link ApiError} carrying the runtime's stable code, message
 * and details.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }

  /** Validation problems in `details.errors`, when the runtime sent them. */
  get problems(): Array<{ path: string; keyword: string; message: string }> {
    const errors = (this.details as { errors?: unknown } | undefined)?.errors
    return Array.isArray(errors) ? errors : []
  }
}

/** A route of the API, as `METHOD /path`. */
export type Route = keyof Routes
type Spec<K extends Route> = NonNullable<Routes[K]>
type PathOf<K extends Route> = K extends `${string} ${infer P}` ? P : never
type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer R}`
  ? N | ParamNames<`/${R}`>
  : P extends `${string}:${infer N}`
    ? N
    : never

/** What a route answers on success (`undefined` for 204). */
export type ResponseOf<K extends Route> = Spec<K> extends { response: infer R } ? R : undefined

/** The path parameters, query and body a route takes; each is required exactly when the contract says. */
export type CallOptions<K extends Route> = ([ParamNames<PathOf<K>>] extends [never]
  ? { params?: undefined }
  : { params: Record<ParamNames<PathOf<K>>, string> }) &
  (Spec<K> extends { body: infer B } ? { body: B } : { body?: undefined }) &
  ('query' extends keyof Spec<K>
    ? {} extends Pick<Spec<K>, 'query'>
      ? { query?: Spec<K>['query'] }
      : { query: NonNullable<Spec<K>['query']> }
    : { query?: undefined })

type Args<K extends Route> = {} extends CallOptions<K> ? [options?: CallOptions<K>] : [options: CallOptions<K>]

/**
 * The URL of a route with its parameters and query filled in: for links the browser opens itself.
 *
 * @example
 * urlOf('GET /api/apps/:appId/connections/:id/oauth/authorize', { params: { appId: 'default', id: 'c_1' } })
 * // '/api/apps/default/connections/c_1/oauth/authorize'
 */
export function urlOf<K extends Route>(route: K, ...[options]: Args<K>): string {
  const params = (options?.params ?? {}) as Record<string, string>
  const path = route.slice(route.indexOf(' ') + 1).replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries((options?.query ?? {}) as Record<string, unknown>))
    if (value !== undefined) query.set(key, String(value))
  return query.size ? `${path}?${query}` : path
}

/**
 * Calls a route: JSON in and out, throws {@link ApiError} for non-2xx answers.
 *
 * @example
 * const { connectors } = await call('GET /api/connectors')
 * const view = await call('PATCH /api/apps/:appId/connections/:id', { params: { appId, id }, body: { name: 'Work' } })
 */
export async function call<K extends Route>(route: K, ...args: Args<K>): Promise<ResponseOf<K>> {
  const [options] = args
  const body = options?.body
  const response = await fetch(urlOf(route, ...args), {
    method: route.slice(0, route.indexOf(' ')),
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (response.status === 204) return undefined as ResponseOf<K>
  const data = await response.json().catch(() => undefined)
  if (!response.ok) {
    const error = (data as Partial<ErrorEnvelope> | undefined)?.error
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `The runtime answered ${response.status}.`,
      error?.details,
    )
  }
  return data as ResponseOf<K>
}
