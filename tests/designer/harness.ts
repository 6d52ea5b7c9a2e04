/**
 * The designer as a person sees it: the built single-page app served by the real runtime (started
 * in-process over a temp data directory), a real headless Chromium signed in through the printed
 * link and the sign-in page's confirmation, and loopback upstreams that stand in for third-party APIs.
 *
 * One environment per test file: start it in `beforeAll`, reuse its page, close it in `afterAll`.
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { readConfig } from '../../runtime/config.ts'
import { createLogger } from '../../runtime/platform/log/index.ts'
import { type RunningServer, startServer } from '../../runtime/server.ts'
import { startUpstream, type Upstream, type UpstreamHandler } from '../runtime/harness.ts'

export const repo = resolve(import.meta.dirname, '../..')

/** A fixed master key: tests never write a key file. */
export const MASTER_KEY = Buffer.alloc(32, 11).toString('base64')

/** Where screenshots go (gitignored). */
export const SCREENSHOT_DIR = join(repo, 'test-results', 'designer')

export const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

// ---------------------------------------------------------------------------------------------
// Designer build

/** Newest modification time (ms) of the files under `dir`, recursively. */
async function newest(dir: string): Promise<number> {
  let latest = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    latest = Math.max(latest, (await stat(join(entry.parentPath, entry.name))).mtimeMs)
  }
  return latest
}

async function isStale(): Promise<boolean> {
  const built = await stat(join(repo, 'dist/designer/index.html')).catch(() => undefined)
  if (!built) return true
  // The bundle holds the schemas' validation code too (the connector check is compiled from the schema at build time).
  const sources = Math.max(
    await newest(join(repo, 'designer')),
    await newest(join(repo, 'schemas')),
    (await stat(join(repo, 'vite.config.ts'))).mtimeMs,
  )
  return sources > built.mtimeMs
}

/**
 * Builds the designer with Vite when `dist/designer` is missing or older than its sources (`designer/`, `schemas/`).
 * Test files run in parallel workers, so a lock directory makes one of them build while the others
 * wait and then find the build fresh.
 *
 * @example
 * await ensureDesignerBuilt()
 */
export async function ensureDesignerBuilt(): Promise<void> {
  if (!(await isStale())) return
  const lock = join(repo, 'dist', '.designer-build.lock')
  await mkdir(join(repo, 'dist'), { recursive: true })
  const started = Date.now()
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch {
      // A lock older than two minutes belongs to a build that died.
      const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now())
      if (age > 120_000) await rm(lock, { recursive: true, force: true })
      if (Date.now() - started > 180_000)
        throw new Error('Waited three minutes for another designer build; remove dist/.designer-build.lock if no build runs.')
      await new Promise((done) => setTimeout(done, 250))
    }
  }
  try {
    if (await isStale()) {
      await promisify(execFile)(process.execPath, [join(repo, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
        cwd: repo,
      })
    }
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// Loopback upstream

// The same recording upstream as the runtime tests'.
export { type Reply, type SeenRequest, startUpstream, type Upstream, type UpstreamHandler } from '../runtime/harness.ts'

/**
 * An upstream API that accepts only `X-Api-Key: <key>` (or `Authorization: Bearer <key>`) and
 * answers `GET /me` with `{ login }`; anything else on `/me` is a 401.
 *
 * @example
 * const upstream = await startUpstream(apiKeyHandler('k-123', 'octocat'))
 */
export function apiKeyHandler(key: string, login: string): UpstreamHandler {
  return (request) => {
    const given = request.headers['x-api-key'] ?? /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    if (given !== key) return { status: 401, body: { message: 'Bad credentials' } }
    return { body: { login, id: 1 } }
  }
}

// ---------------------------------------------------------------------------------------------
// The environment

/** What an API call answered; the body parsed when it is JSON. */
export interface ApiAnswer {
  status: number
  // Tests read API bodies loosely and check the shapes that matter.
  body: any
}

export interface DesignerEnv {
  browser: Browser
  context: BrowserContext
  /** Signed in as the workspace owner, on the catalogue. */
  page: Page
  server: RunningServer
  /** Answers `GET /me` with `{ login: 'octocat' }` when `X-Api-Key` is {@link DesignerEnv.upstreamKey}. */
  upstream: Upstream
  upstreamKey: string
  /** `http://localhost:<port>` */
  baseUrl: string
  dataDir: string
  ownerToken: string
  /** Every line the runtime logged. */
  log: string[]
  /** Calls the API as the owner (bearer token), for setup and assertions. */
  api(method: string, path: string, body?: unknown): Promise<ApiAnswer>
  /** Opens a designer route (`#/connectors`) and waits for the page to settle. */
  open(hash: string): Promise<void>
  close(): Promise<void>
}

export interface DesignerEnvOptions {
  /** Browser window size; default 1280×860. */
  viewport?: { width: number; height: number }
  /** The upstream's handler; default {@link apiKeyHandler} with `upstreamKey`. */
  upstream?: UpstreamHandler
  upstreamKey?: string
}

/**
 * Builds the designer when needed, starts the runtime (temp data dir, fixed master key, loopback
 * allowed), a loopback upstream and Chromium, and signs in through the printed link.
 *
 * @example
 * const env = await startDesignerEnv()
 * await env.open('#/connectors')
 * await env.close()
 */
export async function startDesignerEnv(options: DesignerEnvOptions = {}): Promise<DesignerEnv> {
  await ensureDesignerBuilt()
  const cleanups: Array<() => Promise<unknown>> = []
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  }
  try {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-designer-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const upstreamKey = options.upstreamKey ?? 'test-key-0f9e8d'
    const upstream = await startUpstream(options.upstream ?? apiKeyHandler(upstreamKey, 'octocat'))
    cleanups.push(() => upstream.close())

    const log: string[] = []
    const env = { SWITCHBOARD_MASTER_KEY: MASTER_KEY }
    const config = readConfig({ PORT: '0', SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_ALLOWED_HOSTS: '127.0.0.1', ...env }, repo)
    const server = await startServer(config, {
      log: (line) => void log.push(line),
      logger: createLogger({ destination: { write: (line: string) => void log.push(line) } }),
      env,
    })
    cleanups.push(() => server.close())
    if (!server.signInUrl) throw new Error('a fresh data directory must print a sign-in link')
    const ownerToken = new URL(server.signInUrl).searchParams.get('token')!
    const baseUrl = server.url

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    cleanups.push(() => browser.close())
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 } })
    const page = await context.newPage()
    // Waits fail in seconds with the locator that did not show, well before the test's own timeout.
    page.setDefaultTimeout(8_000)
    await signInThroughLink(page, server.signInUrl)

    async function api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
      const res = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${ownerToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      return { status: res.status, body: (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text }
    }

    return {
      browser,
      context,
      page,
      server,
      upstream,
      upstreamKey,
      baseUrl,
      dataDir,
      ownerToken,
      log,
      api,
      close,
      async open(hash) {
        await page.goto(`${baseUrl}/${hash.startsWith('#') ? hash : `#${hash}`}`)
        await page.waitForLoadState('networkidle')
      },
    }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * Signs in as a person does: opens a printed sign-in link, confirms on the sign-in page whose account
 * it is, and waits for the designer.
 *
 * @example
 * await signInThroughLink(page, server.signInUrl!)
 */
export async function signInThroughLink(page: Page, signInUrl: string): Promise<void> {
  await page.goto(signInUrl)
  await page.getByRole('button', { name: /^Sign in as / }).click()
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
}

/**
 * Saves a full-page PNG as `test-results/designer/<name>.png` and answers its path.
 *
 * @example
 * await screenshot(env.page, 'catalogue')
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
