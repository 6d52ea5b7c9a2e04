import { SwitchboardApiError } from './error.ts'
import { type Args, type ResponseOf, type Route, urlOf } from './routes.ts'

/** Where the runtime is and who is calling. */
export interface ClientOptions {
  /** The runtime's origin, e.g. `http://localhost:8787`; leave it out in a page the runtime serves (same origin). */
  baseUrl?: string
  /** An API token, sent as `Authorization: Bearer …`; without one a browser sends its session cookie. */
  token?: string
  /** The app the connection helpers work in (default `default`). */
  app?: string
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch
}

/** The runtime's origin from the options ('' for the same origin); anything but an origin is refused. */
export function baseOf(options: ClientOptions): string {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '')
  if (base !== '' && !/^https?:\/\/[^/]+$/.test(base)) {
    throw new TypeError(`createClient: baseUrl must be an origin like "http://localhost:8787", got ${JSON.stringify(options.baseUrl)}`)
  }
  return base
}

/**
 * The function that calls a route: JSON in and out, a 204 answers `undefined`, and every error answer throws
 * {@link SwitchboardApiError}. On its own (without the helpers of `createClient`) for pages that only call routes.
 *
 * @example
 * const call = createCall({ baseUrl: 'http://localhost:8787', token })
 * const { connectors } = await call('GET /api/connectors', { query: { q: 'git' } })
 */
export function createCall(options: ClientOptions = {}) {
  const base = baseOf(options)
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {}
  return async function call<K extends Route>(route: K, ...args: Args<K>): Promise<ResponseOf<K>> {
    const body = args[0]?.body
    const method = route.slice(0, route.indexOf(' '))
    const response = await send(base + urlOf(route, ...args), {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (!response.ok) throw await SwitchboardApiError.from(response, method)
    return (response.status === 204 ? undefined : await response.json()) as ResponseOf<K>
  }
}
