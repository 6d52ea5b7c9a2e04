/**
 * Three replicas on one PostgreSQL database: started together on an empty database they settle one workspace,
 * and an OAuth2 flow started on replica A finishes on replica C (the state lives in the database, single-use
 * across replicas), after which replica B calls the API with the tokens C stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Provider, startProvider } from '../oauth2/provider.ts'
import { freshDatabase } from '../support/postgres.ts'
import { authorizeAcross, type FlowHops, oauthConnection, oauthOutcome } from './oauth.ts'
import { type Replica, type Replicas, startReplicas } from './replicas.ts'

let replicas: Replicas
let provider: Provider
let a: Replica
let b: Replica
let c: Replica

beforeAll(async () => {
  provider = await startProvider({ now: () => Date.now(), accessTtl: 3600, rotate: true })
  replicas = await startReplicas({ databaseUrl: await freshDatabase() })
  ;[a, b, c] = replicas.all as [Replica, Replica, Replica]
})

afterAll(async () => {
  const crashed = replicas?.crashed() ?? []
  await replicas?.stop()
  await provider?.close()
  // Each replica must have run until stopped here: one that ended by itself failed, whatever the calls answered.
  expect(crashed).toEqual([])
})

describe('three replicas on one database', () => {
  it('started together on an empty database, they make one owner: one sign-in link among them, and its token works on each', async () => {
    const links = replicas.all.flatMap((r) => r.lines.filter((line) => line.startsWith('Sign in:')))
    expect(links).toHaveLength(1)
    for (const replica of replicas.all) {
      const me = await replicas.call(replica, 'GET', '/api/me')
      expect(me.status, me.text).toBe(200)
      expect(me.body.user).toMatchObject({ id: 'owner', owner: true })
    }
  })

  describe('an OAuth2 flow started on A and finished on C', () => {
    let id: string
    let hops: FlowHops

    it('connects: C exchanges the code A asked for, with the redirect URI A sent', async () => {
      id = await oauthConnection(replicas, a, 'acme', provider)
      hops = await authorizeAcross(replicas, id, a, c)
      expect(oauthOutcome(hops.final)).toEqual({ oauth: 'success', code: null })
      const exchanges = provider.tokenRequests.filter((r) => r.params.get('grant_type') === 'authorization_code')
      expect(exchanges).toHaveLength(1)
      expect(exchanges[0]!.params.get('redirect_uri')).toBe(hops.providerUrl.searchParams.get('redirect_uri'))
      expect(exchanges[0]!.params.get('redirect_uri')).toBe(`${replicas.publicUrl}/oauth/callback`)
      const seen = await replicas.call(b, 'GET', `/api/apps/default/connections/${id}`)
      expect(seen.status, seen.text).toBe(200)
      expect(seen.body).toMatchObject({ status: 'connected', grantedScopes: ['read'] })
    })

    it('B calls the API with the tokens C stored', async () => {
      const live = provider.liveAccessTokens()
      expect(live).toHaveLength(1)
      const before = provider.apiRequests.length
      const call = await replicas.call(b, 'GET', `/api/apps/default/connections/${id}/proxy/api/items`)
      expect(call.status, call.text).toBe(200)
      expect(call.body).toMatchObject({ ok: true, path: '/api/items' })
      expect(provider.apiRequests.slice(before).map((r) => r.authorization)).toEqual([`Bearer ${live[0]}`])
      expect(provider.refreshes()).toBe(0)
    })

    it('the state was single-use across replicas: the same callback on B is refused, and the provider is not asked again', async () => {
      const tokenRequests = provider.tokenRequests.length
      const replay = await replicas.call(b, 'GET', hops.callbackPath, { token: null })
      expect(replay.status).toBe(302)
      expect(oauthOutcome(replay.location!)).toEqual({ oauth: 'error', code: 'state_replayed' })
      expect(provider.tokenRequests.length).toBe(tokenRequests)
    })
  })
})
