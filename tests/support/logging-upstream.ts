/**
 * A loopback upstream that logs every request with its arrival time (this process's monotonic clock, taken when
 * the request's headers arrived) and answers through a handler a test gives. For checks made from what the
 * upstream itself saw: how many requests in any one second, how many at once, which ones arrived at all.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as the upstream saw it. */
export interface Arrival {
  at: number
  method: string
  url: URL
  headers: http.IncomingHttpHeaders
  body: string
}

/** What the handler answers: status, headers and a JSON body (or text); `delayMs` holds the answer back. */
export interface Answer {
  status?: number
  headers?: Record<string, string | undefined>
  body?: unknown
  delayMs?: number
}

export interface LoggingUpstream {
  readonly origin: string
  readonly arrivals: Arrival[]
  /** The most requests that were in progress at once. */
  readonly maxInFlight: number
  close(): Promise<void>
}

/**
 * Starts the upstream on 127.0.0.1.
 *
 * @example
 * const upstream = await startLoggingUpstream(() => ({ body: { ok: true } }))
 * upstream.arrivals.length // requests so far
 */
export async function startLoggingUpstream(handle: (arrival: Arrival, origin: string) => Answer): Promise<LoggingUpstream> {
  const arrivals: Arrival[] = []
  let inFlight = 0
  let maxInFlight = 0
  let origin = ''
  const server = http.createServer((req, res) => {
    const at = performance.now()
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const arrival: Arrival = {
        at,
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', origin),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      }
      arrivals.push(arrival)
      const answer = handle(arrival, origin)
      const send = () => {
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {})
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        for (const [name, value] of Object.entries(answer.headers ?? {})) if (value !== undefined) headers[name] = value
        res.writeHead(answer.status ?? 200, headers)
        res.end(text, () => void inFlight--)
      }
      if (answer.delayMs) setTimeout(send, answer.delayMs)
      else send()
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    arrivals,
    get maxInFlight() {
      return maxInFlight
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

/**
 * The most arrivals within any window of `ms` (closed at both ends: what "≤ N per second, ± one" is measured by).
 *
 * @example
 * mostInWindow(upstream.arrivals.map((a) => a.at), 1000) // ≤ 11 under a 10 per second limit
 */
export function mostInWindow(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! > ms) i++
    most = Math.max(most, j - i + 1)
  }
  return most
}

/**
 * How many arrivals in each whole second from the first one: the figures a report shows.
 *
 * @example
 * perSecond([0, 10, 1500]) // [2, 1]
 */
export function perSecond(times: readonly number[]): number[] {
  if (times.length === 0) return []
  const start = Math.min(...times)
  const counts: number[] = []
  for (const t of times) {
    const second = Math.floor((t - start) / 1000)
    counts[second] = (counts[second] ?? 0) + 1
  }
  return Array.from(counts, (n) => n ?? 0)
}
