/**
 * What a forged, replayed or misdirected callback gets: refused with a clear code and plain words, and —
 * the point — no token request reaches the provider (except where only the provider can tell, which PKCE
 * then settles).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addConnection, authorizePath, outcome, providerConnector, setOAuthApp } from './flow.ts'
import { createHarness, type Harness, leaksOf } from './harness.ts'
import { type Provider, startProvider } from './provider.ts'

let h: Harness
let p: Provider
let memberToken: string

/** Starts a flow and stops at the provider's redirect back: the callback URL, not yet visited. */
async function pendingCallback(id: string, token = h.token): Promise<URL> {
  const start = await h.get(`${h.origin}${authorizePath(id)}`, { authorization: `Bearer ${token}` })
  expect(start.status, start.text).toBe(302)
  return new URL((await h.get(start.location!)).location!)
}

/** Visits a callback URL and answers the outcome, asserting that no token request was made. */
async function refused(url: URL | string, headers: Record<string, string> = {}) {
  const before = p.tokenRequests.length
  const res = await h.get(String(url), headers)
  expect(res.status).toBe(302)
  expect(res.headers.get('referrer-policy')).toBe('no-referrer')
  expect(p.tokenRequests.length, 'a token request was made').toBe(before)
  const result = outcome(res.location!)
  expect(result.oauth).toBe('error')
  return result
}

async function sessionCookie(token: string): Promise<string> {
  const res = await h.app.request(`${h.origin}/api/session`, {
    method: 'POST',
    headers: { origin: h.origin, 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  })
  return /sb_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0]
}

const status = async (id: string) => (await h.call('GET', `/api/apps/default/connections/${id}`)).body.status

beforeAll(async () => {
  h = await createHarness()
  p = await startProvider({ now: () => h.now.ms })
  await h.addConnector(
    providerConnector(
      'target',
      p.origin,
      { issuer: 'https://issuer.example.test' },
      { fields: [{ key: 'tenant', label: 'Tenant', type: 'text' }] },
    ),
  )
  await setOAuthApp(h, 'target', p)
  memberToken = await h.addUser('mallory')
})

afterAll(async () => {
  expect(leaksOf(h, p.secrets())).toEqual([])
  await p.close()
  await h.close()
})

describe('the callback refuses, without a token request', () => {
  it('a missing state', async () => {
    const id = await addConnection(h, 'target')
    const callback = await pendingCallback(id)
    callback.searchParams.delete('state')
    expect(await refused(callback)).toMatchObject({ code: 'state_missing', path: '/' })
    expect(await status(id)).toBe('not_connected')
  })

  it('an unknown state', async () => {
    const id = await addConnection(h, 'target')
    const callback = await pendingCallback(id)
    callback.searchParams.set('state', 'x'.repeat(43))
    const result = await refused(callback)
    expect(result.code).toBe('state_unknown')
    expect(result.message).toContain('unknown state')
  })

  it('a state given twice', async () => {
    const id = await addConnection(h, 'target')
    const callback = await pendingCallback(id)
    callback.searchParams.append('state', 'x'.repeat(43))
    expect((await refused(callback)).code).toBe('state_repeated')
  })

  it('a replayed callback, after it succeeded once', async () => {
    const id = await addConnection(h, 'target')
    const callback = await pendingCallback(id)
    const first = await h.get(callback.href)
    expect(outcome(first.location!).oauth).toBe('success')
    expect(await refused(callback)).toMatchObject({ code: 'state_replayed', path: `/apps/default/connections/${id}` })
    expect(await status(id)).toBe('connected')
  })

  it('an expired flow (more than 10 minutes)', async () => {
    const id = await addConnection(h, 'target')
    const callback = await pendingCallback(id)
    h.now.ms += 10 * 60_000 + 1
    expect(await refused(callback)).toMatchObject({ code: 'flow_expired', path: `/apps/default/connections/${id}` })
    expect(await status(id)).toBe('not_connected')
  })

  it("another user's state, presented in a signed-in session", async () => {
    const id = await addConnection(h, 'target')
    const callback = await pendingCallback(id)
    const result = await refused(callback, { cookie: await sessionCookie(memberToken) })
    expect(result).toMatchObject({ code: 'state_other_user', path: '/' })
    // Single use: the refused attempt used it up.
    expect((await refused(callback, { cookie: await sessionCookie(h.token) })).code).toBe('state_replayed')
  })

  it("accepts the state's own user in a signed-in session", async () => {
    const id = await addConnection(h, 'target')
    const callback = await pendingCallback(id)
    const res = await h.get(callback.href, { cookie: await sessionCookie(h.token) })
    expect(outcome(res.location!).oauth).toBe('success')
  })

  it("an iss that is not the connector's issuer (mix-up)", async () => {
    const id = await addConnection(h, 'target')
    const callback = await pendingCallback(id)
    callback.searchParams.set('iss', 'https://evil.example.test')
    expect((await refused(callback)).code).toBe('issuer_mismatch')
    expect(await status(id)).toBe('not_connected')
  })

  it('a flow whose connection was deleted meanwhile', async () => {
    const id = await addConnection(h, 'target')
    const callback = await pendingCallback(id)
    expect((await h.call('DELETE', `/api/apps/default/connections/${id}`)).status).toBe(204)
    expect((await refused(callback)).code).toBe('flow_outdated')
  })

  it("a flow whose connection's fields (and so its endpoints) changed meanwhile", async () => {
    const connector = providerConnector(
      'target-templated',
      p.origin,
      { tokenUrl: `${p.origin}/t/{{tenant}}/token` },
      { fields: [{ key: 'tenant', label: 'Tenant', type: 'text', required: true }] },
    )
    await h.addConnector(connector)
    await setOAuthApp(h, 'target-templated', p)
    const templated = await addConnection(h, 'target-templated', { values: { tenant: 'acme' } })
    const callback = await pendingCallback(templated)
    expect((await h.call('PATCH', `/api/apps/default/connections/${templated}`, { body: { values: { tenant: 'evil' } } })).status).toBe(200)
    expect((await refused(callback)).code).toBe('flow_outdated')
    expect(await status(templated)).toBe('not_connected')
  })

  it("the provider's error without a code still needs a valid state", async () => {
    expect((await refused(`${h.origin}/oauth/callback?error=access_denied&error_description=nope`)).code).toBe('state_missing')
  })
})

describe('a code for another connection', () => {
  it('is sent once and refused by the provider: PKCE binds the code to the flow that asked for it', async () => {
    const victim = await addConnection(h, 'target')
    const attacker = await addConnection(h, 'target')
    const attackerCallback = await pendingCallback(attacker)
    const victimCallback = await pendingCallback(victim)
    // The attacker's code, injected into the victim's flow (RFC 9700 §4.5).
    victimCallback.searchParams.set('code', attackerCallback.searchParams.get('code')!)
    const before = p.tokenRequests.length
    const res = await h.get(victimCallback.href)
    expect(outcome(res.location!)).toMatchObject({ oauth: 'error', code: 'invalid_grant' })
    // The runtime cannot tell codes apart; the one exchange it makes fails at the provider.
    expect(p.tokenRequests.length).toBe(before + 1)
    expect(p.tokenRequests.at(-1)!.params.get('code_verifier')).toBeTruthy()
    expect(await status(victim)).toBe('not_connected')
    expect(await status(attacker)).toBe('not_connected')
  })
})
