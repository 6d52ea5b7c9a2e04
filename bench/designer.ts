import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { readConfig } from '../runtime/config.ts'
import { createLogger } from '../runtime/platform/log/index.ts'
import { startServer } from '../runtime/server.ts'
import { isMain, percentile, printTable, type Row } from './table.ts'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/**
 * The designer's production bundle (JS and CSS, gzip) and its time to first render in headless
 * Chromium — until the catalogue shows its first connector — against a one-paragraph page served
 * on loopback in the same browser, same run.
 *
 * @example
 * printTable('designer', await benchDesigner())
 */
export async function benchDesigner(runs = 15): Promise<Row[]> {
  await promisify(execFile)('npx', ['vite', 'build', '--logLevel', 'error'])
  const assets = join('dist', 'designer', 'assets')
  let js = 0
  let css = 0
  let jsRaw = 0
  const gzipped = new Map<string, number>()
  for (const name of await readdir(assets)) {
    const bytes = await readFile(join(assets, name))
    gzipped.set(name, gzipSync(bytes, { level: 9 }).length)
    if (name.endsWith('.js')) [js, jsRaw] = [js + gzipped.get(name)!, jsRaw + bytes.length]
    if (name.endsWith('.css')) css += gzipped.get(name)!
  }
  // What the first page loads: the entry script and the chunks it imports (preloaded); the rest comes on demand.
  const html = await readFile(join('dist', 'designer', 'index.html'), 'utf8')
  const firstLoad = [...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\/assets\/([^"]+\.js)"/g)]
  const firstJs = firstLoad.reduce((sum, [, name]) => sum + (gzipped.get(name!) ?? 0), 0)

  const blank = createServer((_req, res) => res.end('<!doctype html><title>x</title><p id="ready">ready</p>'))
  await new Promise<void>((r) => blank.listen(0, '127.0.0.1', r))
  const blankUrl = `http://127.0.0.1:${(blank.address() as { port: number }).port}/`
  const dir = await mkdtemp(join(tmpdir(), 'sb-bench-designer-'))
  const server = await startServer(
    readConfig({ PORT: '0', SWITCHBOARD_DATA_DIR: dir, SWITCHBOARD_MASTER_KEY: Buffer.alloc(32, 3).toString('base64') }),
    { log: () => {}, logger: createLogger({ level: 'silent' }) },
  )
  const browser = await chromium.launch({ executablePath: process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    const context = await browser.newContext()
    const page = await context.newPage()
    // The printed link opens the sign-in page, which signs in once its button is pressed.
    await page.goto(server.signInUrl!)
    await page.getByRole('button', { name: /^Sign in as / }).click()
    await page.waitForSelector('a[href^="#/connectors/"]')
    const time = async (url: string, selector: string) => {
      const samples: number[] = []
      for (let i = 0; i < runs + 2; i++) {
        await page.goto('about:blank')
        const started = performance.now()
        await page.goto(url, { waitUntil: 'commit' })
        await page.waitForSelector(selector)
        if (i >= 2) samples.push(performance.now() - started)
      }
      return samples.sort((a, b) => a - b)
    }
    const base = await time(blankUrl, '#ready')
    const designer = await time(`${server.url}/#/connectors`, 'a[href^="#/connectors/"]')
    return [
      { name: 'first-load JS (gzip)', value: firstJs / 1000, unit: 'KB', note: `${firstLoad.length} files; target ≤ 60 KB` },
      { name: 'all JS (gzip)', value: js / 1024, unit: 'KiB', note: `${(jsRaw / 1024).toFixed(0)} KiB before gzip, most loaded on demand` },
      { name: 'CSS bundle (gzip)', value: css / 1024, unit: 'KiB' },
      { name: 'one-paragraph page p50 (baseline)', value: percentile(base, 50), unit: 'ms', note: `${runs} loads each, same browser` },
      {
        name: 'designer first render p50',
        value: percentile(designer, 50),
        unit: 'ms',
        note: 'until the catalogue shows a connector (signed in)',
      },
      { name: 'designer first render p90', value: percentile(designer, 90), unit: 'ms' },
      { name: 'designer / baseline (p50)', value: percentile(designer, 50) / percentile(base, 50), unit: 'ratio' },
    ]
  } finally {
    await browser.close()
    await server.close()
    blank.close()
    await rm(dir, { recursive: true, force: true })
  }
}

if (isMain(import.meta.url)) printTable('Designer bundle and first render', await benchDesigner())
