/**
 * Every designer page checked with axe-core in a real Chromium: no serious or critical violation.
 * axe's own script is added to each page (the page's CSP allows only the designer's files, so this
 * browser context is the one that may add it). Run with SWITCHBOARD_AXE_REPORT=1 to print every page's
 * count by impact. With SWITCHBOARD_SCREENSHOTS=1 it also writes the README's pictures of the catalogue,
 * the builder, a connection and an app's setup (its home) to docs/screenshots/.
 */
import { mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { EDITABLE_AUTH, newAuthMethod } from '../../designer/src/lib/draft-doc.ts'
import { type DesignerEnv, repo, signInThroughLink, startDesignerEnv } from './harness.ts'

let env: DesignerEnv
let context: BrowserContext
let page: Page
let axeSource: string
let connectionId: string
let ownerId: string

/** A connector with an OAuth2 method and typed inputs, so the builder shows those forms too. */
const CONNECTOR = {
  id: 'axe-api',
  name: 'Axe API',
  baseUrl: 'https://api.axe.test',
  auth: [
    {
      type: 'apiKey',
      id: 'key',
      fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
      placements: [{ in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' }],
    },
    {
      type: 'oauth2',
      id: 'oauth',
      grant: 'authorization_code',
      authorizeUrl: 'https://axe.test/authorize',
      tokenUrl: 'https://axe.test/token',
      scopes: [{ value: 'read', description: 'Read things' }],
      tokenResponse: { accessToken: '/access_token' },
    },
  ],
  test: { method: 'GET', path: '/me' },
  actions: [
    {
      key: 'create',
      name: 'Create',
      method: 'POST',
      path: '/things',
      body: { title: '{{input.title}}' },
      input: {
        type: 'object',
        required: ['title'],
        properties: {
          title: { type: 'string', title: 'Title', format: 'email' },
          size: { type: 'integer', minimum: 1, maximum: 5 },
          tags: { type: 'array', items: { type: 'string' } },
          owner: { type: 'object', properties: { name: { type: 'string' } } },
        },
      },
    },
  ],
}

/** One method of every other auth type, as the builder starts them, so each type's form is checked too. */
function everyAuth(): Record<string, unknown> {
  const doc: Record<string, unknown> = { id: 'axe-every', name: 'Axe Every Auth', baseUrl: 'https://api.every.test', auth: [] }
  for (const type of EDITABLE_AUTH.filter((t) => !['basic', 'apiKey', 'bearer', 'oauth2'].includes(t))) {
    ;(doc.auth as unknown[]).push(newAuthMethod(type, doc))
  }
  return { ...doc, test: { method: 'GET', path: '/me' } }
}

interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: string[]; failureSummary?: string }>
}

/** Runs axe over the page as it is now and answers its violations. */
async function axe(on: Page = page): Promise<Violation[]> {
  await on.addScriptTag({ content: axeSource })
  return on.evaluate(async () => {
    const run = (globalThis as unknown as { axe: { run(ctx: Document, options: object): Promise<{ violations: Violation[] }> } }).axe
    const result = await run.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }))
  })
}

const report: Record<string, Record<string, number>> = {}

/** The pages pictured in the README, by the name of their check: the file, and what to scroll to. */
const PICTURED: Record<string, [string, string?]> = {
  catalogue: ['catalogue'],
  builder: ['builder', '[id="d.auth.1"]'],
  connection: ['connection'],
  setup: ['app-setup'],
}

/** Writes the README's picture of a page, when asked to (the files are committed, so not on every run). */
async function picture(name: string): Promise<void> {
  const [file, at] = PICTURED[name] ?? []
  if (!process.env.SWITCHBOARD_SCREENSHOTS || !file) return
  const dir = join(repo, 'docs', 'screenshots')
  await mkdir(dir, { recursive: true })
  if (at) await page.locator(at).evaluate((el) => el.scrollIntoView({ block: 'start' }))
  else await page.evaluate(() => scrollTo(0, 0))
  await page.screenshot({ path: join(dir, `${file}.png`) })
}

/** Opens a page, waits for it to settle, checks it and keeps its counts for the report. */
async function check(name: string, hash: string, ready: (p: Page) => Promise<unknown>): Promise<void> {
  await page.goto(`${env.baseUrl}/${hash}`)
  await page.waitForLoadState('networkidle')
  await ready(page)
  await picture(name)
  const violations = await axe()
  report[name] = Object.fromEntries(
    ['critical', 'serious', 'moderate', 'minor'].map((i) => [i, violations.filter((v) => v.impact === i).length]),
  )
  if (process.env.SWITCHBOARD_AXE_REPORT)
    for (const v of violations)
      console.log(
        name,
        v.impact,
        v.id,
        v.help,
        v.nodes.map((n) => n.target.join(' ')),
      )
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor()

beforeAll(async () => {
  env = await startDesignerEnv()
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  context = await env.browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 860 } })
  page = await context.newPage()
  page.setDefaultTimeout(10_000)
  expect((await env.api('POST', '/api/connectors', CONNECTOR)).status).toBe(201)
  const every = await env.api('POST', '/api/connectors', everyAuth())
  expect(every.status, JSON.stringify(every.body)).toBe(201)
  const created = await env.api('POST', '/api/apps/default/connections', {
    connectorId: CONNECTOR.id,
    name: 'Axe (team)',
    authMethod: 'key',
    values: { apiKey: 'axe-key-9c1d' },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  connectionId = created.body.id
  // The app needs the connector (through an action) and one it has no connection to: its setup shows both states.
  expect((await env.api('PATCH', '/api/apps/default', { actions: ['axe-api.create'], connectors: ['github'] })).status).toBe(200)
  ownerId = (await env.api('GET', '/api/users')).body.users[0].id
})

afterAll(async () => {
  if (process.env.SWITCHBOARD_AXE_REPORT) console.table(report)
  await context?.close()
  await env?.close()
})

describe('axe finds no serious or critical violation', { timeout: 60_000 }, () => {
  test('sign-in, with and without a link', async () => {
    await check('sign-in', '#/signin', () => page.getByRole('heading', { name: 'Sign in to Switchboard' }).waitFor())
    await page.goto(`${env.baseUrl}/signin?token=${env.ownerToken}`)
    await page.getByRole('button', { name: /^Sign in as / }).waitFor()
    const violations = (await axe()).filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(violations.map((v) => v.id)).toEqual([])
    await signInThroughLink(page, `${env.baseUrl}/signin?token=${env.ownerToken}`)
  })

  test.each([
    [
      'catalogue',
      '#/connectors',
      () =>
        page
          .getByRole('link', { name: /Axe API/ })
          .first()
          .waitFor(),
    ],
    ['connector', '#/connectors/axe-api', () => heading('Axe API')],
    ['oauth app', '#/connectors/axe-api/oauth-app', () => page.getByRole('heading', { level: 1 }).waitFor()],
    ['builder start', '#/designer', () => page.getByRole('link', { name: /Start from scratch/ }).waitFor()],
    ['builder blank', '#/designer?blank', () => page.getByRole('heading', { name: 'General' }).waitFor()],
    ['builder', '#/designer/axe-api', () => page.locator('[id="d.auth.1.tokenUrl"]').waitFor()],
    ['builder, every auth type', '#/designer/axe-every', () => page.locator('[id="d.auth.0.login.path"]').waitFor()],
    ['setup', '#/apps/default', () => page.locator('[data-testid="setup-tool"][data-state="connected"]').waitFor()],
    ['connections', '#/apps/default/connections', () => page.getByText('Axe (team)').first().waitFor()],
    ['new connection', '#/apps/default/connections/new', () => page.getByRole('heading', { level: 1 }).waitFor()],
    ['connection', () => `#/apps/default/connections/${connectionId}`, () => heading('Axe (team)')],
    ['members', '#/apps/default/members', () => page.getByRole('heading', { level: 1 }).waitFor()],
    ['activity', '#/apps/default/audit', () => page.getByRole('heading', { level: 1 }).waitFor()],
    ['webhooks', '#/apps/default/webhooks', () => page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor()],
    ['runs', '#/apps/default/runs', () => page.getByRole('heading', { level: 1, name: 'Run history' }).waitFor()],
    ['users', '#/users', () => page.getByRole('heading', { level: 1 }).waitFor()],
    ['user', () => `#/users/${ownerId}`, () => page.getByRole('heading', { level: 1 }).waitFor()],
    ['my tokens', '#/me/tokens', () => page.getByRole('heading', { level: 1 }).waitFor()],
    ['not found', '#/nowhere', () => page.getByRole('heading', { level: 1 }).waitFor()],
  ] as const)('%s', async (name, hash, ready) => {
    await check(name, typeof hash === 'function' ? hash() : hash, ready)
  })
})

describe('the main flows by keyboard alone', { timeout: 120_000 }, () => {
  /** Presses Tab until `target` has the focus; fails when it never gets it. */
  async function tabTo(on: Page, target: ReturnType<Page['locator']>, max = 120): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return
      await on.keyboard.press('Tab')
    }
    throw new Error(`Tab never reached ${target.toString()}`)
  }

  test('sign in, open the catalogue, build a connector, save it and connect it', async () => {
    const keyboard = await env.browser.newContext({ viewport: { width: 1280, height: 860 } })
    const kb = await keyboard.newPage()
    kb.setDefaultTimeout(10_000)
    try {
      // The printed link is the one thing opened; everything after is keys.
      await kb.goto(`${env.baseUrl}/signin?token=${env.ownerToken}`)
      const signIn = kb.getByRole('button', { name: /^Sign in as / })
      await signIn.waitFor()
      await tabTo(kb, signIn)
      await kb.keyboard.press('Enter')
      const nav = kb.getByRole('navigation', { name: 'Main' })
      await tabTo(kb, nav.getByRole('link', { name: 'Catalogue' }))
      await kb.keyboard.press('Enter')
      await kb
        .getByRole('link', { name: /Axe API/ })
        .first()
        .waitFor()

      await tabTo(kb, nav.getByRole('link', { name: 'Build a connector' }))
      await kb.keyboard.press('Enter')
      await tabTo(kb, kb.getByRole('link', { name: /Start from scratch/ }))
      await kb.keyboard.press('Enter')
      await tabTo(kb, kb.locator('[id="d.name"]'))
      await kb.keyboard.type('Keyboard API')
      await tabTo(kb, kb.locator('[id="d.baseUrl"]'))
      await kb.keyboard.type(env.upstream.origin)
      await tabTo(kb, kb.getByRole('button', { name: 'API key', exact: true }))
      await kb.keyboard.press('Enter')
      await kb.locator('[id="d.auth.0.placements.0.name"]').waitFor()
      // An OAuth2 method as a form, by keys: its URLs, a scope with what it allows, asked by default.
      await tabTo(kb, kb.getByRole('button', { name: 'OAuth2', exact: true }), 200)
      await kb.keyboard.press('Enter')
      await tabTo(kb, kb.locator('[id="d.auth.1.authorizeUrl"]'))
      await kb.keyboard.type('https://keyboard.test/authorize')
      await tabTo(kb, kb.locator('[id="d.auth.1.tokenUrl"]'))
      await kb.keyboard.type('https://keyboard.test/token')
      await tabTo(kb, kb.getByRole('button', { name: 'Add scope' }))
      await kb.keyboard.press('Enter')
      // The new scope's value has the focus.
      await kb.keyboard.type('read')
      await tabTo(kb, kb.locator('[id="d.auth.1.scopes.0.description"]'))
      await kb.keyboard.type('Read your things')
      await kb.keyboard.press('Tab')
      await kb.keyboard.press('Space')
      await tabTo(kb, kb.locator('[id="d.test.path"]'))
      await kb.keyboard.press('ControlOrMeta+A')
      await kb.keyboard.type('/me')
      await kb.getByTestId('error-count').getByText('0 errors').waitFor()
      await tabTo(kb, kb.getByRole('button', { name: 'Save connector' }), 200)
      await kb.keyboard.press('Enter')
      await kb.getByTestId('designer-notice').getByText('Saved "Keyboard API".').waitFor()
      expect((await env.api('GET', '/api/connectors/keyboard-api')).body.connector.auth[1]).toMatchObject({
        type: 'oauth2',
        authorizeUrl: 'https://keyboard.test/authorize',
        tokenUrl: 'https://keyboard.test/token',
        scopes: [{ value: 'read', description: 'Read your things' }],
        defaultScopes: ['read'],
      })

      // Connect it: from the catalogue to its page, then the connection form.
      await tabTo(kb, nav.getByRole('link', { name: 'Catalogue' }), 200)
      await kb.keyboard.press('Enter')
      await tabTo(kb, kb.getByRole('link', { name: /Keyboard API/ }).first(), 200)
      await kb.keyboard.press('Enter')
      await tabTo(kb, kb.getByRole('link', { name: 'Add connection' }))
      await kb.keyboard.press('Enter')
      await tabTo(kb, kb.getByRole('textbox', { name: 'API key' }))
      await kb.keyboard.type(env.upstreamKey)
      await tabTo(kb, kb.getByRole('button', { name: 'Save connection' }))
      await kb.keyboard.press('Enter')
      await kb.getByRole('heading', { level: 1, name: /Keyboard API/ }).waitFor()
      const connections = (await env.api('GET', '/api/apps/default/connections')).body.connections as Array<Record<string, any>>
      expect(connections.find((c) => c.connectorId === 'keyboard-api')).toBeDefined()
      // And it works: its test reaches the API with the key typed.
      await tabTo(kb, kb.getByRole('toolbar', { name: 'Connection actions' }).getByRole('button', { name: 'Test', exact: true }))
      await kb.keyboard.press('Enter')
      await expect.poll(() => env.upstream.requests.length).toBeGreaterThan(0)
      expect(env.upstream.last().headers['x-api-key']).toBe(env.upstreamKey)
    } finally {
      await keyboard.close()
    }
  })
})
