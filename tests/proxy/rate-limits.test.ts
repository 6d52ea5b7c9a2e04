/**
 * Rate limits in one runtime (on the embedded store, and on PostgreSQL in the `postgres` project), measured from
 * the upstream's own log: a declared pace holds per any one-second window (± one), past the queue bound a request
 * is answered 429 `rate_limited` with `Retry-After` and never reaches the API, a concurrency limit holds, and an
 * API's own headers (`X-RateLimit-*`, `RateLimit-*`, the structured `RateLimit`, `Retry-After` on a 429) hold the
 * connection's next requests back before the API has to refuse them. Waits are reported for metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RateLimitWait } from '../../runtime/core/limits/index.ts'
import { createLab, type Lab } from '../actions/harness.ts'
import { type Answer, type Arrival, type LoggingUpstream, mostInWindow, startLoggingUpstream } from '../support/logging-upstream.ts'

const CANARY = 'rl-canary-0c4d2e9a71f3'

let lab: Lab
let upstream: LoggingUpstream
const waits: RateLimitWait[] = []

/** Per path: what the API answers (headers on a 200 unless a status is given). */
function answer(arrival: Arrival): Answer {
  const path = arrival.url.pathname
  if (path.startsWith('/slow')) return { delayMs: 150, body: { ok: true } }
  if (path.startsWith('/xrl-delta')) return { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '60' }, body: {} }
  if (path.startsWith('/xrl-epoch'))
    return { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60) }, body: {} }
  if (path.startsWith('/draft')) return { headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '60' }, body: {} }
  if (path.startsWith('/structured')) return { headers: { ratelimit: '"hourly";r=40;t=3000, "burst";r=0;t=60' }, body: {} }
  if (path.startsWith('/refused')) return { status: 429, headers: { 'retry-after': '60' }, body: { error: 'slow down' } }
  if (path.startsWith('/plenty')) return { headers: { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '60' }, body: {} }
  return { body: { ok: true, echo: arrival.headers['x-api-key'] } }
}

function connector(id: string, rateLimits?: Record<string, unknown>) {
  return {
    id,
    name: id,
    baseUrl: '{{baseUrl}}',
    fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
    auth: [
      {
        type: 'apiKey',
        id: 'key',
        fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
        placements: [{ in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' }],
      },
    ],
    ...(rateLimits ? { rateLimits } : {}),
    actions: [
      {
        key: 'post',
        name: 'Post',
        method: 'POST',
        path: '/{{input.what}}',
        input: { type: 'object', properties: { what: { type: 'string' } } },
      },
    ],
  }
}

async function connection(connectorId: string, rateLimits?: Record<string, unknown>): Promise<string> {
  const created = await lab.api('POST', '/api/connectors', { body: connector(connectorId, rateLimits) })
  expect(created.status, created.text).toBe(201)
  return lab.connect({ connectorId, values: { baseUrl: upstream.origin, apiKey: CANARY } })
}

const proxy = (id: string, path: string) => lab.api('GET', `/api/apps/default/connections/${id}/proxy${path}`)
const arrivalsAt = (prefix: string) => upstream.arrivals.filter((a) => a.url.pathname.startsWith(prefix))

beforeAll(async () => {
  lab = await createLab({ onRateLimitWait: (wait) => void waits.push(wait) })
  upstream = await startLoggingUpstream(answer)
})

afterAll(async () => {
  await lab?.close()
  await upstream?.close()
})

describe('declared rate limits', () => {
  it('let through at most 10 per second, spread out, however many arrive at once', async () => {
    const id = await connection('paced', { requests: 10, intervalMs: 1000, maxWaitMs: 10_000 })
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => proxy(id, `/paced/${i}`)))
    expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200))
    const times = arrivalsAt('/paced').map((a) => a.at)
    expect(times).toHaveLength(25)
    const start = Math.min(...times)
    expect(mostInWindow(times, 1000), times.map((t) => Math.round(t - start)).join(' ')).toBeLessThanOrEqual(11)
    expect(waits.filter((w) => w.connectorId === 'paced' && w.reason === 'pace' && !w.refused).length).toBeGreaterThan(0)
  })

  it('answer 429 rate_limited with Retry-After past the queue bound, without reaching the API', async () => {
    const id = await connection('one-a-minute', { requests: 1, intervalMs: 60_000, maxWaitMs: 0 })
    const first = await proxy(id, '/minute/1')
    expect(first.status).toBe(200)
    const second = await proxy(id, '/minute/2')
    expect(second.status).toBe(429)
    expect(second.body.error.code).toBe('rate_limited')
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(50)
    expect(second.body.error.details.retryAfterSeconds).toBe(Number(second.headers.get('retry-after')))
    // Actions too, through the same connection.
    const action = await lab.api('POST', `/api/apps/default/connections/${id}/actions/post`, { body: { inputs: { what: 'minute' } } })
    expect(action.status).toBe(429)
    expect(action.body.error.code).toBe('rate_limited')
    expect(arrivalsAt('/minute')).toHaveLength(1)
    expect(waits.some((w) => w.connectorId === 'one-a-minute' && w.refused)).toBe(true)
  })

  it('keep each connection to its own budget (scope connection), and connections of one account to one (scope account)', async () => {
    const own = await connection('own-budget', { requests: 1, intervalMs: 60_000, maxWaitMs: 0 })
    const other = await lab.connect({ connectorId: 'own-budget', values: { baseUrl: upstream.origin, apiKey: CANARY } })
    expect((await proxy(own, '/own/1')).status).toBe(200)
    expect((await proxy(other, '/own/2')).status).toBe(200)
    const shared = await connection('account-budget', {
      requests: 1,
      intervalMs: 60_000,
      maxWaitMs: 0,
      scope: 'account',
      account: '{{baseUrl}}',
    })
    const same = await lab.connect({ connectorId: 'account-budget', values: { baseUrl: upstream.origin, apiKey: CANARY } })
    expect((await proxy(shared, '/account/1')).status).toBe(200)
    expect((await proxy(same, '/account/2')).status).toBe(429)
  })

  it('hold at most `concurrency` requests in flight', async () => {
    const id = await connection('two-at-once', { concurrency: 2, maxWaitMs: 20_000 })
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => proxy(id, `/slow/${i}`)))
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200))
    expect(arrivalsAt('/slow')).toHaveLength(8)
    expect(upstream.maxInFlight).toBeLessThanOrEqual(2)
  })
})

describe("an API's own rate-limit headers", () => {
  it.each([
    ['X-RateLimit-Remaining: 0 with a reset in seconds', '/xrl-delta'],
    ['RateLimit-Remaining: 0 (draft)', '/draft'],
    ['a structured RateLimit with a used-up policy', '/structured'],
    ['Retry-After on a 429', '/refused'],
  ])('%s hold the connection back before the API refuses', async (_, path) => {
    const id = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: upstream.origin, apiKey: CANARY } })
    await proxy(id, `${path}/1`)
    const held = await proxy(id, `${path}/2`)
    expect(held.status).toBe(429)
    expect(held.body.error.code).toBe('rate_limited')
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThanOrEqual(50)
    expect(arrivalsAt(path)).toHaveLength(1)
    // Another connection is not held back.
    const other = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: upstream.origin, apiKey: CANARY } })
    expect((await proxy(other, '/free')).status).toBe(200)
  })

  it('a budget with requests left holds nothing back', async () => {
    const id = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: upstream.origin, apiKey: CANARY } })
    for (let i = 0; i < 3; i++) expect((await proxy(id, `/plenty/${i}`)).status).toBe(200)
  })

  it('a used-up budget on a connector with declared limits holds its connections back too', async () => {
    const id = await connection('declared-and-told', { requests: 100, intervalMs: 1000 })
    expect((await proxy(id, '/xrl-epoch/1')).status).toBe(200)
    const held = await proxy(id, '/xrl-epoch/2')
    expect(held.status).toBe(429)
    expect(arrivalsAt('/xrl-epoch')).toHaveLength(1)
  })

  it('never shows the key', () => {
    for (const response of lab.responses) expect(response.text).not.toContain(CANARY)
    expect(lab.log.join('\n')).not.toContain(CANARY)
  })
})
