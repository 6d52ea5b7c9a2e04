/**
 * One refresh across replicas: 1,000 concurrent proxied calls spread over three replicas on one database, on an
 * OAuth2 connection whose access token has expired, reach the provider's token endpoint once. The provider
 * rotates refresh tokens and revokes the whole grant when one is presented twice, so a second refresh from
 * a replica that read the old refresh token would show up as a reuse event and failed calls.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCredentials } from '../../runtime/core/connections/index.ts'
import { createKeyRing } from '../../runtime/platform/crypto/index.ts'
import { createPostgresStore, type Store } from '../../runtime/platform/store/index.ts'
import type { CredentialRecord, OAuthTokens } from '../../runtime/types.ts'
import { type Provider, startProvider } from '../oauth2/provider.ts'
import { freshDatabase } from '../support/postgres.ts'
import { authorizeAcross, oauthConnection, oauthOutcome } from './oauth.ts'
import { type Answer, type Replica, type Replicas, startReplicas } from './replicas.ts'

const CALLS = 1000

let replicas: Replicas
let provider: Provider
let store: Store
let keyDir: string
/** What the tests report: token requests and reuse events per burst. */
const figures: string[] = []

beforeAll(async () => {
  // Tokens that live one second: the connection's first token has expired by the time the burst starts.
  provider = await startProvider({ now: () => Date.now(), accessTtl: 1, rotate: true, delayMs: 25 })
  const databaseUrl = await freshDatabase()
  // A third of the burst lands on each replica at once, queued for its ten pooled connections; on a loaded
  // two-core machine the wait for one may pass the default 10 s, which is not what this test is about.
  replicas = await startReplicas({ databaseUrl, env: { SWITCHBOARD_DATABASE_CONNECT_TIMEOUT_MS: '120000' } })
  // The test reads what the replicas stored, with the key they share.
  store = await createPostgresStore({ url: databaseUrl, log: () => {} })
  keyDir = await mkdtemp(join(tmpdir(), 'switchboard-replica-keys-'))
})

afterAll(async () => {
  const crashed = replicas?.crashed() ?? []
  await replicas?.stop()
  await provider?.close()
  await store?.close()
  if (keyDir) await rm(keyDir, { recursive: true, force: true })
  console.info(`[replica refresh figures] ${figures.join('; ')}`)
  // Each replica must have run until stopped here: one that ended by itself failed, whatever the calls answered.
  expect(crashed).toEqual([])
})

async function stored(id: string): Promise<OAuthTokens> {
  const keyRing = createKeyRing({ dataDir: keyDir, env: { SWITCHBOARD_MASTER_KEY: replicas.masterKey } })
  const record = await store.get<CredentialRecord>('credentials', id)
  return openCredentials(keyRing, record!).oauth!
}

/** `n` proxied calls at once, the i-th to replica i mod 3. */
function burst(id: string, n: number): Promise<Answer[]> {
  const all = replicas.all
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      replicas
        .call(all[i % all.length]!, 'GET', `/api/apps/default/connections/${id}/proxy/api/items?call=${i}`)
        // A call that got no answer is one of the failures the test lists, not the end of the burst.
        .catch((error: Error) => ({
          status: 0,
          text: `${all[i % all.length]!.name}: ${error.message} (${String(error.cause)})`,
          body: undefined,
          location: null,
        })),
    ),
  )
}

/** Resolves once no access token the provider issued is live any more (polls the provider's own state). */
async function expiredEverywhere(): Promise<void> {
  while (provider.liveAccessTokens().length > 0) await new Promise((done) => setTimeout(done, 100))
}

const failures = (answers: Answer[]) => answers.filter((a) => a.status !== 200 || a.body?.ok !== true).map((a) => `${a.status} ${a.text}`)

describe('1,000 concurrent calls over three replicas that need a new token', () => {
  let id: string

  it('on an expired token: one token request to the provider, every call succeeds, the last refresh token issued is kept', async () => {
    const [a, , c] = replicas.all as [Replica, Replica, Replica]
    id = await oauthConnection(replicas, a, 'acme', provider)
    expect(oauthOutcome((await authorizeAcross(replicas, id, a, c)).final).oauth).toBe('success')
    // From now on the provider issues tokens for an hour: the one refresh of the burst is enough for all of it.
    provider.options.accessTtl = 3600
    await expiredEverywhere()
    const old = await stored(id)
    const tokenRequests = provider.tokenRequests.length
    const apiRequests = provider.apiRequests.length

    const started = performance.now()
    const answers = await burst(id, CALLS)
    const seconds = (performance.now() - started) / 1000

    expect(failures(answers).slice(0, 3)).toEqual([])
    expect(answers).toHaveLength(CALLS)
    const refreshes = provider.tokenRequests.slice(tokenRequests)
    expect(refreshes.map((r) => r.params.get('grant_type'))).toEqual(['refresh_token'])
    expect(refreshes[0]!.params.get('refresh_token')).toBe(old.refreshToken)
    expect(provider.reuseEvents).toBe(0)
    const now = await stored(id)
    expect(now.refreshToken).toBe(provider.lastRefreshToken())
    expect(now.refreshToken).not.toBe(old.refreshToken)
    expect(provider.liveAccessTokens()).toEqual([now.accessToken])
    // Every call reached the API once, with the one new token: none was sent with the expired one first.
    const seen = provider.apiRequests.slice(apiRequests).map((r) => r.authorization)
    expect(seen).toHaveLength(CALLS)
    expect(new Set(seen)).toEqual(new Set([`Bearer ${now.accessToken}`]))
    figures.push(
      `${CALLS} calls over 3 replicas, token expired: ${refreshes.length} token request, ${provider.reuseEvents} reuse events ` +
        `(burst took ${seconds.toFixed(1)} s)`,
    )
  }, 300_000)

  it('after the API revoked the access token (401s on every replica): one token request, each call retried once and succeeds', async () => {
    const old = await stored(id)
    provider.revokeAccess()
    const tokenRequests = provider.tokenRequests.length
    const apiRequests = provider.apiRequests.length

    const answers = await burst(id, CALLS)

    expect(failures(answers).slice(0, 3)).toEqual([])
    const refreshes = provider.tokenRequests.slice(tokenRequests)
    expect(refreshes.map((r) => r.params.get('refresh_token'))).toEqual([old.refreshToken])
    expect(provider.reuseEvents).toBe(0)
    const now = await stored(id)
    expect(now.refreshToken).toBe(provider.lastRefreshToken())
    const seen = provider.apiRequests.slice(apiRequests).map((r) => r.authorization)
    // A call sent with the revoked token is retried once, with the new one; none is retried twice.
    expect(seen.filter((s) => s === `Bearer ${now.accessToken}`)).toHaveLength(CALLS)
    expect(seen.length).toBeLessThanOrEqual(2 * CALLS)
    expect(new Set(seen)).toEqual(new Set([`Bearer ${old.accessToken}`, `Bearer ${now.accessToken}`]))
    figures.push(
      `${CALLS} calls over 3 replicas after a revocation: ${refreshes.length} token request, ${provider.reuseEvents} reuse events`,
    )
  }, 300_000)
})
