import { Readable } from 'node:stream'
import { request as undiciRequest } from 'undici'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { drain, type FaultServer, memoryProbe, startFaultServer, timed } from '../actions/faults.ts'
import { createLab, type Lab } from '../actions/harness.ts'

/** The proxy's total timeout in this file. */
const T = 1000
const KEY = 'proxy_key_40c1d9e7'
const MiB = 1024 * 1024

let lab: Lab
let faults: FaultServer
let landing: FaultServer
const ids = new WeakMap<Lab, Map<string, string>>()

beforeAll(async () => {
  landing = await startFaultServer()
  faults = await startFaultServer({ redirectTo: `${landing.origin}/ok/landed` })
  // The client allows big bodies; the proxy's own limits are what is tested.
  lab = await createLab({
    http: { timeoutMs: 30_000, maxResponseBytes: 512 * MiB },
    proxy: { timeoutMs: T, maxResponseBytes: 256 * MiB, maxRequestBytes: 256 * MiB },
  })
  for (const fault of ['ok', 'stall', 'slow', 'reset', 'badjson', 'trickle', 'throttle', 'unavailable', 'redirect']) await base(fault)
  await drain((await lab.raw(`${await base('ok')}/warm`)).body)
})

afterAll(async () => {
  await faults.close()
  await landing.close()
  await lab.close()
})

/** The proxy route of a connection whose base URL picks `fault` (one per lab, server and fault). */
async function base(fault: string, on: Lab = lab, server: FaultServer = faults): Promise<string> {
  const name = `${fault} ${server.origin}`
  const known = ids.get(on) ?? new Map<string, string>()
  ids.set(on, known)
  let id = known.get(name)
  if (!id) {
    id = await on.connect({ connectorId: 'fault-lab', name, values: { baseUrl: `${server.origin}/${fault}`, apiKey: KEY } })
    known.set(name, id)
  }
  return `/api/apps/default/connections/${id}/proxy`
}

let n = 0
const fresh = () => `/t${++n}`

/** The promise's rejection, or a failure when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected the stream to fail'),
    (error: unknown) => error,
  )
}

/** Within the timeout, ±10 %, allowing for how late timers fire on this machine right now. */
function expectAbout(ms: number, lateness: number, expected = T): void {
  expect(ms).toBeGreaterThanOrEqual(expected * 0.9)
  expect(ms).toBeLessThanOrEqual(expected * 1.1 + lateness)
}

describe('timeouts end the call on time', () => {
  test('stall after headers: the headers pass at once, the body fails at the timeout', async () => {
    const path = `${await base('stall')}${fresh()}`
    const { ms, lateness, result } = await timed(T, async () => {
      const res = await lab.raw(path)
      expect(res.status).toBe(200)
      return { res, headersAt: performance.now(), error: await rejection(drain(res.body)) }
    })
    expect(result.error).toMatchObject({ code: 'upstream_timeout' })
    expect(String(result.error)).not.toContain(KEY)
    expectAbout(ms, lateness)
  })

  test('a body that trickles forever: what came passes, then it fails at the timeout and the upstream is let go', async () => {
    const closed = faults.closedEarly
    const path = `${await base('slow')}${fresh()}`
    let received = 0
    const { ms, lateness, result } = await timed(T, async () => {
      const res = await lab.raw(path)
      const reader = res.body!.getReader()
      for (;;) {
        const next = await reader.read().catch((error: unknown) => ({ error }))
        if ('error' in next) return next.error
        if (next.done) return undefined
        received += next.value.byteLength
      }
    })
    expect(result).toMatchObject({ code: 'upstream_timeout' })
    expect(received).toBeGreaterThan(3)
    expectAbout(ms, lateness)
    await expect.poll(() => faults.closedEarly).toBeGreaterThan(closed)
  })

  test('over a real socket, a body cut off by the timeout is not mistaken for a complete one', async () => {
    const served = await lab.serve()
    const path = `${await base('stall')}${fresh()}`
    const { ms, lateness, result } = await timed(T, async () => {
      const res = await undiciRequest(`${served.origin}${path}`, { headers: { authorization: `Bearer ${lab.token}` } })
      expect(res.statusCode).toBe(200)
      return rejection(res.body.text())
    })
    expect(result).toBeInstanceOf(Error)
    expectAbout(ms, lateness)
    await served.close()
  })
})

describe('broken answers', () => {
  test('connection reset: GET is retried, then 502 upstream_error quickly, no secret in it', async () => {
    const path = fresh()
    const target = `${await base('reset')}${path}`
    const { ms, lateness, result: res } = await timed(T, () => lab.api('GET', target))
    expect(res.status).toBe(502)
    expect(res.body.error).toMatchObject({ code: 'upstream_error', details: { kind: 'reset', attempts: 3 } })
    expect(faults.seen(`/reset${path}`)).toHaveLength(3)
    expect(ms).toBeLessThan(T + lateness)
  })

  test('connection reset: a POST with a body is sent once', async () => {
    const path = fresh()
    const res = await lab.api('POST', `${await base('reset')}${path}`, { body: { a: 1 } })
    expect(res.status).toBe(502)
    expect(res.body.error.details.attempts).toBe(1)
    expect(faults.seen(`/reset${path}`)).toHaveLength(1)
  })

  test('invalid JSON passes through byte for byte', async () => {
    const res = await lab.raw(`${await base('badjson')}${fresh()}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.text()).toBe('{"ok": tru')
  })
})

describe('big bodies stream, in bounded memory', () => {
  /** A lab whose proxy allows a long exchange, for bodies that take a while in-process. */
  let roomy: Lab
  beforeAll(async () => {
    roomy = await createLab({
      http: { timeoutMs: 30_000, maxResponseBytes: 512 * MiB },
      proxy: { timeoutMs: 30_000, maxResponseBytes: 256 * MiB, maxRequestBytes: 256 * MiB },
    })
    // Warm up both directions first: what the HTTP stack allocates once (parser memory, socket
    // buffers) is not what a body costs.
    await drain((await roomy.raw(`${await base('big', roomy)}/warm?bytes=${4 * MiB}`)).body)
    await (await roomy.raw(`${await base('sink', roomy)}/warm`, { method: 'POST', body: new Uint8Array(4 * MiB) })).text()
  })
  afterAll(() => roomy.close())

  /**
   * Measures live memory around `work`, which samples it as it goes; the probe stops however it ends.
   * The bound is a constant, not a share of the body: on loopback the HTTP stack reads ahead in bursts
   * of up to ~6 MiB when the consumer falls behind (seen with the runtime's client alone too), whatever
   * the body size; a proxy that held bodies whole would hold all of them.
   */
  async function measured(work: (sample: () => void) => Promise<void>) {
    const probe = memoryProbe()
    try {
      await work(probe.sample)
    } finally {
      probe.stop()
    }
    return probe.stop()
  }

  test('a declared 10 MB download streams with its length', async () => {
    const path = `${await base('big/declared', roomy)}${fresh()}`
    const peak = await measured(async (sample) => {
      const res = await roomy.raw(path)
      expect(res.headers.get('content-length')).toBe('10000000')
      expect(await drain(res.body, sample)).toBe(10_000_000)
    })
    expect(peak.samples).toBe(4)
    expect(peak.median).toBeLessThan(8 * MiB)
  })

  test('a 32 MiB download: live memory grows by a small fraction of it', async () => {
    const size = 32 * MiB
    const path = `${await base('big', roomy)}${fresh()}?bytes=${size}`
    const peak = await measured(async (sample) => {
      const res = await roomy.raw(path)
      expect(await drain(res.body, sample)).toBe(size)
    })
    expect(peak.samples).toBe(16)
    // Read-ahead grows when a busy machine slows the reader; holding the body would be 32 MiB.
    expect(peak.median).toBeLessThan(12 * MiB)
    expect(peak.peak).toBeLessThan(size)
  })

  test('50 MiB down and 50 MiB up over a real socket: live memory stays bounded', async () => {
    const size = 50 * MiB
    const served = await roomy.serve()
    const headers = { authorization: `Bearer ${roomy.token}` }
    try {
      const down = await measured(async (sample) => {
        const res = await undiciRequest(`${served.origin}${await base('big', roomy)}${fresh()}?bytes=${size}`, { headers })
        expect(res.statusCode).toBe(200)
        let bytes = 0
        let mark = 2 * MiB
        for await (const chunk of res.body) {
          bytes += (chunk as Buffer).byteLength
          if (bytes >= mark) (mark += 2 * MiB), sample()
        }
        expect(bytes).toBe(size)
      })
      expect(down.samples).toBe(25)
      // Read-ahead grows when a busy machine slows the reader; holding the body would be 50 MiB.
      expect(down.median).toBeLessThan(16 * MiB)
      expect(down.peak).toBeLessThan(size / 2)

      const chunk = Buffer.alloc(256 * 1024, 7)
      const up = await measured(async (sample) => {
        async function* body() {
          for (let sent = chunk.byteLength; sent <= size; sent += chunk.byteLength) {
            if (sent % (2 * MiB) === 0) sample()
            yield chunk
          }
        }
        const res = await undiciRequest(`${served.origin}${await base('sink', roomy)}${fresh()}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/octet-stream' },
          body: Readable.from(body()),
        })
        expect(res.statusCode).toBe(200)
        expect(await res.body.json()).toEqual({ bytes: size })
      })
      expect(up.median).toBeLessThan(16 * MiB)
      expect(up.peak).toBeLessThan(size / 2)
    } finally {
      await served.close()
    }
  }, 120_000)

  test('the first bytes reach the caller before the upstream has sent the rest', async () => {
    const res = await lab.raw(`${await base('trickle')}${fresh()}`)
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(first.value!.byteLength).toBeGreaterThan(0)
    faults.release()
    let total = first.value!.byteLength
    for (let next = await reader.read(); !next.done; next = await reader.read()) total += next.value.byteLength
    expect(total).toBe(128 * 1024)
  })

  test('a 32 MiB upload streams to the upstream, which sees bytes before the caller has sent them all', async () => {
    const size = 32 * MiB
    const chunk = new Uint8Array(256 * 1024).fill(7)
    let sent = 0
    let sentWhenUpstreamSawBytes = -1
    const upstreamSaw = faults.nextUploadBytes().then(() => (sentWhenUpstreamSawBytes = sent))
    const path = `${await base('sink', roomy)}${fresh()}`
    const peak = await measured(async (sample) => {
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent >= size) return controller.close()
          // Halfway, wait for the upstream to have seen bytes (an event, not a deadline): a streaming proxy has
          // passed them on by then; one that held the body would still be waiting when the wait gives up.
          if (sent === size / 2) await Promise.race([upstreamSaw, new Promise((done) => setTimeout(done, 20_000))])
          sent += chunk.byteLength
          if (sent % (2 * MiB) === 0) sample()
          controller.enqueue(chunk)
        },
      })
      const res = await roomy.raw(path, { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/octet-stream' } })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ bytes: size })
    })
    expect(sentWhenUpstreamSawBytes).toBeGreaterThan(0)
    expect(sentWhenUpstreamSawBytes).toBeLessThan(size)
    expect(peak.median).toBeLessThan(8 * MiB)
    expect(peak.peak).toBeLessThan(size)
  })

  test("past the proxy's response limit: a declared body is a 502 at once, an undeclared one is cut off", async () => {
    const small = await createLab({ http: { maxResponseBytes: 512 * MiB }, proxy: { maxResponseBytes: 4 * MiB } })
    const declared = await small.api('GET', `${await base('big/declared', small)}/x`)
    expect(declared.status).toBe(502)
    expect(declared.body.error).toMatchObject({ code: 'upstream_error', details: { reason: 'response_too_large', limitBytes: 4 * MiB } })
    const undeclared = await base('big', small)
    const res = await small.raw(`${undeclared}/y`)
    expect(res.status).toBe(200)
    let received = 0
    const error = await rejection(
      (async () => {
        const reader = res.body!.getReader()
        for (let next = await reader.read(); !next.done; next = await reader.read()) received += next.value.byteLength
      })(),
    )
    expect(error).toMatchObject({ code: 'upstream_error', details: { reason: 'response_too_large' } })
    expect(received).toBeLessThanOrEqual(4 * MiB)
    const runs = await small.runs.list('default', undeclared.split('/')[5]!)
    expect(runs[0]).toMatchObject({ outcome: 'failed', code: 'upstream_error', status: 200 })
    await small.close()
  })
})

describe('asked to come back later', () => {
  test('429 with Retry-After: a GET waits that long and gets the 200', async () => {
    const path = `${await base('throttle')}${fresh()}`
    const { ms, lateness, result } = await timed(1000, async () => {
      const res = await lab.raw(path)
      return { status: res.status, body: await res.json() }
    })
    expect(result).toEqual({ status: 200, body: { ok: true, count: 2 } })
    expectAbout(ms, lateness, 1000)
  })

  test('429 on POST is passed on at once, with its Retry-After', async () => {
    const res = await lab.raw(`${await base('throttle')}${fresh()}`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    await res.text()
  })

  test('503 then 200: a GET is retried; a POST gets the 503', async () => {
    const get = await lab.raw(`${await base('unavailable')}${fresh()}`)
    expect(get.status).toBe(200)
    expect(await get.json()).toEqual({ ok: true, count: 2 })
    const post = await lab.raw(`${await base('unavailable')}${fresh()}`, { method: 'POST', body: 'x' })
    expect(post.status).toBe(503)
    await post.text()
  })
})

describe('redirect to another origin', () => {
  test('a GET is not followed: the caller gets the 302 with its Location, and the other origin sees nothing', async () => {
    const path = fresh()
    const before = landing.requests.length
    const res = await lab.raw(`${await base('redirect')}${path}?page=2`)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`${landing.origin}/ok/landed`)
    await res.text()
    const first = faults.seen(`/redirect${path}`)[0]!
    expect(first.headers['x-api-key']).toBe(KEY)
    expect(first.query.get('key')).toBe(KEY)
    expect(landing.requests.length).toBe(before)
  })

  test('a 307 after a streamed body is answered as it is, and the other origin sees nothing', async () => {
    const replaying = await startFaultServer({ redirectTo: `${landing.origin}/ok/replayed`, redirectStatus: 307 })
    const before = landing.requests.length
    const res = await lab.api('POST', `${await base('redirect', lab, replaying)}/x`, { body: { big: 'body' } })
    expect(res.status).toBe(307)
    expect(res.text).not.toContain(KEY)
    expect(landing.requests.length).toBe(before)
    await replaying.close()
  })

  test('a 303 after a POST is answered as it is: no GET goes to the other origin', async () => {
    const seeOther = await startFaultServer({ redirectTo: `${landing.origin}/ok/seen`, redirectStatus: 303 })
    const before = landing.requests.length
    const res = await lab.raw(`${await base('redirect', lab, seeOther)}/x`, {
      method: 'POST',
      body: 'secret form',
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${landing.origin}/ok/seen`)
    await res.text()
    expect(landing.requests.length).toBe(before)
    await seeOther.close()
  })
})

test('a caller that goes away mid-stream lets go of the upstream', async () => {
  const closed = faults.closedEarly
  const res = await lab.raw(`${await base('slow')}${fresh()}`)
  const reader = res.body!.getReader()
  await reader.read()
  await reader.cancel()
  await expect.poll(() => faults.closedEarly, { timeout: 2000 }).toBeGreaterThan(closed)
})

test('no answer, error or log line carried the key', () => {
  for (const response of lab.responses) expect(response.text).not.toContain(KEY)
  for (const line of lab.log) expect(line).not.toContain(KEY)
})
