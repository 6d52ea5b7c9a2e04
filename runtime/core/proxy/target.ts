import { SwitchboardError } from '../../errors.ts'
import { resolveRequestUrl } from '../../platform/http/index.ts'
import { withAuthQuery } from '../auth/index.ts'

/** Segments of `/api/apps/:appId/connections/:id/proxy` before the proxied path. */
const PREFIX_SEGMENTS = 7

/**
 * The path and query a proxy request asks for, exactly as the caller encoded them: taken from the
 * raw URL rather than from decoded route parameters, so `%2F` stays `%2F` and is judged as such.
 *
 * @example
 * proxiedPath('http://localhost/api/apps/default/connections/c_1/proxy/user/repos?page=2') // '/user/repos?page=2'
 * proxiedPath('http://localhost/api/apps/default/connections/c_1/proxy')                  // ''
 */
export function proxiedPath(requestUrl: string): string {
  const start = requestUrl.indexOf('/', requestUrl.indexOf('//') + 2)
  const rest = start === -1 ? '/' : requestUrl.slice(start)
  const queryAt = rest.indexOf('?')
  const path = queryAt === -1 ? rest : rest.slice(0, queryAt)
  const query = queryAt === -1 ? '' : rest.slice(queryAt)
  const segments = path.split('/')
  if (segments[PREFIX_SEGMENTS - 1] !== 'proxy') throw new SwitchboardError(404, 'route_not_found', 'There is no such proxy route.')
  const tail = segments.length > PREFIX_SEGMENTS ? `/${segments.slice(PREFIX_SEGMENTS).join('/')}` : ''
  return tail + query
}

/**
 * The upstream URL: the proxied path confined under the connection's base URL (`resolveRequestUrl`
 * refuses other origins, `..`, encoded separators and the like with 400 `invalid_url`), then the
 * auth method's query parameters, replacing any the caller sent under the same names. The caller's
 * query keeps its exact encoding.
 *
 * @example
 * upstreamUrl('https://api.trello.com', '/1/boards?x=1', [['key', k], ['token', t]]).href
 * // 'https://api.trello.com/1/boards?x=1&key=…&token=…'
 */
export function upstreamUrl(baseUrl: string | URL, path: string, authQuery: ReadonlyArray<readonly [string, string]>): URL {
  const url = resolveRequestUrl(baseUrl, path)
  return authQuery.length === 0 ? url : withAuthQuery(url, authQuery)
}
