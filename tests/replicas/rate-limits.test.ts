/**
 * Rate limits across three replicas on one PostgreSQL database, measured from the upstream's own log (arrival
 * times on its clock, never the callers'): a connector declaring 10 requests per second gets at most 10 in any
 * one-second window (± one) however the calls are spread over the replicas; past the queue bound a call is
 * answered 429 `rate_limited` with `Retry-After` on whichever replica it reached; a concurrency limit holds across
 * replicas; and an API's own "budget used up" seen by one replica holds back the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Arrival,
  type LoggingUpstream,
  mostInWindow,
  perSecond,
  startLoggingUpstream,
  type Answer as UpstreamAnswer,
} from '../support/logging-upstream.ts'
import { freshDatabase } from '../support/postgres.ts'
import { type Answer, type Replicas, startReplicas } from './replicas.ts'

const CANARY = 'rr-canary-93b1f0d2a6e4'
const CALLS = 45

let replicas: Replicas
let upstream: LoggingUpstream
/** What the test reports: the upstream's arrivals per second, the most in any one-second window. */
const figures: string[] = []

function answer(arrival: Arrival): UpstreamAnswer {
  const path = arrival.url.pathname
  if (path.startsWith('/slow')) return { delayMs: 200, body: { ok: true } }
  if (path.startsWith('/used-up')) return { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '60' }, body: {} }
  return { body: { ok: true } }
}

function connector(id: string, rateLimits: Record<string, unknown>) {
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
    test: { path: '/me' },
    rateLimits,
  }
}

async function connection(id: string, rateLimits: Record<string, unknown>): Promise<string> {
  const [a] = replicas.all
  const made = await replicas.call(a!, 'POST', '/api/connectors', { body: connector(id, rateLimits) })
  expect(made.status, made.text).toBe(201)
  const conn = await replicas.call(a!, 'POST', '/api/apps/default/connections', {
    body: { connectorId: id, name: `${id} on replicas`, values: { baseUrl: upstream.origin, apiKey: CANARY } },
  })
  expect(conn.status, conn.text).toBe(201)
  return conn.body.id as string
}

/** `n` proxied calls at once, the i-th to replica i mod 3. */
function spread(id: string, prefix: string, n: number): Promise<Answer[]> {
  const all = replicas.all
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      replicas.call(all[i % all.length]!, 'GET', `/api/apps/default/connections/${id}/proxy${prefix}/${i}`),
    ),
  )
}

const arrivalsAt = (prefix: string) => upstream.arrivals.filter((a) => a.url.pathname.startsWith(`${prefix}/`))

beforeAll(async () => {
  upstream = await startLoggingUpstream(answer)
  replicas = await startReplicas({ databaseUrl: await freshDatabase() })
})

afterAll(async () => {
  const crashed = replicas?.crashed() ?? []
  await replicas?.stop()
  await upstream?.close()
  console.info(`[replica rate-limit figures] ${figures.join('; ')}`)
  expect(crashed).toEqual([])
})

describe('rate limits across 3 replicas', () => {
  it('a 10 per second limit: the upstream sees at most 10 in any one second (± one)', async () => {
    const id = await connection('paced', { requests: 10, intervalMs: 1000, maxWaitMs: 15_000 })
    // One call through each replica first, as a replica that has been running has compiled and cached what a
    // first request needs; these count too.
    for (const replica of replicas.all) {
      const warm = await replicas.call(replica, 'GET', `/api/apps/default/connections/${id}/proxy/paced/warm`)
      expect(warm.status).toBe(200)
    }
    const answers = await spread(id, '/paced', CALLS)
    expect(answers.map((a) => a.status)).toEqual(Array(CALLS).fill(200))
    const times = arrivalsAt('/paced').map((a) => a.at)
    expect(times).toHaveLength(CALLS + 3)
    const most = mostInWindow(times, 1000)
    const start = Math.min(...times)
    figures.push(`${CALLS} calls over 3 replicas at 10/s: per second ${perSecond(times).join(', ')}; most in any 1 s window ${most}`)
    figures.push(
      `arrivals (ms) ${times
        .sort((x, y) => x - y)
        .map((t) => Math.round(t - start))
        .join(' ')}`,
    )
    expect(most).toBeLessThanOrEqual(11)
  })

  it('past the queue bound, 429 rate_limited with Retry-After on whichever replica the call reached', async () => {
    const id = await connection('bounded', { requests: 1, intervalMs: 60_000, maxWaitMs: 0 })
    const answers = await spread(id, '/bounded', 6)
    const statuses = answers.map((a) => a.status).sort()
    expect(statuses).toEqual([200, 429, 429, 429, 429, 429])
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(refused.body.error.code).toBe('rate_limited')
      expect(refused.body.error.details.retryAfterSeconds).toBeGreaterThanOrEqual(50)
    }
    expect(arrivalsAt('/bounded')).toHaveLength(1)
  })

  it('a concurrency limit of 3 holds across replicas', async () => {
    const id = await connection('narrow', { concurrency: 3, maxWaitMs: 30_000 })
    const answers = await spread(id, '/slow', 15)
    expect(answers.map((a) => a.status)).toEqual(Array(15).fill(200))
    expect(arrivalsAt('/slow')).toHaveLength(15)
    figures.push(`concurrency 3 over 3 replicas: at most ${upstream.maxInFlight} in flight`)
    expect(upstream.maxInFlight).toBeLessThanOrEqual(3)
  })

  it("an API's used-up budget seen by one replica holds the connection back on the others", async () => {
    const id = await connection('told', { requests: 100, intervalMs: 1000 })
    const [a, b, c] = replicas.all
    const path = `/api/apps/default/connections/${id}/proxy/used-up`
    expect((await replicas.call(a!, 'GET', `${path}/1`)).status).toBe(200)
    for (const replica of [b!, c!]) {
      const held = await replicas.call(replica, 'GET', `${path}/2`)
      expect(held.status).toBe(429)
      expect(held.body.error.code).toBe('rate_limited')
    }
    expect(arrivalsAt('/used-up')).toHaveLength(1)
  })

  it('never shows the key', () => {
    for (const replica of replicas.all) expect([...replica.lines, ...replica.stderr].join('\n')).not.toContain(CANARY)
  })
})
