/**
 * The designer in real Chromium under its Content-Security-Policy: every page renders with no policy
 * violation, and another site (a loopback page on another origin) can neither sign a visitor into its
 * own account nor frame the sign-in page.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DESIGNER_CSP } from '../../runtime/inbound/routes/security-headers.ts'
import { type DesignerEnv, screenshot, signInThroughLink, startDesignerEnv, startUpstream, type Upstream } from './harness.ts'

let env: DesignerEnv
let attacker: Upstream
let mallory = { name: 'Mallory Attacker', token: '' }

beforeAll(async () => {
  env = await startDesignerEnv()
  const user = await env.api('POST', '/api/users', { name: mallory.name, email: 'mallory@example.com' })
  mallory = { ...mallory, token: (await env.api('POST', `/api/users/${user.body.id}/tokens`, { name: 'Phishing' })).body.token }
  // 127.0.0.1 is another origin (and site) than the designer's localhost.
  attacker = await startUpstream((request) => ({
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: attackerPage(request.path),
  }))
})

afterAll(async () => {
  await attacker?.close()
  await env?.close()
})

function attackerPage(path: string): string {
  const target = env.baseUrl
  if (path === '/form') {
    // A text/plain form can carry a JSON-looking body; it cannot set a JSON content type.
    return (
      `<form method="post" action="${target}/api/session" enctype="text/plain"><input name='{"token":"${mallory.token}","x":"' ` +
      `value='"}'></form>
      <script>document.forms[0].submit()</script>`
    )
  }
  if (path === '/frame') return `<iframe id="victim" src="${target}/signin?token=${mallory.token}" width="600" height="400"></iframe>`
  return `<a id="go" href="${target}/signin?token=${mallory.token}">win a prize</a>`
}

/** A browser context that records every CSP violation and console error of its pages. */
async function watchedContext(): Promise<{ context: BrowserContext; page: Page; violations: () => Promise<string[]>; errors: string[] }> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 860 } })
  await context.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __violations: string[] }).__violations = seen
    document.addEventListener(
      'securitypolicyviolation',
      (e) => void seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    )
  })
  const page = await context.newPage()
  page.setDefaultTimeout(8_000)
  const errors: string[] = []
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())))
  page.on('pageerror', (error) => void errors.push(error.message))
  return { context, page, errors, violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations) }
}

async function sessionCookies(context: BrowserContext): Promise<string[]> {
  return (await context.cookies(env.baseUrl)).filter((c) => c.name === 'sb_session').map((c) => c.value)
}

describe('the designer under its Content-Security-Policy', () => {
  test('pages are served with the policy and render with no violation and no console error', async () => {
    const { context, page, violations, errors } = await watchedContext()
    try {
      const res = await page.goto(`${env.baseUrl}/`)
      expect(res?.headers()['content-security-policy']).toBe(DESIGNER_CSP)
      expect(res?.headers()['x-frame-options']).toBe('DENY')
      expect(res?.headers()['x-content-type-options']).toBe('nosniff')
      await page.getByRole('heading', { name: 'Sign in to Switchboard' }).waitFor()
      await signInThroughLink(page, env.server.signInUrl!)

      const visit = async (hash: string, ready: () => Promise<unknown>) => {
        await page.goto(`${env.baseUrl}/${hash}`)
        await ready()
        await page.waitForLoadState('networkidle')
        expect(await violations(), hash).toEqual([])
      }
      await visit('#/connectors', () =>
        page
          .getByRole('link', { name: /GitHub/ })
          .first()
          .waitFor(),
      )
      await visit('#/connectors/github', () => page.getByRole('heading', { name: 'GitHub' }).first().waitFor())
      await visit('#/apps/default/connections', () => page.getByRole('navigation', { name: 'Main' }).waitFor())
      await visit('#/users', () => page.getByRole('link', { name: 'Tokens of Mallory Attacker' }).waitFor())
      // The connector designer: a generated letter icon and colour swatches are styled at run time.
      await visit('#/designer', () => page.getByRole('link', { name: /Start from scratch/ }).waitFor())
      await page.getByRole('link', { name: /Start from scratch/ }).click()
      await page.getByRole('radiogroup', { name: 'Colour' }).waitFor()
      await page.getByRole('button', { name: /^Use “.+” icon$/ }).click()
      await page.waitForLoadState('networkidle')
      expect(await violations()).toEqual([])
      await screenshot(page, 'csp-designer')
      expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([])
    } finally {
      await context.close()
    }
  })
})

describe('another site against the sign-in', () => {
  test('following a sign-in link from another site asks whose account first, and sets no cookie', async () => {
    const { context, page } = await watchedContext()
    try {
      await page.goto(`${attacker.origin}/link`)
      await page.locator('#go').click()
      await page.getByRole('button', { name: `Sign in as ${mallory.name}` }).waitFor()
      expect(await sessionCookies(context)).toEqual([])
      // The token left the address bar.
      expect(page.url()).toBe(`${env.baseUrl}/#/signin`)
      expect(await page.evaluate(() => fetch('/api/me').then((r) => r.status))).toBe(401)
      await screenshot(page, 'signin-confirm')
    } finally {
      await context.close()
    }
  })

  test('an auto-submitted cross-site form sets no cookie', async () => {
    const { context, page } = await watchedContext()
    try {
      const answered = page.waitForResponse((r) => r.url() === `${env.baseUrl}/api/session`)
      await page.goto(`${attacker.origin}/form`)
      const res = await answered
      expect(res.status()).toBe(403)
      expect(await sessionCookies(context)).toEqual([])
    } finally {
      await context.close()
    }
  })

  test('the sign-in page cannot be framed to get the click', async () => {
    const { context, page } = await watchedContext()
    try {
      const blocked = page.waitForEvent('console', (m) => /frame-ancestors|X-Frame-Options|Refused to display/i.test(m.text()))
      await page.goto(`${attacker.origin}/frame`)
      await blocked
      const frame = page.frames().find((f) => f !== page.mainFrame())
      expect(frame).toBeDefined()
      expect(frame!.url()).not.toContain('#/signin')
      expect(await sessionCookies(context)).toEqual([])
    } finally {
      await context.close()
    }
  })

  test("the person who confirms is signed in as the link's account", async () => {
    const { context, page, violations } = await watchedContext()
    try {
      await signInThroughLink(page, `${env.baseUrl}/signin?token=${mallory.token}`)
      expect(await sessionCookies(context)).toHaveLength(1)
      expect(await page.evaluate(() => fetch('/api/me').then((r) => r.json()))).toMatchObject({ user: { name: mallory.name } })
      expect(await violations()).toEqual([])
    } finally {
      await context.close()
    }
  })
})
