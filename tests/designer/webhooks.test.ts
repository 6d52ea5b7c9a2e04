/**
 * Webhooks in the designer, against the real runtime: an app admin adds one (a refused address is said in plain
 * words first), sees its signing secret once, and after a connection is added reads the delivery, verified by a
 * loopback receiver with the secret the page showed, and sends it again.
 */
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type DesignerEnv, startDesignerEnv, startUpstream, type Upstream } from './harness.ts'

let env: DesignerEnv
let receiver: Upstream
const pageErrors: string[] = []

beforeAll(async () => {
  env = await startDesignerEnv()
  receiver = await startUpstream(() => ({ status: 204 }))
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
})
afterAll(async () => {
  await receiver?.close()
  await env?.close()
})

describe('webhooks page', () => {
  test('an admin adds a webhook, sees its secret once, and reads and replays its deliveries', async () => {
    const { page } = env
    await env.open('#/apps/default/webhooks')
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor()

    await page.getByLabel('Receiver URL').fill('http://10.0.0.1/hook')
    await page.getByRole('button', { name: 'Add webhook' }).click()
    await page
      .getByRole('alert')
      .getByText(/private|address|allow/i)
      .waitFor()

    await page.getByLabel('Receiver URL').fill(`${receiver.origin}/hook`)
    await page.getByLabel(/A connection was added/).check()
    await page.getByRole('button', { name: 'Add webhook' }).click()
    const secret = (await page.locator('code.secret').textContent())!.trim()
    expect(secret).toMatch(/^whsec_/)
    await page.getByRole('button', { name: 'Done' }).click()
    expect(await page.locator('code.secret').count()).toBe(0)

    const made = await env.api('POST', '/api/apps/default/connections', {
      connectorId: 'generic-api-key',
      name: 'Hooked',
      values: { baseUrl: env.upstream.origin, testUrl: `${env.upstream.origin}/me`, apiKey: env.upstreamKey },
    })
    expect([made.status, made.body.error]).toEqual([201, undefined])
    await expect.poll(() => receiver.requests.length, { timeout: 15_000 }).toBe(1)
    const seen = receiver.requests[0]!
    const payload = new Webhook(secret).verify(seen.body, seen.headers as Record<string, string>) as { type: string }
    expect(payload.type).toBe('connection.created')

    await page.getByRole('button', { name: 'Deliveries' }).click()
    await page.getByRole('cell', { name: 'delivered' }).waitFor()
    await page.getByRole('button', { name: 'Send again' }).click()
    await expect.poll(() => receiver.requests.length, { timeout: 15_000 }).toBe(2)
    expect(receiver.requests[1]!.headers['webhook-id']).toBe(seen.headers['webhook-id'])
    expect(pageErrors).toEqual([])
  })
})
