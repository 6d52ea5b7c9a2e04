import type { Routes } from '../schemas/types/api.ts'

/** A route of the API, as `METHOD /path` (the keys of `$defs/Routes` in `api.schema.json`). */
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

/** The arguments after the route: none when nothing is required. */
export type Args<K extends Route> = {} extends CallOptions<K> ? [options?: CallOptions<K>] : [options: CallOptions<K>]

/**
 * The path of a route with its parameters and query filled in (relative to the runtime's origin).
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
