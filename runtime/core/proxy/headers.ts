import zlib from 'node:zlib'

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
const CALLER_ONLY = ['authorization', 'cookie', 'origin', 'referer', 'forwarded', 'x-real-ip', 'range', 'if-range']
const CALLER_PREFIXES = ['x-switchboard-', 'x-forwarded-', 'proxy-']

/**
 * The headers to send upstream: the caller's, without hop-by-hop and caller-only ones, with the
 * connector's static headers and the auth headers set over them (a caller cannot replace either).
 *
 * @example
 * upstreamHeaders(c.req.raw.headers, { Authorization: 'Bearer …', 'Notion-Version': '2022-06-28' })
 */
export function upstreamHeaders(incoming: Headers, injected: Readonly<Record<string, string>>): Headers {
  const dropped = droppedNames(incoming)
  for (const name of CALLER_ONLY) dropped.add(name)
  const out = new Headers()
  for (const [name, value] of incoming) {
    if (dropped.has(name) || CALLER_PREFIXES.some((p) => name.startsWith(p))) continue
    out.append(name, value)
  }
  for (const [name, value] of Object.entries(injected)) out.set(name, value)
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
 * downstreamHeaders(response.headers, masker.text, decodedCodings(response.headers.get('content-encoding')))
 */
export function downstreamHeaders(upstream: Headers, mask: (value: string) => string, decoded: boolean): Headers {
  const dropped = droppedNames(upstream)
  dropped.add('set-cookie')
  if (decoded) dropped.add('content-encoding')
  const out = new Headers()
  for (const [name, value] of upstream) if (!dropped.has(name) && !name.startsWith('x-switchboard-')) out.append(name, mask(value))
  if (upstream.has('content-length') && !decoded) out.set('content-length', upstream.get('content-length')!)
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
export function decodedCodings(contentEncoding: string | null): boolean {
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '')
  return codings.length > 0 && codings.every((c) => DECODED.has(c))
}

/** Hop-by-hop names, plus those the Connection header lists as hop-by-hop for this message. */
function droppedNames(headers: Headers): Set<string> {
  const names = new Set(HOP_BY_HOP)
  for (const token of (headers.get('connection') ?? '').split(',')) {
    const name = token.trim().toLowerCase()
    if (name) names.add(name)
  }
  return names
}
