/**
 * People and sharing in the designer, against the real runtime: the owner invites someone and issues
 * their token (shown once), adds them to the default app as a member; the member signs in in a second
 * browser, connects their own account to a personal connection and tests it (the loopback API sees
 * their key, never the owner's), and is refused admin-only changes in plain words. Then the owner
 * edits a field, switches the sharing scope with a confirmation, and reads the audit trail.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type DesignerEnv, screenshot, signInThroughLink, startDesignerEnv, type UpstreamHandler } from './harness.ts'

const OWNER_KEY = 'owner-key-5a1c'
const MEMBER_KEY = 'member-key-93be'
/** Accepts both people's keys and says whose it was. */
const upstream: UpstreamHandler = (request) => {
  const key = request.headers['x-api-key']
  if (key === OWNER_KEY) return { body: { login: 'owner-account' } }
  if (key === MEMBER_KEY) return { body: { login: 'member-account' } }
  return { status: 401, body: { message: 'Bad credentials' } }
}
const ACME = {
  id: 'acme-people',
  name: 'Acme People',
  categories: ['crm'],
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
}

let env: DesignerEnv
let member: { context: BrowserContext; page: Page } | undefined
let connectionId = ''
let issued = { token: '', signInUrl: '' }
const pageErrors: string[] = []

beforeAll(async () => {
  env = await startDesignerEnv({ upstream })
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
  expect((await env.api('POST', '/api/connectors', ACME)).status).toBe(201)
  const created = await env.api('POST', '/api/apps/default/connections', {
    connectorId: ACME.id,
    name: 'Acme personal',
    sharing: 'personal',
    values: { baseUrl: env.upstream.origin, apiKey: OWNER_KEY },
  })
  expect(created.status).toBe(201)
  connectionId = created.body.id
})
afterAll(async () => {
  await member?.context.close()
  await env?.close()
})

const connectionHash = () => `#/apps/default/connections/${connectionId}`

describe('users, members and sharing', () => {
  test('the owner invites someone and issues their token, which is shown once', async () => {
    const { page } = env
    await env.open('#/connectors')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click()
    await page.getByLabel('Name').fill('Mia Member')
    await page.getByLabel(/Email/).fill('mia@example.com')
    await page.getByRole('button', { name: 'Invite' }).click()
    await page.getByRole('heading', { level: 1, name: 'Mia Member' }).waitFor()

    await page.getByLabel('Token name').fill('Laptop')
    await page.getByRole('button', { name: 'Issue token' }).click()
    const panel = page.getByTestId('issued-token')
    await panel.getByText('you will not see this token again').waitFor()
    issued = {
      token: await page.getByLabel('Token', { exact: true }).inputValue(),
      signInUrl: await page.getByLabel('Sign-in link').inputValue(),
    }
    expect(issued.token).toMatch(/^sb_/)
    expect(issued.signInUrl).toBe(`${env.baseUrl}/signin?token=${issued.token}`)
    await page.getByRole('button', { name: 'I have copied it' }).click()
    await panel.waitFor({ state: 'detached' })

    // Afterwards only its name and dates remain, on screen and after a reload.
    await page.reload()
    await page.locator('[data-token="Laptop"]').waitFor()
    expect(await page.locator('main').textContent()).not.toContain(issued.token)
    expect(await page.locator('[data-token="Laptop"]').textContent()).toMatch(/API token.*just now.*Never.*Active/)

    await env.open('#/users')
    await page.locator('[data-user="Mia Member"]').waitFor()
    await screenshot(page, 'users')
  })

  test('the owner adds the person to the default app as a member; the last admin cannot be demoted', async () => {
    const { page } = env
    await env.open('#/apps/default/members')
    await page.getByLabel('Person').selectOption({ label: 'Mia Member (mia@example.com)' })
    await page.getByLabel('Role', { exact: true }).selectOption('member')
    await page.getByRole('button', { name: 'Add to app' }).click()
    await page.locator('[data-member="Mia Member"]').waitFor()
    expect(await page.getByLabel('Role of Mia Member').inputValue()).toBe('member')
    const app = await env.api('GET', '/api/apps/default')
    const mia = (await env.api('GET', '/api/users')).body.users.find((u: { name: string }) => u.name === 'Mia Member')
    expect(app.body.members).toContainEqual({ userId: mia.id, role: 'member' })

    // The owner is the app's only admin member: demoting them is refused in plain words.
    const owner = app.body.members.find((m: { role: string }) => m.role === 'admin')
    if (owner) {
      const select = page.locator(`#role-${owner.userId}`)
      await select.selectOption('member')
      await page.getByRole('alert').filter({ hasText: 'would have no admin left' }).waitFor()
      expect(await select.inputValue()).toBe('admin')
    }
    await screenshot(page, 'members')
  })

  test('the member connects their own account to a personal connection and tests it', async () => {
    const context = await env.browser.newContext({ viewport: { width: 420, height: 860 } })
    const page = await context.newPage()
    page.setDefaultTimeout(8_000)
    page.on('pageerror', (error) => void pageErrors.push(error.message))
    member = { context, page }
    await signInThroughLink(page, issued.signInUrl)
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()).toBe(0)

    await page.goto(`${env.baseUrl}/${connectionHash()}`)
    await page.getByTestId('sharing-badge').filter({ hasText: 'Personal' }).waitFor()
    for (const name of ['Delete', 'Clone', 'Change base URL', 'Make shared', 'Edit fields'])
      expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0)
    const seen = env.upstream.requests.length
    await page.getByRole('button', { name: 'Connect your own account' }).click()
    await page.getByLabel(/^API key/).fill(MEMBER_KEY)
    await page.getByRole('button', { name: 'Save and test' }).click()
    await page.getByTestId('account-label').filter({ hasText: 'member-account' }).waitFor()
    await page.getByText('You have connected your own account.').waitFor()

    const sent = env.upstream.requests.slice(seen).map((r) => r.headers['x-api-key'])
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.every((key) => key === MEMBER_KEY)).toBe(true)
    await screenshot(page, 'member-connection')

    // The owner's own credential is untouched and still theirs.
    const ownerView = await env.api('POST', `/api/apps/default/connections/${connectionId}/test`)
    expect(ownerView.body.label).toBe('owner-account')
    expect(env.upstream.last().headers['x-api-key']).toBe(OWNER_KEY)
  })

  test('a member forced into an admin change is told which role it needs', async () => {
    const page = member!.page
    await page.getByRole('button', { name: 'Rename' }).click()
    await page.getByLabel('Connection name').fill('Mine now')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('alert').filter({ hasText: 'app admin role' }).waitFor()

    await page.goto(`${env.baseUrl}/#/apps/default/members`)
    await page.getByRole('alert').filter({ hasText: 'admin' }).waitFor()
    // Only admins add connections: the member is not offered the button, and their name (the way to
    // My tokens) stays in the header on a narrow screen.
    await page.goto(`${env.baseUrl}/#/apps/default/connections`)
    await page.getByRole('table').waitFor()
    expect(await page.getByRole('link', { name: 'Add connection' }).count()).toBe(0)
    await page.getByRole('link', { name: 'Mia Member' }).click()
    await page.locator('[data-token="Laptop"]').waitFor()
    await page.locator('[data-token="Browser session"]').first().waitFor()
  })

  test('the owner edits a field, switches sharing after a warning, and reads the activity', async () => {
    const { page } = env
    await env.open(connectionHash())
    await page.getByRole('button', { name: 'Edit fields' }).click()
    await page.getByLabel(/Base URL/).fill(`${env.upstream.origin}/v2`)
    await page.getByRole('button', { name: 'Save fields' }).click()
    await page.getByText(`${env.upstream.origin}/v2`).first().waitFor()

    await page.getByRole('button', { name: 'Make shared' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('All saved credentials of this connection are removed').waitFor()
    await dialog.getByRole('button', { name: 'Make shared and drop credentials' }).click()
    await page.getByTestId('sharing-badge').filter({ hasText: 'Shared' }).waitFor()
    const after = await env.api('GET', `/api/apps/default/connections/${connectionId}`)
    expect(after.body).toMatchObject({ sharing: 'shared', status: 'not_connected' })

    await page.getByRole('heading', { name: 'Activity' }).waitFor()
    await page.locator('[data-event="connection.sharing_changed"]').first().waitFor()
    await env.open('#/apps/default/audit')
    const table = page.getByTestId('audit-table')
    await table.locator('[data-event="connection.connected"]', { hasText: 'Mia Member' }).waitFor()
    expect(await table.locator('[data-event="connection.sharing_changed"]').textContent()).toContain('from personal to shared')

    // The connector page now offers to connect it in this app.
    await env.open(`#/connectors/${ACME.id}`)
    const cta = page.getByTestId('connect-cta')
    await cta.getByText('Not connected in this app yet').waitFor()
    expect(await cta.getByRole('link', { name: 'Connect Acme People' }).getAttribute('href')).toContain(`/connections/${connectionId}`)
  })

  test('the owner revokes the token; it no longer signs anyone in', async () => {
    const { page } = env
    await env.open('#/users')
    await page.getByRole('link', { name: 'Tokens of Mia Member' }).click()
    await page.getByRole('button', { name: 'Revoke Laptop' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click()
    await page.locator('[data-token="Laptop"]').getByText('Revoked').waitFor()
    const res = await fetch(`${env.baseUrl}/api/me`, { headers: { authorization: `Bearer ${issued.token}` } })
    expect(res.status).toBe(401)
    expect(pageErrors).toEqual([])
  })
})
