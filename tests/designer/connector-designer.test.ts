/**
 * The connector designer in a real Chromium against the real runtime: a person who has never read the
 * schema builds an API-key connector by clicking and typing, sees problems where they are, tests the
 * unsaved draft against a loopback API, saves it, uses it for a connection on the connection pages,
 * and moves connectors in and out as files.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { domId } from '../../designer/src/lib/draft-places.ts'
import { type DesignerEnv, repo, screenshot, startDesignerEnv } from './harness.ts'

let env: DesignerEnv
let dir: string
/** Messages of the confirm dialogs the page opened (all accepted unless a test says otherwise). */
const dialogs: string[] = []
const pageErrors: string[] = []

const byPointer = (pointer: string, suffix = '') => env.page.locator(`[id="${domId(pointer)}${suffix}"]`)
const problemsAt = (pointer: string) => byPointer(pointer, '-problems')
const notice = () => env.page.getByTestId('designer-notice')

/** A full-page screenshot from the top, in a window tall enough for the side panel to show whole. */
async function shot(name: string): Promise<void> {
  await env.page.setViewportSize({ width: 1280, height: 1600 })
  await env.page.evaluate(() => scrollTo(0, 0))
  await screenshot(env.page, name)
  await env.page.setViewportSize({ width: 1280, height: 860 })
}

/** Edits the JSON view as a person does: selects `find` in the text and types `replace` over it. */
async function editJson(find: string, replace: string): Promise<void> {
  const json = env.page.getByLabel('Connector JSON')
  const found = await json.evaluate((el: HTMLTextAreaElement, find) => {
    const at = el.value.indexOf(find)
    el.focus()
    el.setSelectionRange(at, at + find.length)
    return at
  }, find)
  if (found < 0) throw new Error(`the JSON view has no ${JSON.stringify(find)}`)
  await env.page.keyboard.insertText(replace)
}

beforeAll(async () => {
  env = await startDesignerEnv()
  dir = await mkdtemp(join(tmpdir(), 'switchboard-designer-files-'))
  // A step that cannot happen should say which one, well before the test's own time runs out.
  env.page.setDefaultTimeout(10_000)
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
  env.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.accept()
  })
})

afterAll(async () => {
  await env?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('building a connector by clicking and typing', () => {
  test('starts from scratch; the id follows the name', async () => {
    const { page } = env
    await env.open('#/designer')
    await page.getByRole('link', { name: /Start from scratch/ }).click()
    await page.getByRole('heading', { name: 'General' }).waitFor()
    await byPointer('/name').fill('Loopback API')
    expect(await byPointer('/id').inputValue()).toBe('loopback-api')
    await byPointer('/baseUrl').fill(env.upstream.origin)
    await byPointer('/description').fill('A test API on this machine.')
    await page.getByLabel('developer-tools').check()
    // http:// is allowed for the loopback API, with a softer note than an error.
    await problemsAt('/baseUrl')
      .getByText(/credentials would travel unencrypted/)
      .waitFor()
    expect(await byPointer('/baseUrl').getAttribute('aria-invalid')).toBeNull()
  })

  test('adds an API-key method with a header and a query placement; a bad header name is flagged at its input until fixed', async () => {
    const { page } = env
    await page.getByRole('button', { name: 'API key', exact: true }).click()
    const headerName = byPointer('/auth/0/placements/0/name')
    expect(await headerName.inputValue()).toBe('X-Api-Key')

    await headerName.fill('X Api Key')
    await problemsAt('/auth/0/placements/0/name')
      .getByText(/not a valid header name/)
      .waitFor()
    expect(await headerName.getAttribute('aria-invalid')).toBe('true')
    await page
      .locator('#problems')
      .getByText(/placements\[0\]\.name is not a valid header name/)
      .waitFor()
    await headerName.fill('X-Api-Key')
    await problemsAt('/auth/0/placements/0/name').waitFor({ state: 'detached' })
    expect(await headerName.getAttribute('aria-invalid')).toBeNull()

    // A second credential: the workspace, sent as a query parameter.
    await page.getByRole('button', { name: 'Add credential field' }).click()
    await byPointer('/auth/0/fields/1/key').fill('workspace')
    await byPointer('/auth/0/fields/1/label').fill('Workspace')
    await page.locator(`[id="${domId('/auth/0/fields/1/type')}-type-secret"]`).uncheck()
    expect(await byPointer('/auth/0/fields/1/type').inputValue()).toBe('text')

    await page.getByRole('button', { name: 'Add placement' }).click()
    expect(await byPointer('/auth/0/placements/1/in').inputValue()).toBe('query')
    await byPointer('/auth/0/placements/1/name').fill('workspace')
    await byPointer('/auth/0/placements/1/value').fill('')
    await page.getByLabel('Insert a field into Value').nth(1).selectOption('workspace')
    expect(await byPointer('/auth/0/placements/1/value').inputValue()).toBe('{{workspace}}')
  })

  test('sets the test request and the account label; the draft is valid', async () => {
    const { page } = env
    await byPointer('/test/path').fill('/me')
    await byPointer('/test/label').fill('{{body.login}}')
    await page.getByTestId('error-count').getByText('0 errors').waitFor()
    await page.getByText('The connector is valid').waitFor()
  })

  test('the preview shows the connection form as people will see it', async () => {
    const { page } = env
    await page.getByRole('tab', { name: 'Preview' }).click()
    const preview = page.getByTestId('preview-form')
    await preview.getByText('Connect Loopback API').waitFor()
    expect(await preview.getByLabel('API key').getAttribute('type')).toBe('password')
    expect(await preview.getByLabel('Workspace').getAttribute('type')).toBe('text')
    await page.getByLabel('Show as reconnecting').check()
    expect(await preview.getByLabel('API key').getAttribute('placeholder')).toMatch(/saved — leave empty to keep/)
    await page.getByLabel('Show as reconnecting').uncheck()
    await shot('connector-designer')
  })

  test('tests the unsaved draft against the loopback API and shows the account label', async () => {
    const { page } = env
    await page.getByRole('tab', { name: 'Test' }).click()
    await page.locator('#drafttest-apiKey').fill(env.upstreamKey)
    await page.locator('#drafttest-workspace').fill('ws-1')
    await page.getByRole('button', { name: 'Run test' }).click()
    await page.getByText('Success', { exact: true }).waitFor()
    expect(await page.getByTestId('account-label').textContent()).toBe('octocat')
    const seen = env.upstream.last()
    expect(seen.path).toBe('/me')
    expect(seen.headers['x-api-key']).toBe(env.upstreamKey)
    expect(new URL(seen.url, env.upstream.origin).searchParams.get('workspace')).toBe('ws-1')
    // The request shown has the key masked.
    await page.getByText('Request sent').click()
    expect(await page.locator('.result pre').first().textContent()).not.toContain(env.upstreamKey)
    expect(page.url()).not.toContain(env.upstreamKey)
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain('ws-1')
    await shot('connector-designer-test-panel')
  })

  test('a wrong key in the draft test is diagnosed as rejected credentials', async () => {
    const { page } = env
    await page.locator('#drafttest-apiKey').fill('wrong-key')
    await page.getByRole('button', { name: 'Run test' }).click()
    await page.getByText('Failed', { exact: true }).waitFor()
    expect(await page.getByTestId('diagnosis').textContent()).toMatch(/rejected the credentials/)
  })

  test("saves: the address becomes the connector's, and the runtime has it without test values", async () => {
    const { page } = env
    await page.getByRole('button', { name: 'Save connector' }).click()
    await notice().getByText('Saved "Loopback API".').waitFor()
    await page.waitForURL(/#\/designer\/loopback-api$/)
    const { status, body } = await env.api('GET', '/api/connectors/loopback-api')
    expect(status).toBe(200)
    expect(body.builtIn).toBe(false)
    expect(body.connector.auth[0].placements).toEqual([
      { in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' },
      { in: 'query', name: 'workspace', value: '{{workspace}}' },
    ])
    expect(body.connector.test).toEqual({ method: 'GET', path: '/me', label: '{{body.login}}' })
    expect(JSON.stringify(body)).not.toContain(env.upstreamKey)
    expect(await byPointer('/id').getAttribute('readonly')).not.toBeNull()
  })

  test('a later save updates the same connector', async () => {
    const { page } = env
    await byPointer('/description').fill('A test API on this machine, updated.')
    await page.getByTestId('unsaved').waitFor()
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByTestId('unsaved').waitFor({ state: 'detached' })
    expect((await env.api('GET', '/api/connectors/loopback-api')).body.connector.description).toBe('A test API on this machine, updated.')
  })

  test('reloading #/designer/loopback-api opens the saved connector', async () => {
    const { page } = env
    await page.reload()
    await page.getByRole('heading', { name: 'Loopback API', level: 1 }).waitFor()
    expect(await byPointer('/auth/0/placements/1/name').inputValue()).toBe('workspace')
  })
})

describe('using the connector on the connection pages', () => {
  const connections = async () => (await env.api('GET', '/api/apps/default/connections')).body.connections as Array<Record<string, any>>
  const byName = async (name: string) => (await connections()).find((c) => c.name === name)
  /** A button of the connection page's toolbar. */
  const action = (name: string) => env.page.getByRole('toolbar', { name: 'Connection actions' }).getByRole('button', { name, exact: true })

  test('a connection with it connects, and its test names the account', async () => {
    const { page } = env
    await env.open('#/connectors/loopback-api')
    await page.getByRole('link', { name: 'Add connection' }).click()
    await page.getByLabel('Connection name').fill('Loopback')
    await page.getByLabel('API key').fill(env.upstreamKey)
    await page.getByLabel('Workspace').fill('ws-1')
    await page.getByRole('button', { name: 'Save connection' }).click()
    await page.getByRole('heading', { level: 1, name: 'Loopback' }).waitFor()
    await action('Test').click()
    await page.getByTestId('diagnosis').waitFor()
    expect(await page.getByTestId('account-label').first().textContent()).toBe('octocat')
    expect(new URL(env.upstream.last().url, env.upstream.origin).searchParams.get('workspace')).toBe('ws-1')
    expect(await byName('Loopback')).toMatchObject({ connectorId: 'loopback-api', status: 'connected', accountLabel: 'octocat' })
  })

  test('reconnecting with a wrong key says the credentials were rejected', async () => {
    const { page } = env
    await action('Reconnect').click()
    await page.getByLabel('API key').fill('wrong-key')
    if (!(await page.getByLabel('Workspace').inputValue())) await page.getByLabel('Workspace').fill('ws-1')
    await page.getByRole('button', { name: 'Save and test' }).click()
    await page.getByTestId('diagnosis').filter({ hasText: 'The API rejected the credentials' }).waitFor()
    expect(await byName('Loopback')).toMatchObject({ status: 'error', lastTest: { ok: false, problem: 'credentials_rejected' } })
  })

  test('clone, unauthorize; the connector cannot be deleted while connections use it; delete them, then it can', async () => {
    const { page } = env
    await action('Clone').click()
    const clone = page.getByRole('dialog', { name: /Clone/ })
    await clone.getByLabel('Name of the clone').fill('Loopback (second)')
    await clone.getByRole('button', { name: 'Clone and connect' }).click()
    await page.getByRole('heading', { level: 1, name: 'Loopback (second)' }).waitFor()
    expect(await byName('Loopback (second)')).toMatchObject({ connectorId: 'loopback-api', status: 'not_connected' })

    const first = (await byName('Loopback'))!
    await env.open(`#/apps/default/connections/${first.id}`)
    await action('Unauthorize').click()
    await page
      .getByRole('dialog', { name: /Unauthorize/ })
      .getByRole('button', { name: 'Unauthorize' })
      .click()
    await page.locator('[data-status="not_connected"]').first().waitFor()
    expect(await byName('Loopback')).toMatchObject({ status: 'not_connected', secrets: { apiKey: { hasValue: false } } })

    await env.open('#/designer/loopback-api')
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('button', { name: 'Yes, delete' }).click()
    await notice()
      .getByText(/2 connections use "loopback-api"/)
      .waitFor()

    await env.open(`#/apps/default/connections/${first.id}`)
    await action('Delete').click()
    await page
      .getByRole('dialog', { name: /Delete/ })
      .getByRole('button', { name: 'Delete connection' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor()
    expect((await env.api('DELETE', `/api/apps/default/connections/${(await byName('Loopback (second)'))!.id}`)).status).toBe(204)

    await env.open('#/designer/loopback-api')
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('button', { name: 'Yes, delete' }).click()
    await page.waitForURL(/#\/designer$/)
    await notice().getByText('Deleted "Loopback API".').waitFor()
    expect((await env.api('GET', '/api/connectors/loopback-api')).status).toBe(404)
  })
})

describe('files, duplicates and the JSON view', () => {
  test('duplicating a built-in connector gives a new id and name, and its OAuth2 method opens as a form', async () => {
    const { page } = env
    await env.open('#/designer?from=github')
    await page.getByRole('heading', { name: 'GitHub (custom)', level: 1 }).waitFor()
    expect(await byPointer('/id').inputValue()).toBe('github-custom')
    expect(await byPointer('/auth/1/tokenUrl').inputValue()).toBe('https://github.com/login/oauth/access_token')
    await page.getByTestId('error-count').getByText('0 errors').waitFor()
  })

  test('JSON edits show in the form, form edits in the JSON, and unknown keys survive both', async () => {
    const { page } = env
    await page.getByRole('tab', { name: 'JSON' }).click()
    const json = page.getByLabel('Connector JSON')
    const before = JSON.parse(await json.inputValue())
    await editJson('"name": "GitHub (custom)",', '"name": "GitHub (edited in JSON)",\n  "x-notes": "keep me",')
    await editJson('"path": "/user",', '"path": "/user",\n    "x-future": { "nested": [1, 2, 3] },')
    expect(await byPointer('/name').inputValue()).toBe('GitHub (edited in JSON)')
    // The form does not model x-notes: the summary lists it, with a way to it in the JSON.
    await page
      .locator('#problems')
      .getByText(/unknown property "x-notes"/)
      .waitFor()

    await byPointer('/description').fill('Edited in the form.')
    const after = JSON.parse(await json.inputValue())
    expect(after.description).toBe('Edited in the form.')
    expect(after['x-notes']).toBe('keep me')
    expect(after.test['x-future']).toEqual({ nested: [1, 2, 3] })
    expect(after.auth[1]).toEqual(before.auth[1])

    // Text that does not parse: the problem is shown with its place, the form keeps the last good draft.
    await editJson('"name": "GitHub (edited in JSON)",', '"name": ,')
    expect(await page.getByTestId('json-error').textContent()).toMatch(/Not valid JSON at line 3, column 11: unexpected ","/)
    expect(await byPointer('/name').inputValue()).toBe('GitHub (edited in JSON)')

    await page.locator('#problems').getByRole('button', { name: 'Show in JSON' }).first().click()
    await byPointer('/name').fill('GitHub (custom)')
    expect(await page.getByTestId('json-error').count()).toBe(0)
    expect(JSON.parse(await json.inputValue())['x-notes']).toBe('keep me')
  })

  test('an invalid file is refused with line and column; an invalid connector is loaded with problems at their places', async () => {
    const { page } = env
    const broken = join(dir, 'broken.json')
    await writeFile(broken, '{\n  "id": "x",\n  "name": "X"\n  "baseUrl": "https://x.test"\n}')
    await page.getByTestId('import-file').setInputFiles(broken)
    await notice().getByText('"broken.json" could not be imported: Not valid JSON at line 4, column 3').waitFor()

    const invalid = join(dir, 'invalid.json')
    await writeFile(
      invalid,
      JSON.stringify({
        id: 'Bad Id',
        name: 'Imported',
        baseUrl: 'https://{{subdomain}}.acme.test',
        auth: [
          {
            type: 'apiKey',
            id: 'key',
            fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
            placements: [{ in: 'header', name: 'X Bad', value: '{{apiKey}}' }],
          },
        ],
        test: { path: 'me' },
        'x-notes': 'kept',
      }),
    )
    await page.getByTestId('import-file').setInputFiles(invalid)
    await notice()
      .getByText(/Imported "invalid.json" with \d+ problems/)
      .waitFor()
    await problemsAt('/id')
      .getByText(/id is not valid/)
      .waitFor()
    expect(await byPointer('/id').getAttribute('aria-invalid')).toBe('true')
    await problemsAt('/auth/0/placements/0/name')
      .getByText(/not a valid header name/)
      .waitFor()
    await problemsAt('/baseUrl')
      .getByText(/\{\{subdomain\}\}, which is not a declared field/)
      .waitFor()
    await problemsAt('/test/path')
      .getByText(/test\.path is not valid/)
      .waitFor()
    await page.locator('#problems li', { hasText: 'x-notes' }).getByRole('button', { name: 'Show in JSON' }).waitFor()

    // Jump to a field from the summary, then fix the base URL in one click.
    await page.locator('#problems li', { hasText: 'id is not valid' }).getByRole('button', { name: 'Jump to field' }).click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(domId('/id'))
    await page.getByRole('button', { name: 'Create field subdomain' }).click()
    await problemsAt('/baseUrl').waitFor({ state: 'detached' })
    expect(await byPointer('/fields/0/key').inputValue()).toBe('subdomain')
  })

  test('Import OpenAPI: a Swagger file becomes a draft with an action per operation; the notice names what was not mapped', async () => {
    const { page } = env
    await page.getByTestId('import-openapi').setInputFiles(join(repo, 'node_modules/@readme/oas-examples/2.0/json/petstore.json'))
    await notice()
      .getByText(/Imported "petstore\.json" \(Swagger 2\.0\): 20 of 20 operations became actions; not mapped: 1 security scheme\./)
      .waitFor()
    await notice().getByText('Test request: GET /store/inventory').waitFor()
    expect(await byPointer('/name').inputValue()).toBe('Swagger Petstore')
    await page.getByTestId('error-count').getByText('0 errors').waitFor()
  })

  test('an export downloads a file the CLI validates, with "$schema" and no test values', async () => {
    const { page } = env
    await env.open('#/designer?template=generic-api-key')
    await byPointer('/name').fill('Acme API')
    await page.getByTestId('error-count').getByText('0 errors').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()])
    expect(download.suggestedFilename()).toBe('acme-api.json')
    const file = join(dir, 'acme-api.json')
    await download.saveAs(file)
    const exported = JSON.parse(await readFile(file, 'utf8'))
    expect(exported.$schema).toBe('../schemas/connector.schema.json')
    expect(exported.id).toBe('acme-api')
    const { stdout } = await promisify(execFile)(process.execPath, [join(repo, 'bin/switchboard.js'), 'validate', file], { cwd: repo })
    expect(stdout).toMatch(/1 file valid/)
  })

  test('fields move up and down from the keyboard, and the focus follows the field', async () => {
    const { page } = env
    expect(await byPointer('/fields/0/key').inputValue()).toBe('baseUrl')
    await page.getByRole('button', { name: 'Move field "baseUrl" down' }).focus()
    await page.keyboard.press('Enter')
    expect(await byPointer('/fields/0/key').inputValue()).toBe('testUrl')
    expect(await byPointer('/fields/1/key').inputValue()).toBe('baseUrl')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move field "baseUrl" up')
    await page.keyboard.press('Enter')
    expect(await byPointer('/fields/0/key').inputValue()).toBe('baseUrl')
  })

  test('leaving with unsaved changes asks first', async () => {
    const { page } = env
    dialogs.length = 0
    await byPointer('/description').fill('Not saved.')
    // Waited for as an event: the dialog may be reported after the click has returned.
    const asked = page.waitForEvent('dialog')
    await page.getByRole('link', { name: 'Catalogue' }).click()
    await asked
    await expect.poll(() => dialogs).toEqual(['This connector has unsaved changes. Leave without saving them?'])
  })
})

describe('narrow screens', () => {
  test('the designer reads at 420px without sideways scrolling', async () => {
    const { page } = env
    await env.open('#/designer?template=generic-bearer')
    await page.setViewportSize({ width: 420, height: 860 })
    await byPointer('/name').fill('Narrow')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await screenshot(page, 'connector-designer-420')
    await page.setViewportSize({ width: 1280, height: 860 })
  })
})

test('no script error happened on any page', () => {
  expect(pageErrors).toEqual([])
})
