/**
 * A person manages connections in the designer, against the real runtime and a loopback API that
 * checks its key: add, test, reconnect, rename, clone, unauthorize, delete. Every step is done
 * through the UI and checked both on screen and through the API. The tests share one page and
 * run in order, each starting where the previous one left off.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type DesignerEnv, screenshot, startDesignerEnv } from './harness.ts'

let env: DesignerEnv
const pageErrors: string[] = []

/** A custom connector with an account label, so a test can show who is connected. */
const ACME = {
  id: 'acme-api',
  name: 'Acme API',
  description: "Acme's customer records.",
  categories: ['crm'],
  baseUrl: '{{baseUrl}}',
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true, placeholder: 'https://api.acme.test' }],
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
  actions: [
    {
      key: 'getCustomer',
      name: 'Get customer',
      method: 'GET',
      path: '/customers/{{input.id}}',
      input: { type: 'object', required: ['id'], properties: { id: { type: 'string', title: 'Customer id' } } },
    },
  ],
}

beforeAll(async () => {
  env = await startDesignerEnv()
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
  const created = await env.api('POST', '/api/connectors', ACME)
  expect(created.status).toBe(201)
})
afterAll(() => env?.close())

const list = async () => (await env.api('GET', '/api/apps/default/connections')).body.connections as Array<Record<string, any>>
const byName = async (name: string) => (await list()).find((c) => c.name === name)
const heading = (name: string | RegExp) => env.page.getByRole('heading', { level: 1, name })
/** A button of the connection page's toolbar (the status banner may repeat one). */
const action = (name: string) => env.page.getByRole('toolbar', { name: 'Connection actions' }).getByRole('button', { name, exact: true })
const text = async (testId: string) => (await env.page.getByTestId(testId).first().textContent())?.trim()

describe('connections in the designer', () => {
  test('the connections page starts empty, with a clear way to connect', async () => {
    await env.open('#/connectors')
    await env.page.getByRole('link', { name: 'Connections' }).click()
    await env.page.getByRole('heading', { name: 'No connections yet' }).waitFor()
    expect(env.page.url()).toMatch(/#\/apps\/default\/connections$/)
    await env.page.getByRole('link', { name: 'Connect an account' }).waitFor()
    await screenshot(env.page, 'connections-empty')
  })

  test('the catalogue filters by category and auth type, and marks custom connectors', async () => {
    const { page } = env
    await env.open('#/connectors')
    await page
      .getByRole('link', { name: /GitHub/ })
      .first()
      .waitFor()
    await screenshot(page, 'catalogue')
    await page.getByLabel('Category').selectOption('crm')
    await page.getByRole('link', { name: /Acme API/ }).waitFor()
    expect(await page.getByRole('link', { name: /GitHub/ }).count()).toBe(0)
    expect(await page.locator('[data-connector="acme-api"] .badge', { hasText: 'Custom' }).count()).toBe(1)
    await page.getByLabel('Authentication').selectOption('basic')
    await page.getByText('No connector matches').waitFor()
    await page.getByRole('button', { name: 'Clear filters' }).first().click()
    await page.getByLabel('Search').fill('stripe')
    await page.getByRole('link', { name: /Stripe/ }).waitFor()
    expect(await page.locator('[data-connector]').count()).toBe(1)
    await page.getByLabel('Search').fill('')
  })

  test('a connector page shows its definition and leads to the add form', async () => {
    const { page } = env
    await page.getByRole('link', { name: /Acme API/ }).click()
    await heading('Acme API').waitFor()
    const body = await page.locator('main').textContent()
    for (const part of ['{{baseUrl}}', 'X-Api-Key: {{apiKey}}', 'GET /me', '{{body.login}}', 'Get customer', 'Customer id', 'Custom'])
      expect(body).toContain(part)
    expect(await page.getByRole('link', { name: 'Edit' }).getAttribute('href')).toBe('#/designer/acme-api')
    expect(await page.getByRole('link', { name: 'Duplicate as custom connector' }).getAttribute('href')).toBe('#/designer?from=acme-api')
    await screenshot(page, 'connector-page')

    await env.open('#/connectors/github')
    await heading('GitHub').waitFor()
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0)
    expect(await page.locator('main').textContent()).toContain('read:user')

    await env.open('#/connectors/acme-api')
    await page.getByRole('link', { name: 'Add connection' }).click()
    await heading('Add a connection').waitFor()
    expect(page.url()).toMatch(/#\/apps\/default\/connections\/new\?connector=acme-api$/)
    expect(await page.getByLabel('Connection name').inputValue()).toBe('Acme API')
  })

  test('adding a connection shows the API validation at the field, then saves it connected', async () => {
    const { page } = env
    await page.getByLabel('Connection name').fill('Acme')
    await page.getByLabel('Base URL').fill('ftp://nowhere')
    await page.getByRole('button', { name: 'Save connection' }).click()
    // The key is checked here: without it the connection would be saved unusable.
    await page.locator('#new-apiKey-error').waitFor()
    await page.getByLabel('API key').fill(env.upstreamKey)
    await page.getByRole('button', { name: 'Save connection' }).click()
    await page.locator('#new-baseUrl-error').waitFor()
    expect(await page.locator('#new-baseUrl-error').textContent()).toMatch(/Base URL must start with https:\/\//)
    expect(await page.getByLabel('Base URL').getAttribute('aria-invalid')).toBe('true')
    expect(await list()).toHaveLength(0)

    await page.getByLabel('Base URL').fill(env.upstream.origin)
    await screenshot(page, 'add-connection')
    await page.getByRole('button', { name: 'Save connection' }).click()
    await heading('Acme').waitFor()
    expect(page.url()).toMatch(/#\/apps\/default\/connections\/c_[A-Za-z0-9]+$/)
    expect(await text('base-url')).toBe(env.upstream.origin)
    expect(await page.locator('main').textContent()).not.toContain(env.upstreamKey)

    const saved = await byName('Acme')
    expect(saved).toMatchObject({
      connectorId: 'acme-api',
      status: 'connected',
      fields: { baseUrl: env.upstream.origin },
      secrets: { apiKey: { hasValue: true } },
    })
  })

  test('testing shows success with the connected account', async () => {
    const { page } = env
    await action('Test').click()
    await page.getByTestId('diagnosis').waitFor()
    expect(await text('account-label')).toBe('octocat')
    expect(await page.locator('.result .badge').first().textContent()).toBe('Success')
    await page.getByTestId('connection-account').waitFor()
    expect(env.upstream.last().headers['x-api-key']).toBe(env.upstreamKey)
    expect(await byName('Acme')).toMatchObject({ accountLabel: 'octocat', lastTest: { ok: true } })
    await screenshot(page, 'connection-page')
  })

  test('reconnecting with a wrong key says the credentials were rejected', async () => {
    const { page } = env
    await action('Reconnect').click()
    await page.getByRole('heading', { name: 'Reconnect Acme' }).waitFor()
    // The form takes the keyboard: type the key and press Enter.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reconnect-apiKey')
    await page.keyboard.type('wrong-key')
    await page.keyboard.press('Enter')
    await page.getByTestId('diagnosis').filter({ hasText: 'The API rejected the credentials' }).waitFor()
    expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('error')
    expect(env.upstream.last().headers['x-api-key']).toBe('wrong-key')
    expect(await byName('Acme')).toMatchObject({ status: 'error', lastTest: { ok: false, problem: 'credentials_rejected' } })
    await screenshot(page, 'connection-rejected')

    await action('Reconnect').click()
    await page.getByLabel('API key').fill(env.upstreamKey)
    await page.getByRole('button', { name: 'Save and test' }).click()
    await page.locator('.result[data-ok="true"]').waitFor()
    expect((await byName('Acme'))?.status).toBe('connected')
  })

  test('renaming edits the title in place', async () => {
    const { page } = env
    await page.getByRole('button', { name: 'Rename' }).click()
    await page.getByLabel('Connection name').fill('Acme production')
    await page.getByLabel('Connection name').press('Enter')
    await heading('Acme production').waitFor()
    expect(await byName('Acme production')).toBeDefined()
    expect(await byName('Acme')).toBeUndefined()
  })

  test('changing the base URL explains that another host needs reconnecting', async () => {
    const { page } = env
    await action('Change base URL').click()
    await page.getByText('moving to another host removes the saved credentials').waitFor()
    await page.getByRole('button', { name: 'Cancel' }).last().click()
    expect(await page.getByText('moving to another host').count()).toBe(0)
  })

  test('cloning asks for a name, then opens the clone to connect it', async () => {
    const { page } = env
    await action('Clone').click()
    const dialog = page.getByRole('dialog', { name: /Clone/ })
    await dialog.waitFor()
    await dialog.getByLabel('Name of the clone').fill('Acme staging')
    await dialog.getByRole('button', { name: 'Clone and connect' }).click()
    await heading('Acme staging').waitFor()
    expect(page.url()).toMatch(/\/connect$/)
    await page.getByRole('heading', { name: 'Connect Acme staging' }).waitFor()
    const clone = await byName('Acme staging')
    expect(clone).toMatchObject({
      status: 'not_connected',
      fields: { baseUrl: env.upstream.origin },
      secrets: { apiKey: { hasValue: false } },
    })

    await page.getByLabel('API key').fill(env.upstreamKey)
    await page.getByRole('button', { name: 'Save and test' }).click()
    await page.locator('.result[data-ok="true"]').waitFor()
    expect(await byName('Acme staging')).toMatchObject({ status: 'connected', accountLabel: 'octocat' })
  })

  test('unauthorizing drops the credentials and keeps the connection', async () => {
    const { page } = env
    await action('Unauthorize').click()
    const dialog = page.getByRole('dialog', { name: /Unauthorize “Acme staging”/ })
    await dialog.getByRole('button', { name: 'Unauthorize' }).click()
    await page.locator('[data-status="not_connected"]').first().waitFor()
    await page.getByText('This connection has no credentials yet.').waitFor()
    expect(await byName('Acme staging')).toMatchObject({ status: 'not_connected', secrets: { apiKey: { hasValue: false } } })
  })

  test('deleting asks for confirmation naming the connection', async () => {
    const { page } = env
    await action('Delete').click()
    const dialog = page.getByRole('dialog', { name: 'Delete “Acme staging”?' })
    await dialog.waitFor()
    // Escape cancels: nothing is deleted.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    expect(await byName('Acme staging')).toBeDefined()

    await action('Delete').click()
    expect(await dialog.textContent()).toContain('Acme staging')
    await dialog.getByRole('button', { name: 'Delete connection' }).click()
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor()
    await page.locator('tr[data-connection]').first().waitFor()
    expect(await byName('Acme staging')).toBeUndefined()
    expect(await page.locator('tr[data-connection]').count()).toBe(1)
  })

  test('the list shows status, account and last test, and tests in place', async () => {
    const { page } = env
    const row = page.locator('tr[data-connection]', { hasText: 'Acme production' })
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('connected')
    expect(await row.textContent()).toContain('octocat')
    expect(await row.textContent()).toContain('Acme API')
    await row.getByRole('button', { name: 'Test Acme production' }).click()
    await page.getByText('Acme production: test passed (octocat)').waitFor()
    await screenshot(page, 'connections-list')
  })

  test('a built-in generic API key connector is added through the picker', async () => {
    const { page } = env
    await page.getByRole('link', { name: 'Add connection' }).click()
    await page.getByLabel('Which tool do you want to connect?').fill('API key')
    await page.getByRole('button', { name: /API key \(custom\)/ }).click()
    await page.getByLabel('Connection name').fill('Generic key')
    await page.getByLabel('Base URL').fill(env.upstream.origin)
    await page.getByLabel('Test URL').fill(`${env.upstream.origin}/me`)
    await page.getByLabel('API key').fill(env.upstreamKey)
    await page.getByRole('button', { name: 'Save connection' }).click()
    await heading('Generic key').waitFor()
    await action('Test').click()
    await page.locator('.result[data-ok="true"]').waitFor()
    expect(await byName('Generic key')).toMatchObject({ connectorId: 'generic-api-key', status: 'connected', lastTest: { ok: true } })
  })

  test('an OAuth2 connection opened from its connect link offers "Connect with GitHub"', async () => {
    const { page } = env
    // No test may reach the internet: a runtime that already redirects to GitHub stops here.
    let redirected = false
    await page.route('https://github.com/**', (route) => {
      redirected = true
      return route.abort()
    })
    const created = await env.api('POST', '/api/apps/default/connections', {
      connectorId: 'github',
      name: 'GitHub (work)',
      authMethod: 'oauth',
    })
    expect(created.status).toBe(201)
    const hash = new URL(created.body.connectUrl).hash
    expect(hash).toBe(`#/apps/default/connections/${created.body.id}/connect`)
    await env.open(hash)
    await heading('GitHub (work)').waitFor()
    const button = page.getByRole('button', { name: 'Connect with GitHub' })
    await button.click()
    await Promise.race([page.getByRole('alert').first().waitFor(), page.waitForEvent('requestfailed')])
    if (!redirected) expect(await page.getByRole('alert').first().textContent()).toBeTruthy()
    await page.unroute('https://github.com/**')
  })

  test('pages stay readable in a narrow window', async () => {
    const { page } = env
    await page.setViewportSize({ width: 420, height: 860 })
    await env.open('#/apps/default/connections')
    await page.locator('tr[data-connection]').first().waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420)
    await screenshot(page, 'connections-list-narrow')
    await page.getByRole('link', { name: 'Acme production' }).click()
    await heading('Acme production').waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420)
    await screenshot(page, 'connection-page-narrow')
    await env.open('#/connectors/github')
    await heading('GitHub').waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420)
    await screenshot(page, 'connector-page-narrow')
    await page.setViewportSize({ width: 1280, height: 860 })
  })

  test('signing out returns to the sign-in page', async () => {
    const { page } = env
    await env.open('#/apps/default/connections')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to Switchboard' }).waitFor()
    await page.getByText('You are signed out.').waitFor()
    expect(page.url()).toMatch(/#\/signin/)
    const me = await page.evaluate(async () => (await fetch('/api/me')).status)
    expect(me).toBe(401)
  })

  test('no page threw an error', () => {
    expect(pageErrors).toEqual([])
  })
})
