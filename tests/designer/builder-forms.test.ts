/**
 * The builder's forms for every auth type and for typed action inputs, in a real Chromium: an OAuth2
 * connector and an action with typed inputs built by clicking and typing into fields only (never the
 * JSON view), saved, and the saved file passing `switchboard validate`; a saved connector edited in the
 * form keeps the keys the form does not show.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { domId } from '../../designer/src/lib/draft-places.ts'
import { type DesignerEnv, repo, startDesignerEnv } from './harness.ts'

let env: DesignerEnv
let dir: string
const pageErrors: string[] = []

const byPointer = (pointer: string, suffix = '') => env.page.locator(`[id="${domId(pointer)}${suffix}"]`)

/** Waits for a draft without errors; a timeout says which problems are left. */
async function noErrors(): Promise<void> {
  try {
    await env.page.getByTestId('error-count').getByText('0 errors').waitFor()
  } catch {
    throw new Error(`the draft still has problems: ${await env.page.locator('#problems').textContent()}`)
  }
}

/** Runs `switchboard validate` on a connector as saved, and answers its exit code and output. */
async function cliValidate(connector: unknown): Promise<{ code: number; out: string }> {
  const file = join(dir, `${String((connector as { id: string }).id)}.json`)
  await writeFile(file, JSON.stringify(connector, null, 2))
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [join(repo, 'bin/switchboard.js'), 'validate', file], { cwd: repo })
    return { code: 0, out: stdout }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, out: e.stdout + e.stderr }
  }
}

async function startBlank(name: string, baseUrl: string): Promise<void> {
  await env.open('#/designer')
  await env.page.getByRole('link', { name: /Start from scratch/ }).click()
  await env.page.getByRole('heading', { name: 'General' }).waitFor()
  await byPointer('/name').fill(name)
  await byPointer('/baseUrl').fill(baseUrl)
  await byPointer('/test/path').fill('/me')
}

async function save(id: string): Promise<Record<string, any>> {
  await env.page.getByRole('button', { name: /^Save (connector|changes)$/ }).click()
  await env.page
    .getByTestId('designer-notice')
    .getByText(/^Saved "/)
    .waitFor()
  const { status, body } = await env.api('GET', `/api/connectors/${id}`)
  expect(status).toBe(200)
  return body.connector
}

beforeAll(async () => {
  env = await startDesignerEnv()
  dir = await mkdtemp(join(tmpdir(), 'switchboard-forms-'))
  env.page.setDefaultTimeout(10_000)
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
  env.page.on('dialog', (dialog) => void dialog.accept())
})

afterAll(async () => {
  await env?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('OAuth2 as a form', { timeout: 90_000 }, () => {
  test('an authorization-code method with scopes, PKCE, client auth, token pointers and extra parameters, saved valid', async () => {
    const { page } = env
    await startBlank('Forms OAuth', 'https://api.forms.test')
    await page.getByRole('button', { name: 'OAuth2', exact: true }).click()
    const at = '/auth/0'
    await byPointer(`${at}/authorizeUrl`).fill('https://forms.test/oauth/authorize')
    await byPointer(`${at}/tokenUrl`).fill('https://forms.test/oauth/token')

    await page.getByRole('button', { name: 'Add scope' }).click()
    await byPointer(`${at}/scopes/0/value`).fill('repo')
    await byPointer(`${at}/scopes/0/description`).fill('Repositories')
    await page.getByRole('button', { name: 'Add scope' }).click()
    await byPointer(`${at}/scopes/1/value`).fill('user')
    await byPointer(`${at}/scopes/1/description`).fill('Your profile')
    await byPointer(`${at}/scopes/0`).getByLabel('Ask by default').check()

    // PKCE is on by default (no key); turning it off writes false.
    expect(await byPointer(`${at}/pkce`).isChecked()).toBe(true)
    await byPointer(`${at}/pkce`).uncheck()
    await byPointer(`${at}/clientAuth`).selectOption('client_secret_post')
    await byPointer(`${at}/tokenResponse`).getByRole('button', { name: 'Add token response' }).click()
    await byPointer(`${at}/tokenResponse/accessToken`).fill('/authed_user/access_token')
    await byPointer(`${at}/authorizeParams`).getByRole('button', { name: 'Add parameter' }).click()
    await byPointer(`${at}/authorizeParams/param`, '-name').fill('prompt')
    await byPointer(`${at}/authorizeParams/prompt`).fill('consent')

    // A token URL that is not a URL is shown at the token URL, not only in the summary.
    await byPointer(`${at}/tokenUrl`).fill('not a url')
    await byPointer(`${at}/tokenUrl`, '-problems').waitFor()
    await byPointer(`${at}/tokenUrl`).fill('https://forms.test/oauth/token')
    await noErrors()

    const saved = await save('forms-oauth')
    expect(saved.auth[0]).toMatchObject({
      type: 'oauth2',
      grant: 'authorization_code',
      authorizeUrl: 'https://forms.test/oauth/authorize',
      tokenUrl: 'https://forms.test/oauth/token',
      scopes: [
        { value: 'repo', description: 'Repositories' },
        { value: 'user', description: 'Your profile' },
      ],
      defaultScopes: ['repo'],
      pkce: false,
      clientAuth: 'client_secret_post',
      tokenResponse: { accessToken: '/authed_user/access_token' },
      authorizeParams: { prompt: 'consent' },
    })
    expect(await cliValidate(saved)).toMatchObject({ code: 0 })
  })

  test('switching to the client-credentials grant drops the settings that grant refuses', async () => {
    const at = '/auth/0'
    await byPointer(`${at}/grant`).selectOption('client_credentials')
    expect(await byPointer(`${at}/authorizeUrl`).count()).toBe(0)
    expect(await byPointer(`${at}/pkce`).count()).toBe(0)
    await noErrors()
    const saved = await save('forms-oauth')
    expect(saved.auth[0]).not.toHaveProperty('authorizeUrl')
    expect(saved.auth[0]).not.toHaveProperty('pkce')
    expect(saved.auth[0]).not.toHaveProperty('authorizeParams')
    expect(saved.auth[0].scopes).toHaveLength(2)
    expect(await cliValidate(saved)).toMatchObject({ code: 0 })
  })
})

describe('every other auth type as a form', { timeout: 90_000 }, () => {
  test('one method of each type added by clicking is valid as it comes and saves', async () => {
    const { page } = env
    await startBlank('Forms Every Auth', 'https://api.every.test')
    const types = [
      ['Session (login call)', 'session'],
      ['No authentication', 'none'],
      ['Signed JWT', 'jwt'],
      ['AWS Signature V4', 'awsSigV4'],
      ['HMAC signature', 'hmac'],
      ['OAuth 1.0a', 'oauth1'],
      ['Client certificate (mTLS)', 'mtls'],
    ] as const
    for (const [label] of types) await page.getByRole('button', { name: label, exact: true }).click()
    // Each type's own settings have inputs: the session's login path, the JWT's algorithm, the HMAC's signature header…
    await byPointer('/auth/0/login/path').waitFor()
    await byPointer('/auth/0/capture/token/pointer').waitFor()
    await byPointer('/auth/2/algorithm').waitFor()
    await byPointer('/auth/3/service').waitFor()
    await byPointer('/auth/4/signature/name').waitFor()
    await byPointer('/auth/5/signatureMethod').waitFor()
    await byPointer('/auth/6/certificate').waitFor()

    // Edits through the form: a JWT audience claim, the AWS service, an HMAC key encoding, a session renewal status.
    await byPointer('/auth/2/claims').getByRole('button', { name: 'Add claim' }).click()
    await byPointer('/auth/2/claims/param', '-name').fill('aud')
    await byPointer('/auth/2/claims/aud').fill('https://every.test')
    await byPointer('/auth/3/service').fill('s3')
    await byPointer('/auth/4/keyEncoding').selectOption('base64')
    await byPointer('/auth/0/renewOn').fill('401, 419')
    await byPointer('/auth/0/expiry').getByRole('button', { name: 'Add expiry' }).click()
    await byPointer('/auth/0/expiry/lifetimeSeconds').fill('3600')
    // RSA-SHA1 swaps the consumer secret for a private key.
    await byPointer('/auth/5/signatureMethod').selectOption('RSA-SHA1')
    expect(await byPointer('/auth/5/consumerSecret').count()).toBe(0)
    await byPointer('/auth/5/privateKey').fill('{{consumerSecret}}')
    await noErrors()

    const saved = await save('forms-every-auth')
    expect(saved.auth.map((m: { type: string }) => m.type)).toEqual(types.map(([, type]) => type))
    expect(saved.auth[0]).toMatchObject({ renewOn: [401, 419], expiry: { lifetimeSeconds: 3600 } })
    expect(saved.auth[2].claims).toMatchObject({ aud: 'https://every.test' })
    expect(saved.auth[3].service).toBe('s3')
    expect(saved.auth[4].keyEncoding).toBe('base64')
    expect(saved.auth[5]).toMatchObject({ signatureMethod: 'RSA-SHA1', privateKey: '{{consumerSecret}}' })
    expect(saved.auth[5]).not.toHaveProperty('consumerSecret')
    expect(await cliValidate(saved)).toMatchObject({ code: 0 })
  })
})

describe('typed action inputs as a form', { timeout: 90_000 }, () => {
  test('string formats, choices, bounded numbers, booleans, arrays and nested objects, saved valid', async () => {
    const { page } = env
    await startBlank('Forms Inputs', 'https://api.inputs.test')
    await page.getByRole('button', { name: 'Bearer token', exact: true }).click()
    await page.getByRole('button', { name: 'Add action' }).click()
    const action = '/actions/0'
    await byPointer(`${action}/name`).fill('Create ticket')
    await byPointer(`${action}/key`).fill('createTicket')
    await byPointer(`${action}/method`).selectOption('POST')
    await byPointer(`${action}/path`).fill('/tickets')
    const inputs = `${action}/input/properties`

    /** Adds an input at this level (it comes as "input", with the focus on its name) and names it. */
    async function addInput(list: string, name: string, type: string, addLabel = 'Add input'): Promise<string> {
      await byPointer(list).getByRole('button', { name: addLabel, exact: true }).last().click()
      await expect.poll(() => byPointer(`${list}/input`, '-name').evaluate((el) => el === document.activeElement)).toBe(true)
      await byPointer(`${list}/input`, '-name').fill(name)
      const at = `${list}/${name}`
      await byPointer(`${at}/type`).selectOption(type)
      return at
    }

    const email = await addInput(inputs, 'email', 'string')
    await byPointer(`${email}/format`).selectOption('email')
    await byPointer(email).getByLabel('Required').check()
    const priority = await addInput(inputs, 'priority', 'string')
    await byPointer(`${priority}/enum`).fill('low\nnormal\nhigh')
    await byPointer(`${priority}/default`).fill('normal')
    const count = await addInput(inputs, 'count', 'integer')
    await byPointer(`${count}/minimum`).fill('1')
    await byPointer(`${count}/maximum`).fill('10')
    const urgent = await addInput(inputs, 'urgent', 'boolean')
    await byPointer(`${urgent}/default`).selectOption('true')
    const tags = await addInput(inputs, 'tags', 'array')
    await byPointer(`${tags}/items/type`).selectOption('string')
    await byPointer(`${tags}/maxItems`).fill('5')
    await byPointer(`${tags}/items/format`).selectOption('uri')
    const address = await addInput(inputs, 'address', 'object')
    const city = await addInput(`${address}/properties`, 'city', 'string', 'Add an input to address')
    await byPointer(city).getByLabel('Required').check()
    await byPointer(action).getByText('Query, headers and body').click()
    await byPointer(`${action}/body`).fill('{ "email": "{{input.email}}", "count": "{{input.count}}" }')
    await noErrors()

    const saved = await save('forms-inputs')
    expect(saved.actions[0].input).toEqual({
      type: 'object',
      properties: {
        email: { type: 'string', title: 'Input', format: 'email' },
        priority: { type: 'string', title: 'Input', enum: ['low', 'normal', 'high'], default: 'normal' },
        count: { type: 'integer', title: 'Input', minimum: 1, maximum: 10 },
        urgent: { type: 'boolean', title: 'Input', default: true },
        tags: { type: 'array', title: 'Input', items: { type: 'string', format: 'uri' }, maxItems: 5 },
        address: {
          type: 'object',
          title: 'Input',
          properties: { city: { type: 'string', title: 'Input' } },
          required: ['city'],
        },
      },
      required: ['email'],
    })
    expect(await cliValidate(saved)).toMatchObject({ code: 0 })
  })

  test('a form edit of a saved connector keeps the keys the form does not show', async () => {
    const connector = {
      id: 'forms-roundtrip',
      name: 'Forms Round Trip',
      baseUrl: 'https://api.roundtrip.test',
      auth: [
        {
          type: 'oauth2',
          id: 'oauth',
          grant: 'authorization_code',
          authorizeUrl: 'https://roundtrip.test/authorize',
          tokenUrl: 'https://roundtrip.test/token',
          scopes: [{ value: 'read' }],
          defaultScopes: ['read'],
          tokenResponse: { values: { account: '/account_id' } },
        },
      ],
      fields: [{ key: 'account', label: 'Account', type: 'text' }],
      test: { method: 'GET', path: '/me' },
      actions: [
        {
          key: 'search',
          name: 'Search',
          method: 'GET',
          path: '/search',
          query: { q: '{{input.q}}' },
          input: {
            type: 'object',
            additionalProperties: false,
            properties: {
              q: { type: 'string', title: 'Query', examples: ['status:open'], pattern: '^.+$' },
              filter: { type: 'object', additionalProperties: false, properties: { since: { type: 'string', format: 'date' } } },
            },
          },
        },
      ],
    }
    const created = await env.api('POST', '/api/connectors', connector)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await env.open('#/designer/forms-roundtrip')
    await byPointer('/auth/0/tokenUrl').fill('https://roundtrip.test/oauth/token')
    await byPointer('/actions/0/input/properties/q/title').fill('Search query')
    await byPointer('/actions/0/input/properties/filter/properties/since/format').selectOption('date-time')
    await noErrors()
    const saved = await save('forms-roundtrip')
    expect(saved.auth[0]).toMatchObject({
      tokenUrl: 'https://roundtrip.test/oauth/token',
      defaultScopes: ['read'],
      tokenResponse: { values: { account: '/account_id' } },
    })
    expect(saved.actions[0].input).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        q: { type: 'string', title: 'Search query', examples: ['status:open'], pattern: '^.+$' },
        filter: { type: 'object', additionalProperties: false, properties: { since: { type: 'string', format: 'date-time' } } },
      },
    })
    expect(await cliValidate(saved)).toMatchObject({ code: 0 })
    expect(pageErrors).toEqual([])
  })
})
