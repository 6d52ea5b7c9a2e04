import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

const records = new WeakMap<object, Record<string, string>>()

/**
 * The request's headers as a record with lowercase names, repeated names joined with ", " as `Headers` joins
 * them. Served from a socket, they are read from the Node request's raw headers once per request, without the
 * `Headers` the adapter would build for `c.req.header()`; in-process requests (`app.request`) read theirs.
 *
 * @example
 * requestHeaders(c).authorization // 'Bearer sb_…'
 */
export function requestHeaders(c: Context): Readonly<Record<string, string>> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  const key: object = incoming ?? c.req.raw
  let out = records.get(key)
  if (out) return out
  out = Object.create(null) as Record<string, string>
  if (incoming) {
    const raw = incoming.rawHeaders
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase()
      const value = raw[i + 1]!
      out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`
    }
  } else {
    const record = out
    c.req.raw.headers.forEach((value, name) => {
      record[name] = value
    })
  }
  records.set(key, out)
  return out
}
