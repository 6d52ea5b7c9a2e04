/**
 * A real HTTP server on 127.0.0.1 that misbehaves on request: the first path segment picks the fault,
 * so one server serves every connection (a connection's base URL ends in the fault's name).
 *
 * | path              | behaviour                                                            |
 * |-------------------|----------------------------------------------------------------------|
 * | /ok/…             | 200 JSON echo of what was received                                   |
 * | /stall/…          | 200 headers, then nothing                                            |
 * | /slow/…           | 200 headers, 4 KiB at once, then one byte every 100 ms, never ending |
 * | /reset/…          | destroys the socket without answering                                |
 * | /badjson/…        | 200 `application/json` that does not parse                           |
 * | /big/…?bytes=N    | N bytes (default 10 MB) in 64 KiB chunks with back-pressure; under   |
 * |                   | /big/declared/… (or with `&length=1`) with a Content-Length           |
 * | /trickle/…        | 64 KiB, then waits for `release()` before the rest                   |
 * | /throttle/…       | 429 `Retry-After: <retryAfter>` the first time per path, then 200    |
 * | /unavailable/…    | 503 the first time per path, then 200                                |
 * | /redirect/…?to=U  | 302 (or `&status=`) to U (default: the `redirectTo` option)          |
 * | /sink/…           | counts the request body as it arrives (never held), answers the count|
 * | /status/N/…       | status N with a JSON body                                            |
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** What the server saw of one request (bodies over 64 KiB are counted, not kept). */
export interface Seen {
  method: string
  url: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: string
  bytes: number
}

export interface FaultServer {
  origin: string
  requests: Seen[]
  /** `/slow` and `/stall` responses whose connection has closed (the caller gave up or timed out). */
  readonly closedEarly: number
  /** Requests whose path starts with `prefix`. */
  seen(prefix: string): Seen[]
  /** Lets waiting `/trickle` responses finish. */
  release(): void
  /** Resolves when the next `/sink` request's first body bytes arrive. */
  nextUploadBytes(): Promise<void>
  close(): Promise<void>
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61)

/**
 * @example
 * const faults = await startFaultServer({ retryAfter: '1' })
 * await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: `${faults.origin}/stall`, apiKey } })
 */
export async function startFaultServer(
  options: { retryAfter?: string; redirectTo?: string; redirectStatus?: number } = {},
): Promise<FaultServer> {
  const requests: Seen[] = []
  const hits = new Map<string, number>()
  const timers = new Set<NodeJS.Timeout>()
  let released = false
  let closedEarly = 0
  const waiting: Array<() => void> = []
  let firstUpload = deferred()

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fault')
    const fault = url.pathname.split('/')[1] ?? ''
    const seen: Seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: '',
      bytes: 0,
    }
    requests.push(seen)
    if (fault === 'sink') {
      req.on('data', (chunk: Buffer) => {
        if (seen.bytes === 0) firstUpload.resolve()
        seen.bytes += chunk.byteLength
      })
      req.on('end', () => json(res, 200, { bytes: seen.bytes }))
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      seen.bytes += chunk.byteLength
      if (seen.bytes <= 64 * 1024) chunks.push(chunk)
    })
    req.on('end', () => {
      seen.body = Buffer.concat(chunks).toString()
      const count = (hits.get(url.pathname) ?? 0) + 1
      hits.set(url.pathname, count)
      switch (fault) {
        case 'stall':
          res.writeHead(200, { 'content-type': 'application/json' })
          res.flushHeaders()
          res.on('close', () => closedEarly++)
          return
        case 'slow': {
          res.writeHead(200, { 'content-type': 'text/plain' })
          // More than the proxy's masker holds back at the end of what it has seen, so some of it passes at once.
          res.write('.'.repeat(4096))
          const timer = setInterval(() => res.write('.'), 100)
          timers.add(timer)
          res.on('close', () => {
            clearInterval(timer)
            closedEarly++
          })
          return
        }
        case 'reset':
          req.socket.destroy()
          return
        case 'badjson':
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end('{"ok": tru')
          return
        case 'big':
          return streamBytes(
            res,
            Number(url.searchParams.get('bytes') ?? 10_000_000),
            url.searchParams.has('length') || url.pathname.startsWith('/big/declared/'),
          )
        case 'trickle':
          res.writeHead(200, { 'content-type': 'application/octet-stream' })
          res.write(CHUNK)
          if (released) res.end(CHUNK)
          else waiting.push(() => res.end(CHUNK))
          return
        case 'throttle':
          if (count === 1) return json(res, 429, { error: 'slow down' }, { 'retry-after': options.retryAfter ?? '1' })
          return json(res, 200, { ok: true, count })
        case 'unavailable':
          if (count === 1) return json(res, 503, { error: 'try again' })
          return json(res, 200, { ok: true, count })
        case 'status':
          return json(res, Number(url.pathname.split('/')[2]), { status: Number(url.pathname.split('/')[2]) })
        case 'redirect':
          res.writeHead(Number(url.searchParams.get('status') ?? options.redirectStatus ?? 302), {
            location: url.searchParams.get('to') ?? options.redirectTo ?? '/',
          })
          res.end()
          return
        default:
          return json(res, 200, { method: seen.method, url: seen.url, headers: req.headers, body: seen.body })
      }
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    get closedEarly() {
      return closedEarly
    },
    seen: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    release() {
      released = true
      for (const finish of waiting.splice(0)) finish()
    },
    nextUploadBytes() {
      firstUpload = deferred()
      return firstUpload.promise
    },
    close: () =>
      new Promise<void>((done) => {
        for (const timer of timers) clearInterval(timer)
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

/** Writes `total` bytes from one reused buffer, waiting for `drain`: the server holds at most a chunk. */
function streamBytes(res: http.ServerResponse, total: number, declare: boolean): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', ...(declare ? { 'content-length': String(total) } : {}) })
  let left = total
  const pump = () => {
    while (left > 0) {
      const size = Math.min(left, CHUNK.byteLength)
      left -= size
      if (!res.write(size === CHUNK.byteLength ? CHUNK : CHUNK.subarray(0, size))) return void res.once('drain', pump)
    }
    res.end()
  }
  res.on('close', () => {
    left = 0
  })
  pump()
}

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

/**
 * Times a call against an expected duration, compensating for event-loop lateness on a loaded machine:
 * a ticker every 10 ms adds up how late it ran (time the process could not run anything: the
 * runtime's timeout and everything after it waited just as long), and a probe timer set for the same
 * duration shows how late that one timer fired.
 *
 * @example
 * const { ms, lateness, result } = await timed(1000, () => lab.api('POST', path, { body }))
 * expect(ms).toBeGreaterThanOrEqual(900); expect(ms).toBeLessThanOrEqual(1100 + lateness)
 */
export async function timed<T>(expectedMs: number, work: () => Promise<T>): Promise<{ ms: number; lateness: number; result: T }> {
  const started = performance.now()
  let last = started
  let stalled = 0
  const ticker = setInterval(() => {
    const now = performance.now()
    stalled += Math.max(0, now - last - 10)
    last = now
  }, 10)
  let late = 0
  const probe = setTimeout(() => (late = performance.now() - started - expectedMs), expectedMs)
  try {
    const result = await work()
    const ms = performance.now() - started
    // A call that ended before the probe fired needs no more than what the ticker saw.
    return { ms, lateness: Math.max(late, stalled + Math.max(0, performance.now() - last - 10)), result }
  } finally {
    clearInterval(ticker)
    clearTimeout(probe)
  }
}

/**
 * Live memory while something streams: each sample runs a full garbage collection first, so what is
 * counted was held, not garbage waiting for collection. Samples are taken when the caller says (every
 * few MiB of progress: the same points on a fast and on a loaded machine) and, with `everyMs`, on a
 * timer. `median` is the typical growth over the start; `peak` the largest, which on a loaded machine
 * includes bursts the HTTP stack reads ahead and buffers a starved background sweeper has not freed yet.
 *
 * @example
 * const probe = memoryProbe()
 * await drain(body, () => probe.sample())
 * const { median, peak } = probe.stop() // growth in bytes of ArrayBuffer memory
 */
export function memoryProbe(everyMs?: number) {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  const start = process.memoryUsage()
  const samples: number[] = []
  let rss = 0
  const sample = () => {
    gc()
    const now = process.memoryUsage()
    samples.push(now.arrayBuffers - start.arrayBuffers)
    rss = Math.max(rss, now.rss - start.rss)
  }
  const timer = everyMs === undefined ? undefined : setInterval(sample, everyMs)
  let result: { median: number; peak: number; rss: number; samples: number } | undefined
  return {
    sample,
    stop() {
      if (result) return result
      clearInterval(timer)
      if (samples.length === 0) sample()
      const sorted = [...samples].sort((a, b) => a - b)
      result = { median: sorted[Math.floor(sorted.length / 2)]!, peak: sorted.at(-1)!, rss, samples: samples.length }
      return result
    },
  }
}

/** Reads a stream to its end, keeping nothing but the count; calls `onMiB` after every 2 MiB. */
export async function drain(stream: ReadableStream<Uint8Array> | null, onMiB?: () => void): Promise<number> {
  if (!stream) return 0
  let bytes = 0
  let mark = 2 * 1024 * 1024
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return bytes
    bytes += value.byteLength
    if (bytes >= mark) {
      mark += 2 * 1024 * 1024
      onMiB?.()
    }
  }
}
