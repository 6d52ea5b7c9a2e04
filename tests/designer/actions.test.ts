/**
 * The Actions panel of a connection page, against the real runtime and a loopback API that checks its key:
 * pick an action, fill the form built from its input schema, run it, read the masked request and the
 * response; a missing required input is reported at that input; personal connections without
 * credentials point to the connect link.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type DesignerEnv, screenshot, startDesignerEnv } from './harness.ts'

let env: DesignerEnv
let connectionId: string
const pageErrors: string[] = []

const TICKETS = {
  id: 'tickets-api',
  name: 'Tickets API',
  baseUrl: '{{baseUrl}}',
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
  auth: [
    {
      type: 'apiKey',
      id: 'key',
      label: 'API key',
      fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
      placements: [{ in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' }],
    },
  ],
  test: { method: 'GET', path: '/me' },
  actions: [
    {
      key: 'createTicket',
      name: 'Create ticket',
      description: 'Opens a ticket in the queue.',
      method: 'POST',
      path: '/tickets',
      body: { title: '{{input.title}}', priority: '{{input.priority}}', labels: '{{input.labels}}', urgent: '{{input.urgent}}' },
      input: {
        type: 'object',
        required: ['title', 'priority'],
        properties: {
          title: { type: 'string', title: 'Title', description: 'One line: what is wrong.', minLength: 3 },
          priority: { type: 'string', title: 'Priority', enum: ['low', 'normal', 'high'], default: 'normal' },
          labels: { type: 'array', title: 'Labels', items: { type: 'string' }, default: [] },
          urgent: { type: 'boolean', title: 'Urgent', default: false },
        },
      },
    },
    {
      key: 'getTicket',
      name: 'Get ticket',
      method: 'GET',
      path: '/tickets/{{input.id}}',
      input: { type: 'object', required: ['id'], properties: { id: { type: 'string', title: 'Ticket id' } } },
    },
  ],
}

beforeAll(async () => {
  env = await startDesignerEnv()
  env.page.on('pageerror', (error) => void pageErrors.push(error.message))
  env.upstream.answer((request) => {
    if (request.headers['x-api-key'] !== env.upstreamKey) return { status: 401, body: { message: 'Bad credentials' } }
    if (request.method === 'POST' && request.path === '/tickets')
      return { status: 201, headers: { 'x-request-id': 'req-42' }, body: { id: 't_1', received: JSON.parse(request.body) } }
    if (request.path.startsWith('/tickets/')) return { body: { id: request.path.split('/').pop(), title: 'Printer on fire' } }
    return { body: { login: 'octocat' } }
  })
  expect((await env.api('POST', '/api/connectors', TICKETS)).status).toBe(201)
  const created = await env.api('POST', '/api/apps/default/connections', {
    connectorId: TICKETS.id,
    name: 'Support desk',
    values: { baseUrl: env.upstream.origin, apiKey: env.upstreamKey },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  connectionId = created.body.id
})
afterAll(() => env?.close())

const panel = () => env.page.getByTestId('actions-panel')

describe('the actions panel', () => {
  test('lists the actions and builds the form from the input schema, defaults filled in', async () => {
    const { page } = env
    await env.open(`#/apps/default/connections/${connectionId}`)
    await panel().waitFor()
    expect(await panel().getByRole('tab').allTextContents()).toEqual(['Create ticket POST', 'Get ticket GET'])
    expect(
      await panel()
        .getByRole('tab', { name: /Create ticket/ })
        .getAttribute('aria-selected'),
    ).toBe('true')
    expect(await page.getByLabel('Priority').inputValue()).toBe('normal')
    expect(await page.getByLabel('Urgent').isChecked()).toBe(false)
    expect(await page.locator('#action-createTicket-title').getAttribute('aria-describedby')).toBe('action-createTicket-title-help')
  })

  test('a missing required input is reported at that input, and nothing is sent', async () => {
    const { page } = env
    const before = env.upstream.requests.length
    await panel().getByRole('button', { name: 'Run' }).click()
    const error = page.locator('#action-createTicket-title-error')
    await error.waitFor()
    expect(await error.textContent()).toMatch(/title/i)
    expect(await page.locator('#action-createTicket-title').getAttribute('aria-invalid')).toBe('true')
    expect(env.upstream.requests.length).toBe(before)
    // Typing clears it.
    await page.getByLabel('Title').fill('Printer on fire')
    expect(await error.count()).toBe(0)
  })

  test('runs: the request sent with its key masked, the response pretty-printed with status and attempts', async () => {
    const { page } = env
    await page.getByLabel('Priority').selectOption('high')
    await page.getByLabel('Labels').fill('hardware, urgent-ish')
    await page.getByLabel('Urgent').check()
    await panel().getByRole('button', { name: 'Run' }).click()
    const result = page.getByTestId('action-result')
    await result.waitFor()
    expect(await page.getByTestId('action-status').textContent()).toBe('HTTP 201')
    const request = (await page.getByTestId('action-request').textContent()) ?? ''
    expect(request).toContain(`POST ${env.upstream.origin}/tickets`)
    expect(request).toMatch(/x-api-key: \S+/i)
    expect(request).not.toContain(env.upstreamKey)
    expect(request).toContain('"priority":"high"')
    expect(await page.getByTestId('action-response-headers').textContent()).toContain('x-request-id: req-42')
    expect(await page.getByTestId('action-response-body').textContent()).toContain('"id": "t_1"')
    expect(await result.textContent()).toMatch(/1 attempt\b/)
    expect(JSON.parse(env.upstream.last().body)).toEqual({
      title: 'Printer on fire',
      priority: 'high',
      labels: ['hardware', 'urgent-ish'],
      urgent: true,
    })
    await screenshot(page, 'actions-tab')
  })

  test('the keyboard moves between actions; the other action has its own form', async () => {
    const { page } = env
    await panel()
      .getByRole('tab', { name: /Create ticket/ })
      .focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await panel().getByRole('heading', { name: 'Get ticket' }).waitFor()
    await page.getByLabel('Ticket id').fill('t_9')
    await page.getByLabel('Ticket id').press('Enter')
    await page.getByTestId('action-result').waitFor()
    expect(await page.getByTestId('action-response-body').textContent()).toContain('"id": "t_9"')
    await page.setViewportSize({ width: 420, height: 860 })
    await screenshot(page, 'actions-tab-narrow')
    await page.setViewportSize({ width: 1280, height: 860 })
  })

  test('without credentials, the run says so and links to connecting', async () => {
    const { page } = env
    expect((await env.api('DELETE', `/api/apps/default/connections/${connectionId}/credentials`)).status).toBe(200)
    // The same address again is a same-document navigation: reload to read the connection afresh.
    await env.open(`#/apps/default/connections/${connectionId}`)
    await page.reload()
    await panel()
      .getByRole('tab', { name: /Get ticket/ })
      .click()
    await page.getByLabel('Ticket id').fill('t_1')
    await panel().getByRole('button', { name: 'Run' }).click()
    const problem = page.getByTestId('action-error')
    await problem.waitFor()
    expect(await problem.getAttribute('data-code')).toBe('connection_required')
    await problem.getByRole('link', { name: 'Connect' }).click()
    await page.waitForURL(/\/connect$/)
    await page.getByRole('heading', { name: /Connect Support desk/ }).waitFor()
    expect(pageErrors).toEqual([])
  })
})
