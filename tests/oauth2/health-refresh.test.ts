/**
 * Health checks of OAuth2 connections: a token that would expire before the next check is renewed by the check
 * (one refresh at the provider, no test request), which proves the grant lives; a grant the provider revoked ends
 * the connection `expired` at that check, in the audit trail and as a `connection.expired` event; a token endpoint
 * that fails is a `refresh.failed` event. The clock is the harness's: no waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionEvent } from '../../runtime/core/events/index.ts'
import type { HealthCheckOutcome } from '../../runtime/core/health/index.ts'
import { addConnection, authorize, outcome, providerConnector, setOAuthApp } from './flow.ts'
import { createHarness, type Harness, leaksOf } from './harness.ts'
import { type Provider, startProvider } from './provider.ts'

const HOUR = 3_600_000
const checks: HealthCheckOutcome[] = []
const events: ConnectionEvent[] = []
let h: Harness
let p: Provider
let id: string

beforeAll(async () => {
  h = await createHarness({
    oauth2: { backoffMs: 60_000 },
    health: { intervalMs: 6 * HOUR, random: () => 0.5, onCheck: (c) => void checks.push(c) },
  })
  h.runtime.events.on((e) => void events.push(e))
  // Access tokens live an hour: shorter than the six between checks.
  p = await startProvider({ now: () => h.now.ms, accessTtl: 3600, rotate: true })
  await h.addConnector(providerConnector('health-oauth', p.origin))
  await setOAuthApp(h, 'health-oauth', p)
  id = await addConnection(h, 'health-oauth')
  expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
})

afterAll(async () => {
  expect(leaksOf({ log: [...h.log, JSON.stringify(events), JSON.stringify(checks)], emitted: [] }, p.secrets())).toEqual([])
  await p?.close()
  await h?.close()
})

describe('an OAuth2 connection checked on a schedule', () => {
  it('is checked by renewing its token when the token would expire before the next check', async () => {
    const api = p.apiRequests.length
    h.now.ms += 3 * HOUR + 1
    expect(await h.runtime.health.tick()).toBe(1)
    expect(p.refreshes()).toBe(1)
    expect(p.apiRequests.length).toBe(api)
    expect(checks.at(-1)).toMatchObject({ connectionId: id, kind: 'refresh', ok: true })
  })

  it('says refresh.failed when the token endpoint fails', async () => {
    p.failNext(503)
    h.now.ms += 6 * HOUR + 1
    expect(await h.runtime.health.tick()).toBe(1)
    expect(checks.at(-1)).toMatchObject({ connectionId: id, kind: 'refresh', ok: false })
    expect(events.filter((e) => e.type === 'refresh.failed').map((e) => e.data)).toEqual([
      expect.objectContaining({ connectionId: id, problem: 'token_refresh_failed' }),
    ])
  })

  it('marks the connection expired when the provider revoked the grant, and says so', async () => {
    p.revokeAll()
    // The failing check backs off: the next is an interval later, doubled.
    h.now.ms += 12 * HOUR + 1
    expect(await h.runtime.health.tick()).toBe(1)
    expect((await h.call('GET', `/api/apps/default/connections/${id}`)).body.status).toBe('expired')
    expect(events.filter((e) => e.type === 'connection.expired').map((e) => e.data)).toEqual([
      expect.objectContaining({ connectionId: id, status: 'expired', problem: 'connection_expired' }),
    ])
    const audit = await h.call('GET', `/api/apps/default/audit?connection=${id}`)
    expect(audit.body.entries[0]).toMatchObject({ event: 'connection.expired', userId: 'system' })
    // Expired needs a person: later passes leave it alone.
    const tokenRequests = p.tokenRequests.length
    h.now.ms += 48 * HOUR
    await h.runtime.health.tick()
    expect(p.tokenRequests.length).toBe(tokenRequests)
  })
})
