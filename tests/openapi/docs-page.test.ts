/**
 * `/api/docs` as a person sees it: a real headless Chromium opens the reference page of a started runtime,
 * which lists the route groups, shows a schema and sends a request with a token typed into the page. Every
 * request the browser makes is recorded: none leaves loopback (the runtime may run air-gapped), and the
 * page's CSP holds (no violation, no inline script).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../../runtime/config.ts'
import { API_DOCS_CSP } from '../../runtime/inbound/routes/security-headers.ts'
import { type RunningServer, startServer } from '../../runtime/server.ts'
import { CHROMIUM, CHROMIUM_ARGS } from '../designer/harness.ts'
import { MASTER_KEY, repo } from '../runtime/harness.ts'

let server: RunningServer
let browser: Browser
let page: Page
let dataDir: string
let token: string
const requested: string[] = []
const problems: string[] = []

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'switchboard-docs-'))
  const env = { SWITCHBOARD_MASTER_KEY: MASTER_KEY }
  server = await startServer(readConfig({ PORT: '0', SWITCHBOARD_DATA_DIR: dataDir, ...env }, repo), { log: () => {}, env })
  token = new URL(server.signInUrl!).searchParams.get('token')!
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const context = await browser.newContext()
  // Every request the page makes, whatever it is for; one that is not to loopback is refused and noted.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    requested.push(url.href)
    return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) ? route.continue() : route.abort()
  })
  page = await context.newPage()
  page.setDefaultTimeout(8_000)
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('the API reference page', () => {
  it('is served with its own CSP and renders the route groups from /api/openapi.json', async () => {
    const res = await page.goto(`${server.url}/api/docs`)
    expect(res?.status()).toBe(200)
    expect(res?.headers()['content-security-policy']).toBe(API_DOCS_CSP)
    expect(res?.headers()['x-frame-options']).toBe('DENY')
    const nav = page.getByRole('navigation', { name: 'Routes and schemas' })
    for (const group of ['connections', 'actions', 'proxy', 'connectors', 'apps', 'reference', 'schemas']) {
      await expect(nav.getByRole('heading', { name: group, exact: true }).count()).resolves.toBe(1)
    }
    await expect(page.getByRole('heading', { name: /^Switchboard API/, level: 2 }).count()).resolves.toBe(1)
  })

  it('shows a schema, and what refers to it', async () => {
    await page.getByRole('link', { name: 'ErrorEnvelope', exact: true }).first().click()
    await page.getByRole('heading', { name: 'ErrorEnvelope', level: 2 }).waitFor()
    await expect(page.locator('main pre').textContent()).resolves.toContain('"required"')
    await expect(page.locator('main').getByRole('link', { name: 'ErrorCode' }).count()).resolves.toBe(1)
  })

  it('sends a request with the token typed into the page', async () => {
    await page.locator('nav a[href="#op/getAppsByAppIdConnections"]').click()
    await page.getByRole('heading', { name: /\/api\/apps\/\{appId\}\/connections$/ }).waitFor()
    await page.getByLabel('appId (path)').fill('default')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(page.getByRole('status').filter({ hasText: /^\d/ }).textContent()).resolves.toMatch(/^401/)
    await page.getByLabel('Token').fill(token)
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByRole('status').filter({ hasText: /^200/ }).waitFor()
    await expect(page.locator('.try pre').textContent()).resolves.toContain('"connections"')
  })

  it('made no request beyond loopback, and the browser reported no error but the 401 it was asked to make', () => {
    expect(requested.length).toBeGreaterThan(3)
    expect(requested.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([])
    expect(problems.filter((p) => !/401/.test(p))).toEqual([])
  })
})
