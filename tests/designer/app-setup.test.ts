/**
 * App setup in the designer, against the real runtime: the app's home lists each tool its workflows need with
 * its state. The owner connects a missing tool from there and comes back to it connected (a run by connector
 * then goes through it to the loopback API), chooses among several connections, and changes the choice; a
 * member invited to the app is asked there to connect their own personal account, and does.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type DesignerEnv, screenshot, signInThroughLink, startDesignerEnv } from './harness.ts'

const tool = (id: string, name: string) => ({
  id,
  name,
  baseUrl: '{{baseUrl}}',
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
  auth: [
    {
      type: 'apiKey',
      id: 'key',
      label: 'API key',
      fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
      placements: [{ in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' }],
    },
  ],
  test: { method: 'GET', path: '/me', successStatus: [200], label: '{{body.login}}' },
  actions: [{ key: 'whoami', name: 'Who am I', method: 'GET', path: '/me' }],
})

let env: DesignerEnv
let member: { context: BrowserContext; page: Page } | undefined
const pageErrors: string[] = []

beforeAll(async () => {
  env = await startDesignerEnv()
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
  expect((await env.api('POST', '/api/connectors', tool('acme-setup', 'Acme Setup'))).status).toBe(201)
  expect((await env.api('POST', '/api/connectors', tool('acme-mine', 'Acme Mine'))).status).toBe(201)
  const needs = await env.api('PATCH', '/api/apps/default', { actions: ['acme-setup.whoami'] })
  expect(needs.status).toBe(200)
})
afterAll(async () => {
  await member?.context.close()
  await env?.close()
})

const card = (page: Page, connectorId: string) => page.locator(`[data-testid="setup-tool"][data-connector="${connectorId}"]`)
const stateOf = (page: Page, connectorId: string) => card(page, connectorId).getAttribute('data-state')

describe('app setup', () => {
  test('a missing tool: Connect, fill it in, and back on the setup page it is connected', async () => {
    const { page } = env
    await env.open('#/apps/default')
    await card(page, 'acme-setup').waitFor()
    expect(await stateOf(page, 'acme-setup')).toBe('missing')
    // An admin adds a tool that no declared action names.
    expect(await card(page, 'acme-mine').count()).toBe(0)
    await page.getByLabel('Another tool this app needs').selectOption({ label: 'Acme Mine' })
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await card(page, 'acme-mine').waitFor()
    expect(await stateOf(page, 'acme-mine')).toBe('missing')
    expect((await env.api('GET', '/api/apps/default')).body.connectors).toEqual(['acme-mine'])
    expect(await card(page, 'acme-setup').textContent()).toContain('No connection to Acme Setup in this app yet.')
    await screenshot(page, 'app-setup-missing')

    await card(page, 'acme-setup').getByRole('link', { name: 'Connect Acme Setup' }).click()
    await page.getByRole('heading', { level: 1, name: 'Add a connection' }).waitFor()
    await page.getByLabel('Base URL').fill(env.upstream.origin)
    await page.getByLabel('API key').fill(env.upstreamKey)
    await page.getByRole('button', { name: 'Save connection' }).click()
    await page.locator('[data-testid="setup-tool"][data-connector="acme-setup"][data-state="connected"]').waitFor()
    expect(page.url()).toMatch(/#\/apps\/default\/setup$/)
    expect(await card(page, 'acme-setup').textContent()).toMatch(/Uses Acme Setup.*\(the only one\)/)

    // A workflow names the tool, not the connection.
    const run = await env.api('POST', '/api/apps/default/run/acme-setup/whoami', { mode: 'workflow' })
    expect(run.status).toBe(200)
    expect(run.body.body).toEqual({ login: 'octocat', id: 1 })
    expect(env.upstream.last().headers['x-api-key']).toBe(env.upstreamKey)
  })

  test('several connections: choose one, then change the choice', async () => {
    const { page } = env
    const ops = await env.api('POST', '/api/apps/default/connections', {
      connectorId: 'acme-setup',
      name: 'Acme Setup (ops)',
      values: { baseUrl: env.upstream.origin, apiKey: env.upstreamKey },
    })
    expect(ops.status).toBe(201)
    await env.open('#/apps/default/connections')
    await env.open('#/apps/default/setup')
    await page.locator('[data-testid="setup-tool"][data-connector="acme-setup"][data-state="choose"]').waitFor()
    const group = card(page, 'acme-setup').getByRole('group', { name: 'Which Acme Setup connection does this app use?' })
    await group.getByRole('radio', { name: /Acme Setup \(ops\)/ }).check()
    await screenshot(page, 'app-setup-choose')
    await card(page, 'acme-setup').getByRole('button', { name: 'Use this connection' }).click()
    await page.locator('[data-testid="setup-tool"][data-connector="acme-setup"][data-state="connected"]').waitFor()
    expect(await card(page, 'acme-setup').textContent()).toMatch(/Uses Acme Setup \(ops\).*\(the app's choice\)/)
    const setup = await env.api('GET', '/api/apps/default/setup')
    expect(setup.body.tools[1]).toMatchObject({ connectorId: 'acme-setup', appBinding: ops.body.id })

    await card(page, 'acme-setup').getByRole('button', { name: 'Change' }).click()
    await card(page, 'acme-setup')
      .getByRole('radio', { name: /^Acme Setup Shared/ })
      .check()
    await card(page, 'acme-setup').getByRole('button', { name: 'Use this connection' }).click()
    await card(page, 'acme-setup').filter({ hasNotText: 'Acme Setup (ops)' }).filter({ hasText: "the app's choice" }).waitFor()
    expect((await env.api('GET', '/api/apps/default/setup')).body.tools[1].appBinding).not.toBe(ops.body.id)
  })

  test('a member invited to the app is asked to connect their personal account there, and does', async () => {
    const personal = await env.api('POST', '/api/apps/default/connections', {
      connectorId: 'acme-mine',
      name: 'Acme Mine',
      sharing: 'personal',
      values: { baseUrl: env.upstream.origin },
    })
    expect(personal.status).toBe(201)
    const user = await env.api('POST', '/api/users', { name: 'Sam Setup', email: 'sam@example.com' })
    expect((await env.api('PUT', `/api/apps/default/members/${user.body.id}`, { role: 'member' })).status).toBe(200)
    const issued = await env.api('POST', `/api/users/${user.body.id}/tokens`, { name: 'Laptop' })
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 860 } })
    const page = await context.newPage()
    page.setDefaultTimeout(8_000)
    page.on('pageerror', (error) => void pageErrors.push(error.message))
    member = { context, page }
    await signInThroughLink(page, `${env.baseUrl}/signin?token=${issued.body.token}`)

    await page.goto(`${env.baseUrl}/#/apps/default`)
    const prompt = page.getByTestId('connect-yours')
    await prompt.getByRole('heading', { name: 'Connect your own accounts' }).waitFor()
    expect(await stateOf(page, 'acme-mine')).toBe('missing')
    // The shared tool is the app's: connected for the member too, and choosing among shared connections is not theirs.
    expect(await stateOf(page, 'acme-setup')).toBe('connected')
    expect(await card(page, 'acme-setup').getByRole('button', { name: 'Change' }).count()).toBe(0)
    await screenshot(page, 'app-setup-member')

    await prompt.getByRole('link', { name: 'Connect Acme Mine' }).click()
    await page.getByLabel(/^API key/).fill(env.upstreamKey)
    await page.getByRole('button', { name: 'Save and test' }).click()
    await page.getByText('You have connected your own account.').waitFor()
    await page.goto(`${env.baseUrl}/#/apps/default/setup`)
    await page.locator('[data-testid="setup-tool"][data-connector="acme-mine"][data-state="connected"]').waitFor()
    expect(await page.getByTestId('connect-yours').count()).toBe(0)
  })

  test('no page error along the way', () => {
    expect(pageErrors).toEqual([])
  })
})
