import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FaultServer, memoryProbe, startFaultServer, timed } from './faults.ts'
import { type ApiResponse, createLab, type Lab } from './harness.ts'

/** The client's total timeout in this file. */
const T = 1000
const KEY = 'fault_key_9b27e04c'

let lab: Lab
let faults: FaultServer
let landing: FaultServer
const ids = new Map<string, string>()

beforeAll(async () => {
  landing = await startFaultServer()
  faults = await startFaultServer({ redirectTo: `${landing.origin}/ok/landed` })
  lab = await createLab({ http: { timeoutMs: T, maxResponseBytes: 1024 * 1024 } })
  // Connections made and code paths warmed up front, so timings measure the call alone.
  for (const fault of ['ok', 'stall', 'slow', 'reset', 'badjson', 'throttle', 'unavailable', 'redirect']) await connection(fault)
  await run('ok')
  await run('ok', 'write')
})

afterAll(async () => {
  await faults.close()
  await landing.close()
  await lab.close()
})

/** A connection whose base URL picks `fault` (one per fault, made once). */
async function connection(fault: string): Promise<string> {
  let id = ids.get(fault)
  if (!id) {
    id = await lab.connect({ connectorId: 'fault-lab', name: fault, values: { baseUrl: `${faults.origin}/${fault}`, apiKey: KEY } })
    ids.set(fault, id)
  }
  return id
}

let n = 0
/** Runs the lab's `read` (GET), `write` (POST) or `replace` (PUT) action against a fault; a fresh path each time. */
async function run(fault: string, action: 'read' | 'write' | 'replace' = 'read', what = `t${++n}`): Promise<ApiResponse> {
  const id = await connection(fault)
  return lab.api('POST', `/api/apps/default/connections/${id}/actions/${action}`, {
    body: { inputs: { what, ...(action === 'read' ? { q: 'x' } : { text: 'hello' }) } },
  })
}

/** Within the timeout, ±10 %, allowing for how late timers fire on this machine right now. */
function expectAbout(ms: number, lateness: number, expected = T): void {
  expect(ms).toBeGreaterThanOrEqual(expected * 0.9)
  expect(ms).toBeLessThanOrEqual(expected * 1.1 + lateness)
}

describe('timeouts end the call on time', () => {
  test('stall after headers: 504 upstream_timeout, not retried', async () => {
    const { ms, lateness, result } = await timed(T, () => run('stall'))
    expect(result.status).toBe(504)
    expect(result.body.error.code).toBe('upstream_timeout')
    expect(result.body.error.details).toMatchObject({ phase: 'total', timeoutMs: T, attempts: 1 })
    expectAbout(ms, lateness)
  })

  test('a body that trickles forever: 504 at the timeout, and the upstream connection is closed', async () => {
    const closed = faults.closedEarly
    const { ms, lateness, result } = await timed(T, () => run('slow'))
    expect(result.status).toBe(504)
    expect(result.body.error.code).toBe('upstream_timeout')
    expectAbout(ms, lateness)
    await expect.poll(() => faults.closedEarly).toBeGreaterThan(closed)
  })

  test('PUT is idempotent but a timeout is still not repeated', async () => {
    const before = faults.seen('/stall').length
    const { ms, lateness, result } = await timed(T, () => run('stall', 'replace'))
    expect(result.status).toBe(504)
    expectAbout(ms, lateness)
    expect(faults.seen('/stall').length).toBe(before + 1)
  })
})

describe('broken answers', () => {
  test('connection reset: GET is retried, then 502 upstream_error with the attempts, well within the timeout', async () => {
    const what = `t${++n}`
    const { ms, lateness, result } = await timed(T, () => run('reset', 'read', what))
    expect(result.status).toBe(502)
    expect(result.body.error.code).toBe('upstream_error')
    expect(result.body.error.details).toMatchObject({ kind: 'reset', attempts: 3 })
    expect(faults.seen(`/reset/${what}`)).toHaveLength(3)
    expect(ms).toBeLessThan(T + lateness)
  })

  test('connection reset: POST is sent once', async () => {
    const what = `t${++n}`
    const result = await run('reset', 'write', what)
    expect(result.status).toBe(502)
    expect(result.body.error.details.attempts).toBe(1)
    expect(faults.seen(`/reset/${what}`)).toHaveLength(1)
  })

  test('invalid JSON: the upstream answered, so 200 with the text as it came', async () => {
    const result = await run('badjson')
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ ok: true, status: 200, body: '{"ok": tru' })
  })

  test('a 10 MB body past the 1 MiB limit: 502, read no further than the limit', async () => {
    const id = await lab.connect({ connectorId: 'fault-lab', name: 'big', values: { baseUrl: `${faults.origin}/big`, apiKey: KEY } })
    const probe = memoryProbe(50)
    const { ms, lateness, result } = await timed(T, () =>
      lab.api('POST', `/api/apps/default/connections/${id}/actions/read`, { body: { inputs: { what: 'x' } } }),
    ).finally(() => probe.stop())
    const peak = probe.stop()
    expect(result.status).toBe(502)
    expect(result.body.error.code).toBe('upstream_error')
    expect(result.body.error.details).toMatchObject({ reason: 'response_too_large', limitBytes: 1024 * 1024 })
    expect(peak.median).toBeLessThan(8 * 1024 * 1024)
    expect(ms).toBeLessThan(T + lateness)
  })

  test('a declared 10 MB body is refused before a byte of it is read', async () => {
    const id = await lab.connect({
      connectorId: 'fault-lab',
      name: 'big declared',
      values: { baseUrl: `${faults.origin}/big/declared`, apiKey: KEY },
    })
    const result = await lab.api('POST', `/api/apps/default/connections/${id}/actions/read`, { body: { inputs: { what: 'x', q: 'y' } } })
    expect(result.status).toBe(502)
    expect(result.body.error.details.reason).toBe('response_too_large')
  })
})

describe('asked to come back later', () => {
  test('429 with Retry-After: GET waits that long, then succeeds', async () => {
    const { ms, lateness, result } = await timed(1000, () => run('throttle'))
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ ok: true, status: 200, attempts: 2, body: { ok: true, count: 2 } })
    expectAbout(ms, lateness, 1000)
  })

  test('429 on POST is answered at once, with its Retry-After', async () => {
    const result = await run('throttle', 'write')
    expect(result.status).toBe(200)
    // One attempt: no wait for the Retry-After, and nothing sent twice.
    expect(result.body).toMatchObject({ ok: false, status: 429, attempts: 1, headers: { 'retry-after': '1' } })
  })

  test('a Retry-After past the bound is answered at once', async () => {
    const patient = await startFaultServer({ retryAfter: '30' })
    const id = await lab.connect({
      connectorId: 'fault-lab',
      name: 'patient',
      values: { baseUrl: `${patient.origin}/throttle`, apiKey: KEY },
    })
    const result = await lab.api('POST', `/api/apps/default/connections/${id}/actions/read`, { body: { inputs: { what: 'x' } } })
    expect(result.body).toMatchObject({ ok: false, status: 429, attempts: 1, headers: { 'retry-after': '30' } })
    expect(result.ms).toBeLessThan(5000)
    await patient.close()
  })

  test('503 then 200: GET is retried after a backoff', async () => {
    const result = await run('unavailable')
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ ok: true, status: 200, attempts: 2 })
  })

  test('503 on POST is passed on, not repeated', async () => {
    const what = `t${++n}`
    const result = await run('unavailable', 'write', what)
    expect(result.body).toMatchObject({ ok: false, status: 503, attempts: 1 })
    expect(faults.seen(`/unavailable/${what}`)).toHaveLength(1)
  })
})

describe('redirect to another origin', () => {
  test('a GET is not followed: the action answers the 302 with its Location, and the other origin sees nothing', async () => {
    const what = `t${++n}`
    const before = landing.requests.length
    const result = await run('redirect', 'read', what)
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ ok: false, status: 302, headers: { location: `${landing.origin}/ok/landed` } })
    const first = faults.seen(`/redirect/${what}`)[0]!
    expect(first.headers['x-api-key']).toBe(KEY)
    expect(first.query.get('key')).toBe(KEY)
    expect(landing.requests.length).toBe(before)
  })

  test('a POST answered with a 307 elsewhere is not repeated there', async () => {
    const keeping = await startFaultServer({ redirectTo: `${landing.origin}/ok/posted`, redirectStatus: 307 })
    const id = await lab.connect({ connectorId: 'fault-lab', name: '307', values: { baseUrl: `${keeping.origin}/redirect`, apiKey: KEY } })
    const before = landing.requests.length
    const result = await lab.api('POST', `/api/apps/default/connections/${id}/actions/write`, {
      body: { inputs: { what: 'x', text: 'carried' } },
    })
    expect(result.body).toMatchObject({ ok: false, status: 307, headers: { location: `${landing.origin}/ok/posted` } })
    expect(landing.requests.length).toBe(before)
    await keeping.close()
  })
})

test('every run is in the run log with its outcome, and the log holds no secret', async () => {
  const id = await connection('stall')
  const res = await lab.api('GET', `/api/apps/default/connections/${id}/runs`)
  expect(res.status).toBe(200)
  expect(res.body.runs[0]).toMatchObject({
    kind: 'action',
    action: 'replace',
    outcome: 'failed',
    code: 'upstream_timeout',
    attempts: 1,
    mode: 'user',
    userId: 'owner',
  })
  expect(res.body.runs[0].durationMs).toBeGreaterThanOrEqual(T * 0.9)
  const throttled = await lab.api('GET', `/api/apps/default/connections/${await connection('throttle')}/runs`)
  expect(throttled.body.runs.map((r: { outcome: string; status?: number }) => [r.outcome, r.status])).toEqual([
    ['http_error', 429],
    ['ok', 200],
  ])
  const invalid = await lab.api('POST', `/api/apps/default/connections/${id}/actions/read`, { body: { inputs: {} } })
  expect(invalid.status).toBe(400)
  expect((await lab.api('GET', `/api/apps/default/connections/${id}/runs`)).body.runs[0]).toMatchObject({
    outcome: 'failed',
    code: 'invalid_inputs',
    action: 'read',
  })
  expect((await lab.api('GET', '/api/apps/default/connections/c_missing/runs')).status).toBe(404)
})

test('the run log keeps only the newest runs', async () => {
  const small = await createLab({ runCapacity: 3 })
  const id = await small.connect({ connectorId: 'fault-lab', values: { baseUrl: `${faults.origin}/ok`, apiKey: KEY } })
  for (let i = 0; i < 5; i++)
    await small.api('POST', `/api/apps/default/connections/${id}/actions/read`, { body: { inputs: { what: `r${i}` } } })
  const res = await small.api('GET', `/api/apps/default/connections/${id}/runs`)
  expect(res.body.runs).toHaveLength(3)
  expect(res.body.runs.map((r: { seq: number }) => r.seq)).toEqual([5, 4, 3])
  await small.close()
})

test('no answer, error or log line carried the key', () => {
  for (const response of lab.responses) expect(response.text).not.toContain(KEY)
  for (const line of lab.log) expect(line).not.toContain(KEY)
})
