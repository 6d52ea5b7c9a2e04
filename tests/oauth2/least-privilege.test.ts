/**
 * Least privilege: a connection asks for the default scopes plus what is asked for explicitly, records
 * what the provider granted, and an action needing more is refused before anything is sent, with the link
 * that asks for exactly the missing scopes (incremental authorization). Personal connections keep each
 * user's grant apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addConnection, authorize, authorizePath, outcome, providerConnector, setOAuthApp } from './flow.ts'
import { createHarness, type Harness, leaksOf } from './harness.ts'
import { type Provider, startProvider } from './provider.ts'

let h: Harness
let p: Provider
let stingy: Provider

const run = (id: string, action: string, token?: string) =>
  h.call('POST', `/api/apps/default/connections/${id}/actions/${action}`, { body: {}, ...(token ? { token } : {}) })
const view = async (id: string, token?: string) => (await h.call('GET', `/api/apps/default/connections/${id}`, token ? { token } : {})).body

beforeAll(async () => {
  h = await createHarness()
  p = await startProvider({ now: () => h.now.ms, accessTtl: 3600 })
  stingy = await startProvider({ now: () => h.now.ms, grantOnly: ['read'] })
  await h.addConnector(providerConnector('scoped', p.origin))
  await h.addConnector(providerConnector('stingy', stingy.origin))
  await setOAuthApp(h, 'scoped', p)
  await setOAuthApp(h, 'stingy', stingy)
})

afterAll(async () => {
  expect(leaksOf(h, [...p.secrets(), ...stingy.secrets()])).toEqual([])
  await p.close()
  await stingy.close()
  await h.close()
})

describe('an action that needs a scope the connection lacks', () => {
  let id: string

  it('is refused with 403 scope_missing and the incremental authorize link, before any request', async () => {
    id = await addConnection(h, 'scoped')
    await authorize(h, id)
    expect((await view(id)).grantedScopes).toEqual(['read'])
    expect((await run(id, 'list')).body.status).toBe(200)
    // Even with a token due for refresh: the check comes first.
    h.now.ms += 3600_000
    const api = p.apiRequests.length
    const tokens = p.tokenRequests.length
    const res = await run(id, 'write')
    expect(res.status).toBe(403)
    expect(res.body.error).toMatchObject({
      code: 'scope_missing',
      details: { missing: ['write'], granted: ['read'], reauthorizeUrl: `${h.origin}${authorizePath(id, '?scopes=write')}` },
    })
    expect(res.body.error.message).toContain('"write"')
    expect(p.apiRequests.length).toBe(api)
    expect(p.tokenRequests.length).toBe(tokens)
  })

  it('works after following the link: the union of the granted and the added scopes is asked for', async () => {
    const link = (await run(id, 'write')).body.error.details.reauthorizeUrl as string
    const { providerUrl, final } = await authorize(h, id, { query: new URL(link).search })
    expect(providerUrl.searchParams.get('scope')).toBe('read write')
    expect(outcome(final).oauth).toBe('success')
    expect((await view(id)).grantedScopes).toEqual(['read', 'write'])
    expect((await run(id, 'write')).body.status).toBe(200)
    expect((await run(id, 'admin')).body.error.details.missing).toEqual(['admin'])
  })

  it('refuses scopes the connector does not offer', async () => {
    const res = await h.call('GET', authorizePath(id, '?scopes=root&format=json'))
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('unknown_scope')
  })

  it('records what the provider granted, not what was asked for', async () => {
    const other = await addConnection(h, 'stingy')
    const { providerUrl } = await authorize(h, other, { query: '?scopes=admin' })
    expect(providerUrl.searchParams.get('scope')).toBe('read admin')
    expect((await view(other)).grantedScopes).toEqual(['read'])
    const res = await run(other, 'admin')
    expect(res.status).toBe(403)
    expect(res.body.error.details.missing).toEqual(['admin'])
  })
})

describe('personal connections', () => {
  it("keep each user's tokens and grant apart", async () => {
    const member = await h.addUser('member-lp')
    expect((await h.call('PUT', '/api/apps/default/members/member-lp', { body: { role: 'member' } })).status).toBe(200)
    const id = await addConnection(h, 'scoped', { sharing: 'personal' })
    await authorize(h, id, { token: member, query: '?scopes=write' })
    expect((await view(id, member)).status).toBe('connected')
    expect((await view(id)).status).toBe('not_connected')

    const mine = await run(id, 'list')
    expect(mine.status).toBe(428)
    expect(mine.body.error.code).toBe('connection_required')
    expect((await run(id, 'write', member)).body.status).toBe(200)
    const theirs = p.apiRequests.at(-1)!.authorization

    await authorize(h, id)
    expect((await run(id, 'list')).body.status).toBe(200)
    expect((await run(id, 'write')).body.error.code).toBe('scope_missing')
    expect(p.apiRequests.at(-1)!.authorization).not.toBe(theirs)
  })
})
