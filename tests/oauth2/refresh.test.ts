/**
 * Refresh under load and failure: one refresh per credential however many calls need it, the last issued
 * refresh token always the stored one, no reuse against a provider that rotates refresh tokens and revokes
 * the family on reuse, `invalid_grant` ending in `expired` without a retry storm, and backoff when the
 * token endpoint is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCredentials } from '../../runtime/core/connections/index.ts'
import type { CredentialRecord } from '../../runtime/types.ts'
import { addConnection, authorize, outcome, providerConnector, setOAuthApp } from './flow.ts'
import { createHarness, type Harness, leaksOf } from './harness.ts'
import { type Provider, startProvider } from './provider.ts'

let h: Harness
const providers: Provider[] = []
/** What the tests report: refresh requests the provider saw per burst, reuse events. */
const figures: string[] = []

async function connected(name: string, options: Omit<Parameters<typeof startProvider>[0], 'now'>): Promise<{ p: Provider; id: string }> {
  const p = await startProvider({ now: () => h.now.ms, ...options })
  providers.push(p)
  await h.addConnector(providerConnector(name, p.origin))
  await setOAuthApp(h, name, p)
  const id = await addConnection(h, name)
  expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
  return { p, id }
}

const run = (id: string) => h.call('POST', `/api/apps/default/connections/${id}/actions/list`, { body: {} })

async function stored(id: string) {
  const record = await h.store.get<CredentialRecord>('credentials', id)
  return openCredentials(h.keyRing, record!).oauth!
}

async function burst(id: string, n: number) {
  const answers = await Promise.all(Array.from({ length: n }, () => run(id)))
  return answers
}

beforeAll(async () => {
  // The default token timeout (15 s): a busy machine may take a while to answer a burst's one refresh.
  h = await createHarness({ oauth2: { backoffMs: 5_000 } })
})

afterAll(async () => {
  // Sealed at rest: no token, code, verifier or client secret in the store file.
  expect(
    leaksOf(
      { log: [await h.storeText()], emitted: [] },
      providers.flatMap((p) => p.secrets()),
    ),
  ).toEqual([])
  console.info(`[oauth2 refresh figures] ${figures.join('; ')}`)
  expect(
    leaksOf(
      h,
      providers.flatMap((p) => p.secrets()),
    ),
  ).toEqual([])
  for (const p of providers) await p.close()
  await h.close()
})

describe('concurrent calls on an expired token', () => {
  for (const n of [100, 1000]) {
    it(`${n} calls: exactly one refresh reaches the provider, all succeed with the new token`, async () => {
      const { p, id } = await connected(`burst-${n}`, { accessTtl: 3600, rotate: true, delayMs: 25 })
      const old = (await stored(id)).accessToken
      h.now.ms += 3600_000
      const apiBefore = p.apiRequests.length
      const answers = await burst(id, n)
      expect(
        answers
          .filter((a) => a.status !== 200 || a.body.status !== 200)
          .map((a) => a.text)
          .slice(0, 3),
      ).toEqual([])
      expect(p.refreshes()).toBe(1)
      expect(p.reuseEvents).toBe(0)
      const now = await stored(id)
      expect(now.accessToken).not.toBe(old)
      expect(now.refreshToken).toBe(p.lastRefreshToken())
      const seen = p.apiRequests.slice(apiBefore).map((r) => r.authorization)
      expect(seen.length).toBe(n)
      expect(new Set(seen)).toEqual(new Set([`Bearer ${now.accessToken}`]))
      figures.push(`${n} concurrent calls: ${p.refreshes()} refresh request, ${p.reuseEvents} reuse events`)
    }, 60_000)
  }

  it('100 calls whose token the API revoked (401): one refresh, each call retried once, all succeed', async () => {
    const { p, id } = await connected('reactive', { rotate: true, delayMs: 25 })
    p.revokeAccess()
    const apiBefore = p.apiRequests.length
    const answers = await burst(id, 100)
    expect(
      answers
        .filter((a) => a.status !== 200 || a.body.status !== 200)
        .map((a) => a.text.slice(0, 300))
        .slice(0, 3),
    ).toEqual([])
    expect(p.refreshes()).toBe(1)
    expect(p.apiRequests.length - apiBefore).toBeLessThanOrEqual(200)
    expect((await stored(id)).refreshToken).toBe(p.lastRefreshToken())
    figures.push(`100 calls after a 401: ${p.refreshes()} refresh request`)
  })
})

describe('200 refresh cycles against a provider that rotates refresh tokens and detects reuse', () => {
  it('never presents a refresh token twice', async () => {
    const { p, id } = await connected('rotating', { accessTtl: 600, rotate: true, revokeOldAccess: true })
    for (let cycle = 0; cycle < 200; cycle++) {
      // Alternate the two reasons to refresh: expiry the runtime sees coming, and a 401 it did not.
      if (cycle % 2 === 0) h.now.ms += 600_000
      else p.revokeAccess()
      const answers = await burst(id, 8)
      if (!answers.every((a) => a.status === 200 && a.body.status === 200))
        throw new Error(
          `cycle ${cycle}: ${answers
            .map((a) => a.text)
            .join(' | ')
            .slice(0, 400)}`,
        )
    }
    expect(p.refreshes()).toBe(200)
    expect(p.reuseEvents).toBe(0)
    expect((await stored(id)).refreshToken).toBe(p.lastRefreshToken())
    figures.push(`200 cycles × 8 concurrent calls: ${p.refreshes()} refresh requests, ${p.reuseEvents} reuse events`)
  }, 60_000)
})

describe('a refused grant (invalid_grant)', () => {
  let revoked: string

  it('marks the connection expired within one request, with at most one token request, and stops there', async () => {
    const { p, id } = await connected('revoked', { accessTtl: 3600, rotate: true })
    revoked = id
    p.revokeAll()
    h.now.ms += 3600_000
    const tokenBefore = p.tokenRequests.length
    const apiBefore = p.apiRequests.length
    const first = await run(id)
    expect(first.status).toBe(428)
    expect(first.body.error.code).toBe('connection_expired')
    expect(first.body.error.details.connectUrl).toBe(`${h.origin}/#/apps/default/connections/${id}/connect`)
    expect(first.body.error.details.authorizeUrl).toBe(`${h.origin}/api/apps/default/connections/${id}/oauth/authorize`)
    expect(p.tokenRequests.length - tokenBefore).toBe(1)
    const view = (await h.call('GET', `/api/apps/default/connections/${id}`)).body
    expect(view.status).toBe('expired')
    expect(view.connectUrl).toBeTruthy()

    const again = await burst(id, 20)
    expect(again.every((a) => a.status === 428 && a.body.error.code === 'connection_expired')).toBe(true)
    const test = await h.call('POST', `/api/apps/default/connections/${id}/test`)
    expect(test.body).toMatchObject({ ok: false, problem: 'missing_credentials' })
    expect(p.tokenRequests.length - tokenBefore).toBe(1)
    expect(p.apiRequests.length).toBe(apiBefore)
  })

  it('20 concurrent calls on a revoked grant: still one token request', async () => {
    const { p, id } = await connected('revoked-burst', { accessTtl: 3600, rotate: true, delayMs: 25 })
    p.revokeAll()
    h.now.ms += 3600_000
    const tokenBefore = p.tokenRequests.length
    const answers = await burst(id, 20)
    expect(answers.every((a) => a.status === 428 && a.body.error.code === 'connection_expired')).toBe(true)
    expect(p.tokenRequests.length - tokenBefore).toBe(1)
  })

  it('does not expire a connection that was reconnected while the refused refresh was under way', async () => {
    const { p, id } = await connected('reconnected', { accessTtl: 3600 })
    p.revokeAll()
    h.now.ms += 3600_000
    const held = p.holdNextRefresh()
    const pending = run(id)
    await held.arrived
    expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
    held.release()
    const res = await pending
    expect(res.status, res.text).toBe(200)
    expect(res.body.status).toBe(200)
    expect((await h.call('GET', `/api/apps/default/connections/${id}`)).body.status).toBe('connected')
    expect(p.apiRequests.at(-1)!.authorization).toBe(`Bearer ${(await stored(id)).accessToken}`)
  })

  it('is over once the person connects again', async () => {
    expect(outcome((await authorize(h, revoked)).final).oauth).toBe('success')
    expect((await h.call('GET', `/api/apps/default/connections/${revoked}`)).body.status).toBe('connected')
    expect((await run(revoked)).body.status).toBe(200)
  })
})

describe('the token endpoint failing', () => {
  it('answers 502, then backs off without contacting the provider, then recovers', async () => {
    const { p, id } = await connected('flaky', { accessTtl: 3600 })
    h.now.ms += 3600_000
    p.failNext(503, 500)
    const before = p.tokenRequests.length
    const first = await run(id)
    expect(first.status).toBe(502)
    expect(first.body.error).toMatchObject({ code: 'token_refresh_failed', details: { reason: 'http_503', retryAfterMs: 5000 } })
    const second = await run(id)
    expect(second.status).toBe(503)
    expect(second.body.error.code).toBe('token_refresh_backoff')
    expect(p.tokenRequests.length - before).toBe(1)

    h.now.ms += 5_000
    const third = await run(id)
    expect(third.body.error).toMatchObject({ code: 'token_refresh_failed', details: { reason: 'http_500', retryAfterMs: 10_000 } })
    expect(p.tokenRequests.length - before).toBe(2)

    h.now.ms += 10_000
    expect((await run(id)).body.status).toBe(200)
    expect(p.tokenRequests.length - before).toBe(3)
  })

  it('gives up on a token endpoint that never answers, after its timeout, and backs off', async () => {
    // A runtime of its own with a short token timeout: the hang must end by that timer, and nothing else
    // in this file should depend on a token request answering quickly.
    const short = await createHarness({ oauth2: { backoffMs: 5_000, tokenTimeoutMs: 1_000 } })
    const p = await startProvider({ now: () => short.now.ms, accessTtl: 3600 })
    providers.push(p)
    try {
      await short.addConnector(providerConnector('hang', p.origin))
      await setOAuthApp(short, 'hang', p)
      const id = await addConnection(short, 'hang')
      expect(outcome((await authorize(short, id)).final).oauth).toBe('success')
      short.now.ms += 3600_000
      p.failNext('hang')
      const before = p.tokenRequests.length
      const res = await short.call('POST', `/api/apps/default/connections/${id}/actions/list`, { body: {} })
      expect(res.status).toBe(502)
      expect(res.body.error).toMatchObject({ code: 'token_refresh_failed', details: { reason: 'upstream_timeout', retryAfterMs: 5_000 } })
      expect(p.tokenRequests.length - before).toBe(1)
      const again = await short.call('POST', `/api/apps/default/connections/${id}/actions/list`, { body: {} })
      expect(again.body.error.code).toBe('token_refresh_backoff')
      expect(p.tokenRequests.length - before).toBe(1)
    } finally {
      await short.close()
    }
  })

  it('keeps using a token that is still valid when an early refresh fails', async () => {
    const { p, id } = await connected('early', { accessTtl: 3600 })
    h.now.ms += 3600_000 - 30_000
    p.failNext(500)
    const before = p.tokenRequests.length
    expect((await run(id)).body.status).toBe(200)
    expect((await run(id)).body.status).toBe(200)
    expect(p.tokenRequests.length - before).toBe(1)
  })
})

describe('refresh details', () => {
  it('keeps the old refresh token when the response brings none', async () => {
    const { p, id } = await connected('no-rotation', { accessTtl: 3600 })
    const first = await stored(id)
    h.now.ms += 3600_000
    expect((await run(id)).body.status).toBe(200)
    h.now.ms += 3600_000
    expect((await run(id)).body.status).toBe(200)
    const now = await stored(id)
    expect(p.refreshes()).toBe(2)
    expect(now.refreshToken).toBe(first.refreshToken)
    expect(now.accessToken).not.toBe(first.accessToken)
    expect(now.scope).toEqual(['read'])
  })

  it('refreshes once and retries once when the API keeps answering 401', async () => {
    const { p, id } = await connected('always-401', { rotate: true })
    p.options.apiRejectsAll = true
    const apiBefore = p.apiRequests.length
    const res = await run(id)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ ok: false, status: 401 })
    expect(p.refreshes()).toBe(1)
    expect(p.apiRequests.length - apiBefore).toBe(2)
  })

  it('refreshes on a 401 in the connection test too', async () => {
    const { p, id } = await connected('test-401', { rotate: true })
    p.revokeAccess()
    const res = await h.call('POST', `/api/apps/default/connections/${id}/test`)
    expect(res.body).toMatchObject({ ok: true, label: 'octo-person' })
    expect(p.refreshes()).toBe(1)
  })
})
