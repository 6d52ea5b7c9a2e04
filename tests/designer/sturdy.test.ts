/**
 * What a person building a Twilio-style connector by clicking ran into, each fixed with the step that broke:
 * duplicate keys, the test path and its target, renaming a field, the template's leftovers, a credential in a
 * path, connecting right after saving, a truthful connection status, and a quiet console before sign-in.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { domId } from '../../designer/src/lib/draft-places.ts'
import { type DesignerEnv, startDesignerEnv } from './harness.ts'

let env: DesignerEnv
const pageErrors: string[] = []

const byPointer = (pointer: string, suffix = '') => env.page.locator(`[id="${domId(pointer)}${suffix}"]`)
const problemsAt = (pointer: string) => byPointer(pointer, '-problems')

beforeAll(async () => {
  env = await startDesignerEnv()
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
  env.page.on('dialog', (dialog) => void dialog.accept().catch(() => {}))
})
afterAll(() => env?.close())

/** A new blank draft with a name and base URL, in a freshly loaded page (the last draft left unsaved). */
async function blank(name: string): Promise<void> {
  await env.page.goto('about:blank')
  await env.open('#/designer?blank')
  await env.page.getByRole('heading', { name: 'General' }).waitFor()
  await byPointer('/name').fill(name)
  await byPointer('/baseUrl').fill(env.upstream.origin)
}

test('two fields with the same key: an error at the second key, and the page keeps working', async () => {
  const { page } = env
  await blank('Duplicates')
  await page.getByRole('button', { name: 'Add field', exact: true }).click()
  await page.getByRole('button', { name: 'Add field', exact: true }).click()
  await byPointer('/fields/0/key').fill('accountSid')
  await byPointer('/fields/1/key').fill('accountSid')
  await problemsAt('/fields/1/key')
    .getByText(/"accountSid" is already declared/)
    .waitFor()
  // Still alive: the next edit shows.
  await byPointer('/fields/1/key').fill('region')
  await problemsAt('/fields/1/key').waitFor({ state: 'detached' })
  expect(pageErrors).toEqual([])
})

test('the test path starts empty, so typing "/Accounts" gives "/Accounts"; switching the target keeps both values', async () => {
  const { page } = env
  await blank('Paths')
  const path = byPointer('/test/path')
  await path.click()
  await page.keyboard.press('End')
  await page.keyboard.type('/Accounts')
  expect(await path.inputValue()).toBe('/Accounts')
  await page.getByLabel('An absolute URL').check()
  await byPointer('/test/url').fill('https://api.example.com/me')
  await page.getByLabel('A path under the base URL').check()
  expect(await byPointer('/test/path').inputValue()).toBe('/Accounts')
  await page.getByLabel('An absolute URL').check()
  expect(await byPointer('/test/url').inputValue()).toBe('https://api.example.com/me')
  expect(pageErrors).toEqual([])
})

test('before sign-in the console stays clean: asking whether anyone is signed in is not an error', async () => {
  const context = await env.browser.newContext()
  try {
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())))
    page.on('response', (response) => void (response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`)))
    await page.goto(`${env.baseUrl}/#/connectors`)
    await page
      .getByRole('button', { name: /Sign in/ })
      .first()
      .waitFor()
    expect(problems).toEqual([])
    const session = await page.evaluate(() => fetch('/api/session').then(async (r) => [r.status, await r.json()]))
    expect(session).toEqual([200, { signedIn: false }])
  } finally {
    await context.close()
  }
  // Signed in, the same question names who.
  expect(await env.page.evaluate(() => fetch('/api/session').then((r) => r.json()))).toMatchObject({
    signedIn: true,
    user: { owner: true },
  })
})

test('a credential field in the test path says what is wrong, and one click moves it to the connection fields', async () => {
  const { page } = env
  await blank('Twilio-like')
  await page.getByRole('button', { name: /Username and password/ }).click()
  await page.getByRole('button', { name: 'Add credential field' }).click()
  let added = 0
  while ((await byPointer(`/auth/0/fields/${added + 1}/key`).count()) > 0) added++
  const sid = `/auth/0/fields/${added}`
  await byPointer(`${sid}/key`).fill('accountSid')
  await page.locator(`[id="${domId(`${sid}/type`)}-type-secret"]`).uncheck()
  await byPointer('/test/path').fill('/Accounts/{{accountSid}}.json')
  const problem = problemsAt('/test/path')
  await problem.getByText(/a credential field .*credential fields cannot go into URLs and paths/).waitFor()
  expect(await problem.textContent()).not.toMatch(/No fields are declared here/)
  await problem.getByRole('button', { name: /Move “accountSid” to the connection fields/ }).click()
  await problem.waitFor({ state: 'detached' })
  expect(await byPointer('/fields/0/key').inputValue()).toBe('accountSid')
  // And back again, from the field's own row.
  await byPointer('/fields/0').getByRole('button', { name: 'Move to credentials' }).click()
  expect(await byPointer(`${sid}/key`).inputValue()).toBe('accountSid')
  await problemsAt('/test/path')
    .getByText(/credential field/)
    .waitFor()
  expect(pageErrors).toEqual([])
})

test('renaming a field renames its uses in every template, and the person can keep the old ones instead', async () => {
  const { page } = env
  await blank('Renames')
  await byPointer('/baseUrl').fill('https://{{sid}}.api.example.com')
  await page.getByRole('button', { name: 'Create field sid' }).click()
  expect(await byPointer('/fields/0/key').inputValue()).toBe('sid')
  await byPointer('/test/path').fill('/Accounts/{{sid}}/{{ sid | upper }}.json')
  await byPointer('/fields/0/key').fill('accountSid')
  await byPointer('/fields/0/key').press('Tab')
  const notice = byPointer('/fields/0').getByRole('status')
  await notice.getByText(/Renamed 3 uses of \{\{sid\}\} to \{\{accountSid\}\}/).waitFor()
  expect(await byPointer('/baseUrl').inputValue()).toBe('https://{{accountSid}}.api.example.com')
  expect(await byPointer('/test/path').inputValue()).toBe('/Accounts/{{accountSid}}/{{ accountSid | upper }}.json')
  // Declined: the templates say {{sid}} again, and the validator says no field has that key.
  await notice.getByRole('button', { name: /Keep \{\{sid\}\}/ }).click()
  expect(await byPointer('/test/path').inputValue()).toBe('/Accounts/{{sid}}/{{ sid | upper }}.json')
  await problemsAt('/baseUrl')
    .getByText(/\{\{sid\}\}/)
    .waitFor()
  expect(pageErrors).toEqual([])
})

test('after saving a connector, "Connect" is right there and opens a new connection with it', async () => {
  const { page } = env
  await blank('Connect Me')
  await page.getByRole('button', { name: 'Bearer token', exact: true }).click()
  await byPointer('/test/path').fill('/me')
  await page.getByTestId('error-count').getByText('0 errors').waitFor()
  await page.getByRole('button', { name: 'Save connector' }).click()
  const notice = page.getByTestId('designer-notice')
  await notice.getByText('Saved "Connect Me".').waitFor()
  await notice.getByRole('link', { name: 'Connect' }).click()
  await page.getByRole('heading', { name: 'Add a connection' }).waitFor()
  expect(await page.evaluate(() => location.hash)).toBe('#/apps/default/connections/new?connector=connect-me')
  expect(pageErrors).toEqual([])
})

test('a connection whose credentials were never tested does not say "Connected": they are tested on connect', async () => {
  const { page } = env
  await page.locator('#new-name').fill('Wrong token')
  await page.getByLabel('Token').fill('not-the-key')
  await page.getByRole('button', { name: 'Save connection' }).click()
  await page.waitForURL(/#\/apps\/default\/connections\/c_/)
  await page
    .getByText(/rejected the credentials/)
    .first()
    .waitFor()
  expect(await page.getByText('Never tested').count()).toBe(0)
  const id = decodeURIComponent(new URL(page.url()).hash.split('/')[4]!)
  const view = (await env.api('GET', `/api/apps/default/connections/${id}`)).body
  expect(view).toMatchObject({ status: 'error', lastTest: { ok: false, problem: 'credentials_rejected' } })
})

test('a failing draft test says to test again, not to connect again: a draft has no connection', async () => {
  const { page } = env
  await env.open('#/designer/connect-me')
  await page.getByRole('tab', { name: 'Test' }).click()
  await page.locator('#drafttest-token').fill('not-the-key')
  await page.getByRole('button', { name: 'Run test' }).click()
  await page.getByText('Failed', { exact: true }).waitFor()
  const diagnosis = await page.getByTestId('diagnosis').textContent()
  expect(diagnosis).toMatch(/rejected the credentials.*test again/)
  expect(diagnosis).not.toMatch(/connect again/)
})

test("a template's leftovers are not saved: icon follows the name, no categories, a method's label and help go once edited", async () => {
  const { page } = env
  await page.goto('about:blank')
  await env.open('#/designer?template=generic-api-key')
  await page.getByRole('heading', { name: 'General' }).waitFor()
  await byPointer('/name').fill('Twilio')
  await byPointer('/auth/0/placements/0/name').fill('X-Twilio-Key')
  await page.getByRole('tab', { name: 'JSON' }).click()
  const doc = JSON.parse(await page.getByLabel('Connector JSON').inputValue())
  expect(decodeURIComponent(doc.icon)).toContain('>T</text>')
  expect(doc.categories).toBeUndefined()
  expect(doc.auth[0].label).toBeUndefined()
  expect(doc.auth[0].description).toBeUndefined()
  // A method not edited yet keeps them until it is.
  expect(doc.auth[1].label).toBe('Authorization header')
  expect(pageErrors).toEqual([])
})
