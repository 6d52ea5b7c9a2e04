/**
 * OAuth2 through the designer, against oauth2-mock-server on 127.0.0.1 (which approves at once): the
 * owner sets up the OAuth app on its settings page, a connection says it cannot connect before that,
 * then shows the scopes it asks for, lets a person add one, and follows the real redirects (runtime's
 * JSON start → mock authorize → runtime callback → back to the designer) to "connected".
 */
import type { IncomingMessage } from 'node:http'
import { OAuth2Server } from 'oauth2-mock-server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type DesignerEnv, screenshot, startDesignerEnv } from './harness.ts'

let env: DesignerEnv
let mock: OAuth2Server
let issuer: string
let connectionId: string
const pageErrors: string[] = []
const CLIENT_SECRET = 'mock-secret-7c1e0d9a'
/** The scope the mock was asked for last; it grants exactly that. */
let lastScope = ''

beforeAll(async () => {
  // The upstream API accepts any bearer token: the mock's tokens are what reaches it.
  env = await startDesignerEnv({
    upstream: (request) =>
      /^Bearer \S+$/.test(request.headers.authorization ?? '')
        ? { body: { login: 'mock-user' } }
        : { status: 401, body: { message: 'no token' } },
  })
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
  mock = new OAuth2Server()
  await mock.issuer.keys.generate('RS256')
  await mock.start(0, '127.0.0.1')
  issuer = `http://127.0.0.1:${mock.address().port}`
  mock.issuer.url = issuer
  mock.service.on(
    'beforeAuthorizeRedirect',
    (_uri: unknown, req: IncomingMessage & { query: Record<string, string> }) => void (lastScope = req.query.scope ?? ''),
  )
  mock.service.on(
    'beforeResponse',
    (response: { body: Record<string, unknown> }, req: IncomingMessage & { body: Record<string, string> }) => {
      if (req.body?.grant_type === 'authorization_code') response.body.scope = lastScope
    },
  )
  const created = await env.api('POST', '/api/connectors', {
    id: 'mock-oauth',
    name: 'Mock Cloud',
    baseUrl: env.upstream.origin,
    auth: [
      {
        type: 'oauth2',
        id: 'oauth',
        label: 'Sign in with Mock Cloud',
        grant: 'authorization_code',
        authorizeUrl: `${issuer}/authorize`,
        tokenUrl: `${issuer}/token`,
        scopes: [
          { value: 'openid', description: 'Know who you are' },
          { value: 'profile', description: 'Read your name and picture' },
          { value: 'email', description: 'Read your email address' },
        ],
        defaultScopes: ['openid', 'profile'],
      },
    ],
    test: { method: 'GET', path: '/me', label: '{{body.login}}' },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const connection = await env.api('POST', '/api/apps/default/connections', { connectorId: 'mock-oauth', name: 'Mock Cloud (team)' })
  expect(connection.status, JSON.stringify(connection.body)).toBe(201)
  connectionId = connection.body.id
}, 60_000)

afterAll(async () => {
  await mock?.stop()
  await env?.close()
})

const connectionHash = () => `#/apps/default/connections/${connectionId}`
const toolbarButton = (name: string) =>
  env.page.getByRole('toolbar', { name: 'Connection actions' }).getByRole('button', { name, exact: true })

describe('OAuth2 in the designer', () => {
  test('without an OAuth app, connecting says so in plain words and points to the settings', async () => {
    const { page } = env
    await env.open(connectionHash())
    await toolbarButton('Connect').click()
    await page.getByTestId('oauth-app-missing').waitFor()
    await page.getByRole('button', { name: 'Connect with Mock Cloud' }).click()
    const error = page.getByTestId('oauth-error')
    await error.waitFor()
    expect(await error.textContent()).toContain('Mock Cloud has no OAuth app yet')
    expect(await error.getByRole('link', { name: 'OAuth app settings' }).getAttribute('href')).toBe('#/connectors/mock-oauth/oauth-app')
    // No flow was started.
    expect(page.url()).toContain(env.baseUrl)
  })

  test('the owner sets up the OAuth app from the connector page; the secret is write-only', async () => {
    const { page } = env
    await env.open('#/connectors/mock-oauth')
    await page.getByRole('link', { name: 'OAuth app settings' }).click()
    await page.getByRole('heading', { level: 1, name: 'OAuth app for Mock Cloud' }).waitFor()
    expect(await page.getByTestId('oauth-app-status').textContent()).toBe('Not configured')
    expect(await page.getByLabel('Redirect URI', { exact: true }).inputValue()).toBe(`${env.baseUrl}/oauth/callback`)
    await page.getByRole('button', { name: 'Save OAuth app' }).click()
    await page.getByText('Enter the client id the provider issued.').waitFor()
    await page.getByLabel('Client id').fill('mock-client')
    await page.getByLabel('Client secret').fill(CLIENT_SECRET)
    await page.getByRole('button', { name: 'Save OAuth app' }).click()
    await page.getByTestId('client-secret-saved').waitFor()
    expect(await page.getByTestId('oauth-app-status').textContent()).toBe('Configured')
    expect(await page.locator('main').innerHTML()).not.toContain(CLIENT_SECRET)
    const app = await env.api('GET', '/api/connectors/mock-oauth/oauth-app')
    expect(app.body).toMatchObject({ configured: true, clientId: 'mock-client', hasClientSecret: true })
    await screenshot(page, 'oauth-app-settings')

    // Replace shows an empty input again; keeping the saved one puts the indicator back.
    await page.getByRole('button', { name: 'Replace' }).click()
    expect(await page.getByLabel('Client secret').inputValue()).toBe('')
    await page.getByRole('button', { name: 'Keep the saved secret' }).click()
    await page.getByTestId('client-secret-saved').waitFor()
    await page.setViewportSize({ width: 420, height: 860 })
    await screenshot(page, 'oauth-app-settings-narrow')
    await page.setViewportSize({ width: 1280, height: 860 })
  })

  test('connect shows the scopes asked for, takes an extra one, and comes back connected', async () => {
    const { page } = env
    await env.open(connectionHash())
    await toolbarButton('Connect').click()
    const chips = page.getByTestId('scope-chips')
    await chips.waitFor()
    expect(await chips.locator('li[data-scope]').evaluateAll((items) => items.map((i) => i.getAttribute('data-scope')))).toEqual([
      'openid',
      'profile',
    ])
    expect(await chips.locator('li[data-scope="profile"]').textContent()).toContain('Read your name and picture')
    expect(await page.getByTestId('oauth-app-missing').count()).toBe(0)
    await page.getByRole('checkbox', { name: /email/ }).check()
    await chips.locator('li[data-scope="email"]').waitFor()
    await screenshot(page, 'oauth-scope-chips')

    await page.getByRole('button', { name: 'Connect with Mock Cloud' }).click()
    await page.waitForURL(/oauth=success/)
    expect(new URL(page.url()).hash).toBe(`${connectionHash()}?oauth=success`)
    await page.getByTestId('oauth-success').waitFor()
    await page.locator('[data-status="connected"]').first().waitFor()
    expect(lastScope).toBe('openid profile email')
    const connection = (await env.api('GET', `/api/apps/default/connections/${connectionId}`)).body
    expect(connection.status).toBe('connected')
    expect(connection.grantedScopes).toEqual(['openid', 'profile', 'email'])
    expect(connection.accountLabel).toBe('mock-user')
    expect(await page.locator('main').textContent()).toContain('Granted scopes')
    await screenshot(page, 'oauth-connected')

    await page.getByRole('button', { name: 'Dismiss' }).click()
    await page.getByTestId('oauth-success').waitFor({ state: 'detached' })
    expect(new URL(page.url()).hash).toBe(connectionHash())
  })

  test('a failed sign-in comes back with the plain-words message and its code', async () => {
    const { page } = env
    const message = encodeURIComponent('You said no at Mock Cloud, so nothing was connected.')
    await env.open(`${connectionHash()}?oauth=error&code=access_denied&message=${message}`)
    const failure = page.getByTestId('oauth-failure')
    await failure.waitFor()
    expect(await failure.textContent()).toContain('You said no at Mock Cloud, so nothing was connected.')
    expect(await failure.textContent()).toContain('access_denied')
    expect(pageErrors).toEqual([])
    expect(env.log.join('\n')).not.toContain(CLIENT_SECRET)
  })
})
