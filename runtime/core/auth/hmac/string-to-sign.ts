import { createHash } from 'node:crypto'
import type { HmacAuth } from '../../../../schemas/types/connector.ts'
import { bodyBytes, queryPairs } from '../signing/request-parts.ts'
import type { OutgoingRequest } from '../types.ts'

/** What the parts are read from: the request with every auth parameter except the signature. */
export interface Signable {
  request: OutgoingRequest
  /** The URL as it will be sent, without the signature. */
  url: URL
  timestamp: string
  nonce: string
}

/**
 * The string an HMAC method signs: its parts in order, joined by its separator.
 *
 * @example
 * stringToSign({ sign: ['timestamp', 'method', 'pathWithQuery', 'body'] }, signable) // '1700000000GET/accounts'
 */
export function stringToSign(method: Pick<HmacAuth, 'sign' | 'separator' | 'algorithm'>, signable: Signable): string {
  return method.sign.map((part) => partOf(part, method.algorithm ?? 'sha256', signable)).join(method.separator ?? '')
}

function partOf(part: HmacAuth['sign'][number], algorithm: string, { request, url, timestamp, nonce }: Signable): string {
  switch (part) {
    case 'method':
      return request.method.toUpperCase()
    case 'path':
      return url.pathname
    case 'pathWithQuery':
      return url.pathname + url.search
    case 'query':
      return url.search.slice(1)
    case 'sortedQuery':
      return queryPairs(url.search)
        .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
        .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
        .join('&')
    case 'body':
      return Buffer.from(bodyBytes(request)).toString('utf8')
    case 'bodyHash':
      return createHash(algorithm).update(bodyBytes(request)).digest('hex')
    case 'timestamp':
      return timestamp
    case 'nonce':
      return nonce
  }
}
