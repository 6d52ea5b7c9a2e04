/**
 * The URL with an auth method's query parameters: the URL's own query keeps its exact encoding, any parameter
 * of the same name (compared case-insensitively) is dropped, and the auth parameters follow in their order,
 * each `encodeURIComponent`-encoded. Every request (connection tests, actions, the proxy) gets its auth query
 * this way, so a type that signs the query (Binance's `signature`, appended last) signs what is sent.
 *
 * @example
 * withAuthQuery(new URL('https://api.trello.com/1/boards?x=1'), [['key', k], ['token', t]]).href
 * // 'https://api.trello.com/1/boards?x=1&key=…&token=…'
 */
export function withAuthQuery(url: URL, authQuery: ReadonlyArray<readonly [string, string]>): URL {
  const out = new URL(url.href)
  if (authQuery.length === 0) return out
  const names = new Set(authQuery.map(([name]) => name.toLowerCase()))
  const kept = out.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !names.has(decodedName(pair).toLowerCase()))
  const added = authQuery.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
  out.search = `?${[...kept, ...added].join('&')}`
  return out
}

function decodedName(pair: string): string {
  const name = pair.split('=')[0]!.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(name)
  } catch {
    return name
  }
}
