import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type RetryPolicy, retryAfterMs, sendWithRetries, streamWithRetries } from '../../runtime/core/use/index.ts'
import { SwitchboardError } from '../../runtime/errors.ts'
import { createHttpClient, type HttpClient } from '../../runtime/platform/http/index.ts'
import { type FaultServer, startFaultServer } from './faults.ts'

let faults: FaultServer
let client: HttpClient

beforeAll(async () => {
  faults = await startFaultServer({ retryAfter: '2' })
  client = createHttpClient({ allowedHosts: '127.0.0.1', timeoutMs: 800 })
})

afterAll(async () => {
  await client.close()
  await faults.close()
})

/** A policy that records the waits instead of sleeping them. */
function recording(extra: RetryPolicy = {}): RetryPolicy & { waits: number[] } {
  const waits: number[] = []
  return { waits, sleep: async (ms) => void waits.push(ms), random: () => 0.5, baseDelayMs: 100, ...extra }
}

let n = 0
/** A path no other test used, so per-path fault counters start at zero. */
const fresh = (fault: string) => `${faults.origin}/${fault}/t${++n}`

async function failure(promise: Promise<unknown>): Promise<SwitchboardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SwitchboardError)
  return error as SwitchboardError
}

describe('idempotent methods are retried', () => {
  test.each(['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'])('%s after a 503: backoff, then the 200', async (method) => {
    const policy = recording()
    const url = fresh('unavailable')
    const { response, attempts } = await sendWithRetries(client, { url, method }, policy)
    expect(response.status).toBe(200)
    expect(attempts).toBe(2)
    expect(policy.waits).toEqual([100])
    expect(faults.seen(new URL(url).pathname)).toHaveLength(2)
  })

  test('after 502 and 504, up to the attempt limit; the last answer is returned', async () => {
    for (const status of [502, 504]) {
      const policy = recording({ maxAttempts: 4 })
      const url = fresh(`status/${status}`)
      const { response, attempts } = await sendWithRetries(client, { url }, policy)
      expect(response.status).toBe(status)
      expect(attempts).toBe(4)
      // Exponential: 100, 200, 400 (jitter at its middle).
      expect(policy.waits).toEqual([100, 200, 400])
    }
  })

  test('after a connection reset, with details.attempts on the final error', async () => {
    const policy = recording()
    const url = fresh('reset')
    const error = await failure(sendWithRetries(client, { url }, policy))
    expect(error.code).toBe('upstream_error')
    expect(error.details).toMatchObject({ attempts: 3 })
    expect(faults.seen(new URL(url).pathname)).toHaveLength(3)
  })

  test('a 500 or a 4xx is an answer, not a reason to retry', async () => {
    for (const status of [500, 400, 404]) {
      const policy = recording()
      const { attempts } = await sendWithRetries(client, { url: fresh(`status/${status}`) }, policy)
      expect(attempts).toBe(1)
    }
  })

  test('a timeout is not retried, so a call ends within its timeout', async () => {
    const policy = recording()
    const url = fresh('stall')
    const error = await failure(sendWithRetries(client, { url }, policy))
    expect(error.code).toBe('upstream_timeout')
    expect(faults.seen(new URL(url).pathname)).toHaveLength(1)
  })
})

describe('other methods are not', () => {
  test.each(['POST', 'PATCH'])('%s after a 503, a 502 or a reset', async (method) => {
    for (const fault of ['unavailable', 'status/502']) {
      const { response, attempts } = await sendWithRetries(client, { url: fresh(fault), method, body: '{}' }, recording())
      expect(response.status).toBeGreaterThanOrEqual(500)
      expect(attempts).toBe(1)
    }
    const url = fresh('reset')
    const error = await failure(sendWithRetries(client, { url, method, body: '{}' }, recording()))
    expect(error.code).toBe('upstream_error')
    expect(faults.seen(new URL(url).pathname)).toHaveLength(1)
  })

  test('POST after a 429: answered as it is, even with a short Retry-After', async () => {
    const policy = recording()
    const { response, attempts } = await sendWithRetries(client, { url: fresh('throttle'), method: 'POST', body: '{}' }, policy)
    expect(response.status).toBe(429)
    expect(attempts).toBe(1)
    expect(policy.waits).toEqual([])
  })

  test('any method is retried when the connection was refused, since nothing was sent', async () => {
    const closed = http.createServer()
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', () => done()))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((done) => closed.close(() => done()))
    const policy = recording()
    const error = await failure(sendWithRetries(client, { url: `http://127.0.0.1:${port}/x`, method: 'POST', body: '{}' }, policy))
    expect(error.code).toBe('connection_refused')
    expect(error.details).toMatchObject({ attempts: 3 })
    expect(policy.waits).toEqual([100, 200])
  })
})

describe('Retry-After', () => {
  test('a 429 on GET waits what the upstream asked for', async () => {
    const policy = recording()
    const { response, attempts } = await sendWithRetries(client, { url: fresh('throttle') }, policy)
    expect(response.status).toBe(200)
    expect(attempts).toBe(2)
    expect(policy.waits).toEqual([2000])
  })

  test('longer than the bound: the 429 is answered at once, Retry-After and all', async () => {
    const policy = recording({ maxRetryAfterMs: 1500 })
    const { response, attempts } = await sendWithRetries(client, { url: fresh('throttle') }, policy)
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('2')
    expect(attempts).toBe(1)
    expect(policy.waits).toEqual([])
  })

  test('delay-seconds or an HTTP date; anything else is ignored', () => {
    const now = Date.parse('2025-03-01T09:00:00Z')
    expect(retryAfterMs('2', now)).toBe(2000)
    expect(retryAfterMs(' 0 ', now)).toBe(0)
    expect(retryAfterMs('Sat, 01 Mar 2025 09:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Sat, 01 Mar 2025 08:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs('-1', now)).toBeUndefined()
    expect(retryAfterMs(null, now)).toBeUndefined()
  })
})

describe('backoff', () => {
  test('doubles each time with ±50 % jitter, and stops at maxDelayMs', async () => {
    const low = recording({ random: () => 0, maxAttempts: 5 })
    await sendWithRetries(client, { url: fresh('status/503') }, low)
    expect(low.waits).toEqual([50, 100, 200, 400])
    const high = recording({ random: () => 0.999, maxAttempts: 5, maxDelayMs: 500 })
    await sendWithRetries(client, { url: fresh('status/503') }, high)
    expect(high.waits.map(Math.round)).toEqual([150, 300, 500, 500])
  })

  test('the real sleep waits about as long as it says', async () => {
    const started = performance.now()
    const { attempts } = await sendWithRetries(client, { url: fresh('unavailable') }, { baseDelayMs: 150, random: () => 0.5 })
    expect(attempts).toBe(2)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })
})

describe('streamed answers', () => {
  test('a retried response has its body cancelled, the last one is returned as a stream', async () => {
    const policy = recording()
    const { response, attempts } = await streamWithRetries(client, { url: fresh('unavailable') }, policy)
    expect(attempts).toBe(2)
    expect(JSON.parse(await new Response(response.body).text())).toMatchObject({ ok: true, count: 2 })
  })

  test('a request whose body is a stream is sent once, whatever the method', async () => {
    const url = fresh('unavailable')
    const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode('once')), c.close()) })
    const { response, attempts } = await streamWithRetries(
      client,
      { url, method: 'PUT', body, headers: { 'content-type': 'text/plain' } },
      recording(),
    )
    expect(response.status).toBe(503)
    expect(attempts).toBe(1)
    await response.body.cancel()
    expect(faults.seen(new URL(url).pathname).map((r) => r.body)).toEqual(['once'])
  })
})
