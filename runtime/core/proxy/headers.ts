import zlib from 'node:zlib'
import { firstValue, joinedValue } from '../../platform/http/index.ts'

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message, so a proxy never
 * passes them on; Host and Content-Length are set anew for the next hop. `Expect: 100-continue`
 * (curl sends it with bigger uploads) was settled between the caller and Switchboard (RFC 9110
 * §10.1.1), and the outbound client refuses it.
 */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
]

/**
 * Request headers that belong to the caller's session with Switchboard, not to the upstream: its
 * credentials (the user token, the session cookie), where it browsed from, and Switchboard's own
 * `X-Switchboard-*` controls. `Range` and `If-Range` too: a caller-chosen byte range could cut an echoed
 * secret into pieces the masker would not recognise, one response at a time.
 */
const CALLER_ONLY = new Set(['authorization', 'cookie', 'origin', 'referer', 'forwarded', 'x-real-ip', 'range', 'if-range'])
const CALLER_PREFIXES = ['x-switchboard-', 'x-forwarded-', 'proxy-']

/** Headers as Node parses them from a request: lowercase names; repeated ones joined, or a list (`set-cookie`). */
export type HeaderRecord = Readonly<Record<string, string | string[] | undefined>>

/**
 * The headers to send upstream: the caller's, without hop-by-hop and caller-only ones, with the
 * connector's static headers and the auth headers set over them (a caller cannot replace either).
 * Lowercase names, as a record (what the outbound client sends without a `Headers` in between).
 *
 * @example
 * upstreamHeaders(incoming.headers, { Authorization: 'Bearer …', 'Notion-Version': '2022-06-28' })
 */
export function upstreamHeaders(incoming: HeaderRecord, injected: Readonly<Record<string, string>>): Record<string, string> {
  const dropped = droppedNames(incoming.connection)
  const out: Record<string, string> = Object.create(null)
  for (const name in incoming) {
    const value = incoming[name]
    if (value === undefined || dropped.has(name) || CALLER_ONLY.has(name) || CALLER_PREFIXES.some((p) => name.startsWith(p))) continue
    out[name] = joinedValue(value)!
  }
  for (const name in injected) out[name.toLowerCase()] = injected[name]!
  return out
}

/**
 * The headers to answer with: the upstream's, without hop-by-hop ones, cookies (they were set for
 * the upstream's site, and would land on Switchboard's) and `X-Switchboard-*` (the runtime's own, such as
 * `X-Switchboard-Error`, which an upstream must not fake), each value passed through `mask`. When the
 * client decoded the body on the way (see {@link decodedCodings}), its encoding and length no longer
 * apply and are dropped.
 *
 * @example
 * downstreamHeaders(response.rawHeaders, masker.text, decodedCodings(response.rawHeaders['content-encoding']))
 */
export function downstreamHeaders(upstream: HeaderRecord, mask: (value: string) => string, decoded: boolean): Headers {
  const dropped = droppedNames(upstream.connection)
  dropped.add('set-cookie')
  if (decoded) dropped.add('content-encoding')
  // A Headers, not a record: the answer's headers are added to afterwards (request id, security headers), and a
  // Response made from a record does not always keep what was added to it.
  const out = new Headers()
  for (const name in upstream) {
    const value = upstream[name]
    if (value === undefined || dropped.has(name) || name.startsWith('x-switchboard-')) continue
    if (Array.isArray(value)) for (const item of value) out.append(name, mask(item))
    else out.append(name, mask(value))
  }
  const length = upstream['content-length']
  if (length !== undefined && !decoded) out.set('content-length', firstValue(length)!)
  return out
}

const DECODED = new Set(['gzip', 'x-gzip', 'deflate', 'br', ...('createZstdDecompress' in zlib ? ['zstd'] : [])])

/**
 * Whether the outbound client (undici's fetch) decodes a body with this Content-Encoding: only when it
 * knows every coding listed; with one it does not know, it passes the body on as it came.
 *
 * @example
 * decodedCodings('gzip') // true; decodedCodings('compress') // false; decodedCodings(null) // false
 */
export function decodedCodings(contentEncoding: string | null | undefined): boolean {
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '')
  return codings.length > 0 && codings.every((c) => DECODED.has(c))
}

/** Hop-by-hop names, plus those the Connection header lists as hop-by-hop for this message. */
function droppedNames(connection: string | string[] | undefined): Set<string> {
  const names = new Set(HOP_BY_HOP)
  if (connection === undefined) return names
  for (const token of (Array.isArray(connection) ? connection.join(',') : connection).split(',')) {
    const name = token.trim().toLowerCase()
    if (name) names.add(name)
  }
  return names
}
