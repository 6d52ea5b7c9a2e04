/**
 * Credentials stored through the API and not tested yet are shown as what they are: a neutral "Not tested" badge,
 * never a green "Connected", in the connections list, on the connection page and on the app's setup page; the
 * connection is usable (no "Connect" call to action), and a test in the designer turns the badge into "Connected".
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type DesignerEnv, startDesignerEnv } from './harness.ts'

let env: DesignerEnv
const pageErrors: string[] = []

/** Bearer token, no test request: nothing (not even a health check) can test it, so it stays untested. */
const UNTESTABLE = {
  id: 'untested-lab',
  name: 'Untested lab',
  baseUrl: '{{baseUrl}}',
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
  auth: [{ type: 'bearer', id: 'token', fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }], token: '{{token}}' }],
}
/** The same with a test request, which the harness's upstream answers for its key. */
const TESTABLE = { ...UNTESTABLE, id: 'tested-lab', name: 'Tested lab', test: { method: 'GET', path: '/me', successStatus: [200] } }

let untested = ''

beforeAll(async () => {
  env = await startDesignerEnv()
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
  for (const connector of [UNTESTABLE, TESTABLE]) expect((await env.api('POST', '/api/connectors', connector)).status).toBe(201)
  const made = await env.api('POST', '/api/apps/default/connections', {
    connectorId: UNTESTABLE.id,
    name: 'Typed in',
    values: { baseUrl: env.upstream.origin, token: env.upstreamKey },
  })
  expect(made.body.status).toBe('untested')
  untested = made.body.id
  expect((await env.api('PATCH', '/api/apps/default', { connectors: [UNTESTABLE.id] })).status).toBe(200)
})
afterAll(() => env?.close())

test('the list and the connection page say "Not tested", neutral, with no call to connect', async () => {
  const { page } = env
  await env.open('#/apps/default/connections')
  const row = page.locator('tr[data-connection]', { hasText: 'Typed in' })
  const badge = row.locator('[data-status]')
  await badge.waitFor()
  expect(await badge.getAttribute('data-status')).toBe('untested')
  expect((await badge.textContent())?.trim()).toBe('Not tested')
  expect(await badge.getAttribute('class')).not.toMatch(/\bok\b/)
  expect(await row.getByRole('link', { name: 'Connect' }).count()).toBe(0)

  await env.open(`#/apps/default/connections/${untested}`)
  await page.getByTestId('untested-notice').waitFor()
  const header = page.locator('main [data-status]').first()
  expect((await header.textContent())?.trim()).toBe('Not tested')
  expect(await page.getByText('This connection has no credentials yet').count()).toBe(0)
  expect(pageErrors).toEqual([])
})

test("the app's setup counts it as connected, and says it is not tested", async () => {
  const { page } = env
  await env.open('#/apps/default')
  const card = page.locator(`[data-testid="setup-tool"][data-connector="${UNTESTABLE.id}"]`)
  await card.waitFor()
  expect(await card.getAttribute('data-state')).toBe('connected')
  await card.getByText('Not tested', { exact: true }).waitFor()
  expect(await card.getByText('Connected', { exact: true }).count()).toBe(0)
  expect(pageErrors).toEqual([])
})

test('a test in the designer turns untested credentials into "Connected"', async () => {
  const { page } = env
  const made = await env.api('POST', '/api/apps/default/connections', {
    connectorId: TESTABLE.id,
    name: 'Typed and tested',
    values: { baseUrl: env.upstream.origin, token: env.upstreamKey },
  })
  expect(made.body.status).toBe('untested')
  await env.open(`#/apps/default/connections/${made.body.id}`)
  await page.getByRole('toolbar', { name: 'Connection actions' }).getByRole('button', { name: 'Test', exact: true }).click()
  await page.locator('main [data-status="connected"]').first().waitFor()
  expect(await page.getByTestId('untested-notice').count()).toBe(0)
  expect((await env.api('GET', `/api/apps/default/connections/${made.body.id}`)).body.status).toBe('connected')
  expect(pageErrors).toEqual([])
})
