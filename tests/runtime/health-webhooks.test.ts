/**
 * Background health checks and event webhooks, end to end over loopback: a connection added with typed
 * credentials is `untested` until the next pass checks it (then `connection.connected`); one whose API starts refusing
 * its credentials is marked failed by the next scheduled check (the harness's clock is moved, no test waits for
 * real time) and a `connection.failed` delivery reaches a real receiver, which verifies its signature with the
 * `standardwebhooks` library; recovery sends `connection.recovered`; a receiver that keeps failing is retried,
 * then given up, and the delivery says so; bad webhook input is refused with stable codes.
 */
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../../runtime/config.ts'
import { createHarness, type Harness, marker, type SeenRequest, startUpstream, type Upstream } from './harness.ts'

const HOUR = 3_600_000
const INTERVAL = 6 * HOUR
const CANARY = marker('canary-token-')
const EMAIL = 'agent@acme.test'

let h: Harness
let api: Upstream
let receiver: Upstream
let failing: Upstream
let refusing = false

beforeAll(async () => {
  h = await createHarness({
    runtime: {
      // A fixed "random": the first check of a connection lands half an interval after it is scheduled, waits exact.
      health: { intervalMs: INTERVAL, random: () => 0.5 },
      webhooks: { backoff: { baseMs: 1_000, maxMs: 60_000 }, maxAgeMs: 10 * 60_000 },
    },
  })
  api = await startUpstream((request) => {
    const ok = !refusing && request.headers.authorization === `Basic ${Buffer.from(`${EMAIL}/token:${CANARY}`).toString('base64')}`
    return ok ? { body: { user: { id: 1, name: 'Agent' } } } : { status: 401, body: { error: "Couldn't authenticate you" } }
  })
  receiver = await startUpstream(() => ({ status: 204 }))
  failing = await startUpstream(() => ({ status: 500, body: 'receiver down' }))
})

afterAll(async () => {
  await h?.close()
  await api?.close()
  await receiver?.close()
  await failing?.close()
})

const hooks = '/api/apps/default/webhooks'
let secret: string
let webhookId: string
let connectionId: string

/** The receiver's deliveries of one event type, each verified with the webhook's secret (throws when one is not). */
function received(type: string, from: Upstream = receiver, key = secret): Array<{ payload: any; seen: SeenRequest }> {
  return from.requests
    .map((seen) => ({ seen, payload: new Webhook(key).verify(seen.body, seen.headers as Record<string, string>) as any }))
    .filter((d) => d.payload.type === type)
}

describe('webhooks are registered by app admins', () => {
  it('adds a webhook and answers its signing secret once', async () => {
    const res = await h.call('POST', hooks, {
      body: {
        url: `${receiver.origin}/hook`,
        events: ['connection.created', 'connection.connected', 'connection.failed', 'connection.recovered'],
      },
    })
    expect(res.status).toBe(201)
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/)
    secret = res.body.secret
    webhookId = res.body.webhook.id
    expect(res.body.webhook).toMatchObject({ url: `${receiver.origin}/hook`, enabled: true })
    const read = await h.call('GET', `${hooks}/${webhookId}`)
    expect(read.status).toBe(200)
    expect(read.text).not.toContain(secret.slice(6))
    expect((await h.call('GET', hooks)).body.webhooks).toHaveLength(1)
    // Sealed at rest: the store holds no trace of it.
    expect(await h.storeText()).not.toContain(secret.slice(6))
  })

  it('refuses bad input with stable codes', async () => {
    const bad = async (body: unknown) => {
      const res = await h.call('POST', hooks, { body })
      return { status: res.status, code: res.body.error?.code }
    }
    expect(await bad({ url: 'ftp://hooks.example.com/x', events: ['connection.failed'] })).toEqual({ status: 400, code: 'invalid_body' })
    expect(await bad({ url: 'http://10.1.2.3/hook', events: ['connection.failed'] })).toEqual({ status: 400, code: 'blocked_address' })
    expect(await bad({ url: 'http://localhost:9/hook', events: ['connection.failed'] })).toEqual({ status: 400, code: 'blocked_address' })
    expect(await bad({ url: 'http://169.254.169.254/latest', events: ['connection.failed'] })).toEqual({
      status: 400,
      code: 'blocked_address',
    })
    expect(await bad({ url: `${receiver.origin}/hook`, events: ['connection.tested'] })).toEqual({ status: 400, code: 'invalid_body' })
    expect(await bad({ url: `${receiver.origin}/hook`, events: [] })).toEqual({ status: 400, code: 'invalid_body' })
    const patch = await h.call('PATCH', `${hooks}/${webhookId}`, { body: { url: 'http://192.168.0.1/' } })
    expect([patch.status, patch.body.error.code]).toEqual([400, 'blocked_address'])
    const missing = await h.call('GET', `${hooks}/wh_nothing`)
    expect([missing.status, missing.body.error.code]).toEqual([404, 'webhook_not_found'])
    const replay = await h.call('POST', `${hooks}/${webhookId}/deliveries/whd_nothing/replay`)
    expect([replay.status, replay.body.error.code]).toEqual([404, 'delivery_not_found'])
  })
})

describe('a connection checked on a schedule', () => {
  it('sends a signed connection.created when a connection is added', async () => {
    const res = await h.call('POST', '/api/apps/default/connections', {
      body: {
        connectorId: 'zendesk',
        authMethod: 'apiToken',
        name: 'Zendesk',
        values: { subdomain: 'acme', email: EMAIL, apiToken: CANARY },
        baseUrl: api.origin,
      },
    })
    expect(res.status).toBe(201)
    expect(res.body.status).toBe('untested')
    connectionId = res.body.id
    await h.runtime.webhooks.idle()
    // Typed credentials are not a verified connection: no connection.connected yet.
    expect(received('connection.connected')).toHaveLength(0)
    const [created] = received('connection.created')
    expect(created?.payload.data).toMatchObject({ appId: 'default', connectionId, connectorId: 'zendesk', connectionName: 'Zendesk' })
    expect(created?.seen.headers['webhook-id']).toMatch(/^msg_/)
  })

  it('checks untested credentials at the next pass, and sends connection.connected once they pass', async () => {
    const before = api.requests.length
    expect(await h.runtime.health.tick()).toBe(1)
    expect(api.requests.length).toBe(before + 1)
    expect((await h.call('GET', `/api/apps/default/connections/${connectionId}`)).body.status).toBe('connected')
    await h.runtime.webhooks.idle()
    const connected = received('connection.connected')
    expect(connected).toHaveLength(1)
    expect(connected[0]!.payload.data).toMatchObject({ connectionId, status: 'connected' })
  })

  it('checks nothing before the connection is due', async () => {
    const before = api.requests.length
    expect(await h.runtime.health.tick()).toBe(0)
    h.advance(INTERVAL / 4)
    expect(await h.runtime.health.tick()).toBe(0)
    expect(api.requests.length).toBe(before)
  })

  it('marks a connection whose API starts refusing failed at the next check, and sends connection.failed', async () => {
    refusing = true
    h.advance((3 * INTERVAL) / 4)
    expect(await h.runtime.health.tick()).toBe(1)
    const view = await h.call('GET', `/api/apps/default/connections/${connectionId}`)
    expect(view.body.status).toBe('error')
    await h.runtime.webhooks.idle()
    const failed = received('connection.failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]!.payload.data).toMatchObject({ connectionId, status: 'error', problem: 'credentials_rejected', httpStatus: 401 })
    // The audit trail has it, as the runtime's own entry.
    const audit = await h.call('GET', `/api/apps/default/audit?connection=${connectionId}`)
    expect(audit.body.entries[0]).toMatchObject({ event: 'connection.failed', userId: 'system', connectionId })
    // Checked once: the same moment again finds nothing due.
    expect(await h.runtime.health.tick()).toBe(0)
  })

  it('sends connection.recovered once the API takes the credentials again', async () => {
    refusing = false
    // A failing connection backs off: its next check is an interval later (then two, four…).
    h.advance(INTERVAL / 2)
    expect(await h.runtime.health.tick()).toBe(0)
    h.advance(INTERVAL / 2 + 1000)
    expect(await h.runtime.health.tick()).toBe(1)
    await h.runtime.webhooks.idle()
    expect(received('connection.recovered')).toHaveLength(1)
    expect((await h.call('GET', `/api/apps/default/connections/${connectionId}`)).body.status).toBe('connected')
    // Both checks are in the run history, newest first, as the runtime's own: the failure with its problem.
    const history = await h.call('GET', `/api/apps/default/runs?kind=check&connection=${connectionId}`)
    const checks = history.body.runs as Array<Record<string, unknown>>
    expect(checks.map((r) => r.outcome)).toEqual(['ok', 'failed', 'ok'])
    expect(checks[1]).toMatchObject({ kind: 'check', action: 'test', userId: 'system', code: 'credentials_rejected' })
  })

  it('lists deliveries with their status and attempts, and replays one under the same message id', async () => {
    const list = await h.call('GET', `${hooks}/${webhookId}/deliveries`)
    expect(list.status).toBe(200)
    expect(list.body.deliveries.map((d: any) => [d.event, d.status, d.attempts])).toEqual([
      ['connection.recovered', 'delivered', 1],
      ['connection.failed', 'delivered', 1],
      ['connection.connected', 'delivered', 1],
      ['connection.created', 'delivered', 1],
    ])
    const failed = list.body.deliveries[1]
    const replay = await h.call('POST', `${hooks}/${webhookId}/deliveries/${failed.id}/replay`)
    expect(replay.status).toBe(202)
    expect(replay.body).toMatchObject({ replayOf: failed.id, messageId: failed.messageId, status: 'pending' })
    await h.runtime.webhooks.idle()
    const again = received('connection.failed')
    expect(again).toHaveLength(2)
    expect(again[1]!.seen.headers['webhook-id']).toBe(failed.messageId)
  })

  it('never puts a secret in a payload, a header or a delivery record', async () => {
    for (const seen of receiver.requests) expect(JSON.stringify(seen)).not.toContain(CANARY)
    const list = await h.call('GET', `${hooks}/${webhookId}/deliveries`)
    expect(list.text).not.toContain(CANARY)
    expect(list.text).not.toContain(secret.slice(6))
  })
})

describe('a receiver that keeps failing', () => {
  it('is retried with growing waits, then given up and recorded', async () => {
    const made = await h.call('POST', hooks, { body: { url: `${failing.origin}/hook`, events: ['connection.deleted'] } })
    expect(made.status).toBe(201)
    const id = made.body.webhook.id
    expect((await h.call('DELETE', `/api/apps/default/connections/${connectionId}`)).status).toBe(204)
    await h.runtime.webhooks.idle()
    expect(failing.requests).toHaveLength(1)
    let [delivery] = (await h.call('GET', `${hooks}/${id}/deliveries`)).body.deliveries
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500, lastError: 'The receiver answered 500.' })
    // Nothing is sent again before the wait is over.
    expect(await h.runtime.webhooks.tick()).toBe(0)
    for (let round = 0; round < 100 && delivery.status === 'pending'; round++) {
      h.advance(30_000)
      await h.runtime.webhooks.tick()
      ;[delivery] = (await h.call('GET', `${hooks}/${id}/deliveries`)).body.deliveries
    }
    expect(delivery.status).toBe('failed')
    expect(delivery.attempts).toBeGreaterThan(3)
    expect(delivery.attempts).toBe(failing.requests.length)
    expect(delivery.lastError).toBe('The receiver answered 500.')
    // Every attempt was signed the same way, with the same message id.
    const key = made.body.secret
    expect(new Set(failing.requests.map((r) => r.headers['webhook-id'])).size).toBe(1)
    for (const seen of failing.requests) expect(() => new Webhook(key).verify(seen.body, seen.headers as any)).not.toThrow()
    // Given up: later passes send nothing.
    h.advance(HOUR)
    expect(await h.runtime.webhooks.tick()).toBe(0)
  })

  it('deletes a webhook with its deliveries', async () => {
    const list = (await h.call('GET', hooks)).body.webhooks
    for (const webhook of list) expect((await h.call('DELETE', `${hooks}/${webhook.id}`)).status).toBe(204)
    expect((await h.call('GET', hooks)).body.webhooks).toEqual([])
    expect(await h.storeText()).not.toContain('whd_')
  })
})

describe('the setting', () => {
  it('turns the health checks off with SWITCHBOARD_HEALTH_CHECKS=off, and refuses a value it does not know', () => {
    expect(readConfig({}).healthChecks).toBe(true)
    expect(readConfig({ SWITCHBOARD_HEALTH_CHECKS: 'off' }).healthChecks).toBe(false)
    expect(() => readConfig({ SWITCHBOARD_HEALTH_CHECKS: 'sometimes' })).toThrow(/SWITCHBOARD_HEALTH_CHECKS must be "on" or "off"/)
  })
})
