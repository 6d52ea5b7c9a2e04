/**
 * Least privilege by what the app runs: a connection asks for the connector's default scopes plus the
 * scopes of the actions the app declares it uses — nothing for actions it does not use.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { addConnection, authorize, outcome, providerConnector, setOAuthApp } from './flow.ts'
import { createHarness, type Harness } from './harness.ts'
import { type Provider, startProvider } from './provider.ts'

let h: Harness
let p: Provider

beforeAll(async () => {
  h = await createHarness()
  p = await startProvider({ now: () => h.now.ms, accessTtl: 3600 })
  await h.addConnector(providerConnector('uses', p.origin))
  await setOAuthApp(h, 'uses', p)
})

afterAll(async () => {
  await p.close()
  await h.close()
})

it('asks for the default scopes plus those of the actions the app uses, and the action then runs', async () => {
  const declared = await h.call('PATCH', '/api/apps/default', { body: { actions: ['uses.write'] } })
  expect(declared.status, declared.text).toBe(200)
  expect(declared.body.actions).toEqual(['uses.write'])
  const id = await addConnection(h, 'uses')
  const { providerUrl, final } = await authorize(h, id)
  expect(outcome(final).oauth).toBe('success')
  // `read` is the default, `write` comes from the app's action; `admin` is offered but not used.
  expect(providerUrl.searchParams.get('scope')).toBe('read write')
  expect((await h.call('GET', `/api/apps/default/connections/${id}`)).body.grantedScopes).toEqual(['read', 'write'])
  expect((await h.call('POST', `/api/apps/default/connections/${id}/actions/write`, { body: {} })).status).toBe(200)
  expect((await h.call('POST', `/api/apps/default/connections/${id}/actions/admin`, { body: {} })).body.error.code).toBe('scope_missing')
})

it('refuses actions that do not exist, saying which', async () => {
  const res = await h.call('PATCH', '/api/apps/default', { body: { actions: ['uses.write', 'uses.nope'] } })
  expect(res.status).toBe(400)
  expect(res.body.error.code).toBe('unknown_action')
  expect(res.body.error.details.errors[0].path).toBe('/actions/1')
  const unknown = await h.call('PATCH', '/api/apps/default', { body: { actions: ['ghost-tool.run'] } })
  expect(unknown.body.error.message).toContain('There is no connector "ghost-tool"')
  expect((await h.call('PATCH', '/api/apps/default', { body: { actions: ['not a ref'] } })).body.error.code).toBe('invalid_body')
})

it('records connecting and reconnecting through OAuth2 in the audit trail, with the scopes and no token', async () => {
  const id = await addConnection(h, 'uses')
  expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
  expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
  const trail = await h.call('GET', `/api/apps/default/audit?connection=${id}`)
  const events = trail.body.entries.map((e: { event: string; details?: { via?: string } }) => [e.event, e.details?.via])
  expect(events).toContainEqual(['connection.connected', 'oauth2'])
  expect(events).toContainEqual(['connection.reconnected', 'oauth2'])
  for (const secret of p.secrets()) expect(trail.text).not.toContain(secret)
})
