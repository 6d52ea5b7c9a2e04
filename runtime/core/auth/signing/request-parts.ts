import { SwitchboardError } from '../../../errors.ts'
import type { OutgoingRequest } from '../types.ts'

/**
 * The body of a request being signed, as bytes: signing types get it whole (the proxy reads a streamed body
 * first), so `stream` here is a bug, not a caller's mistake.
 *
 * @example
 * bodyBytes({ body: '{"a":1}', … }) // Uint8Array of 7 bytes
 */
export function bodyBytes(request: OutgoingRequest): Uint8Array {
  const { body } = request
  if (body === 'stream') throw new SwitchboardError(500, 'internal_error', 'A signed request reached its auth type without its body.')
  if (body === undefined) return new Uint8Array(0)
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body
}

/**
 * The query parameters of a URL's query string as sent, decoded (`+` is a space, as forms write it).
 *
 * @example
 * queryPairs('?b=2&a=x%20y') // [['b', '2'], ['a', 'x y']]
 */
export function queryPairs(search: string): Array<[string, string]> {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=')
      return [decode(at === -1 ? pair : pair.slice(0, at)), at === -1 ? '' : decode(pair.slice(at + 1))] as [string, string]
    })
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}
