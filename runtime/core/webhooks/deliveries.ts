import { randomUUID } from 'node:crypto'
import { Webhook as Signer } from 'standardwebhooks'
import type { WebhookDelivery, WebhookEvent, WebhookPayload } from '../../../schemas/types/api.ts'
import { isSwitchboardError, SwitchboardError } from '../../errors.ts'
import { type Backoff, backoffDelay } from '../../platform/backoff/index.ts'
import type { HttpClient } from '../../platform/http/index.ts'
import { createSequence, type Store } from '../../platform/store/index.ts'
import { type ConnectionEvent, type ConnectionEvents, isWebhookEvent } from '../events/index.ts'
import type { WebhookEndpoints, WebhookRecord } from './endpoints.ts'

/** A delivery as stored: the API view, plus when the next attempt is due (while pending) and who holds it now. */
interface DeliveryRecord extends WebhookDelivery {
  [k: string]: unknown
  appId: string
  seq: number
  /** Epoch ms of the next attempt; present only while `pending`, so the `byPending` index holds only those. */
  pendingAt?: number
  /** Epoch ms after which a failed attempt is the last. */
  giveUpAt: number
  lease?: string
  leaseUntil?: number
}

/** One attempt, as the hook for metrics and logs sees it. */
export interface DeliveryOutcome {
  webhookId: string
  event: string
  /** `delivered`, `retrying` (failed, tried again later) or `failed` (given up). */
  outcome: 'delivered' | 'retrying' | 'failed'
  attempts: number
  responseStatus?: number
}

export interface WebhookDeliveryOptions {
  store: Store
  http: HttpClient
  endpoints: WebhookEndpoints
  clock: () => Date
  log: (line: string) => void
  /** Events to deliver; the deliveries listen from creation. */
  events?: ConnectionEvents
  /** Waits between attempts (default 5 s doubling to 1 hour, ±20 %). */
  backoff?: Backoff
  /** How long a delivery is retried before it is given up (default 24 hours). */
  maxAgeMs?: number
  /** Timeout of one attempt (default 10 s). */
  timeoutMs?: number
  /** Deliveries kept per webhook, newest (default 100). */
  keep?: number
  /**
   * The time put in `webhook-timestamp`: the receiver compares it with its own clock (within minutes, to stop
   * replays), so it is the wall clock even where schedules run on an injected one. Default `new Date()`.
   */
  wallClock?: () => Date
  onDelivery?: (outcome: DeliveryOutcome) => void
}

const LEASE_MS = 60_000

/**
 * Event deliveries to webhooks, signed per the Standard Webhooks spec (https://www.standardwebhooks.com/:
 * `webhook-id`, `webhook-timestamp`, `webhook-signature` over `id.timestamp.body`) with the `standardwebhooks`
 * library. Every event an app's webhook asked for becomes a delivery record (status, attempts, last error),
 * sent at once and, when the receiver does not answer 2xx, again after growing waits until `maxAgeMs` has
 * passed, then given up (`failed`). Sent through the one outbound client, so the address rules, redirect rule
 * and limits are those of every other request. Any replica may send a due retry; a lease in the record makes
 * it one. A delivery can be replayed: a new delivery of the same message (same `webhook-id`).
 *
 * @example
 * const deliveries = createWebhookDeliveries({ store, http, endpoints, clock, log, events })
 * deliveries.start()     // retries due deliveries every 10 s
 * await deliveries.idle() // tests: every send started so far has ended
 */
export function createWebhookDeliveries(options: WebhookDeliveryOptions) {
  const { store } = options
  const backoff = options.backoff ?? { baseMs: 5_000, maxMs: 3_600_000, jitter: 0.2 }
  const maxAgeMs = options.maxAgeMs ?? 24 * 3_600_000
  const keep = options.keep ?? 100
  const wallClock = options.wallClock ?? (() => new Date())
  const now = () => options.clock().getTime()
  const sequence = createSequence(store, 'webhookDeliveries')
  const inFlight = new Set<Promise<unknown>>()
  let timer: NodeJS.Timeout | undefined
  let ticking: Promise<number> | undefined

  /** Starts a send without making the caller wait for the receiver; `idle` waits for it. */
  const kick = (id: string) => {
    const send = attempt(id)
      .catch((error: unknown) => options.log(`webhooks: delivery ${id} stopped: ${(error as Error).message}`))
      .finally(() => inFlight.delete(send))
    inFlight.add(send)
  }

  const off = options.events?.on(async (event) => {
    const { type } = event
    if (!isWebhookEvent(type)) return
    for (const webhook of await options.endpoints.list(event.data.appId)) {
      if (webhook.enabled && webhook.events.includes(type)) kick((await enqueue(webhook, { ...event, type })).id)
    }
  })

  async function enqueue(
    webhook: WebhookRecord,
    event: ConnectionEvent & { type: WebhookEvent },
    replayOf?: DeliveryRecord,
  ): Promise<DeliveryRecord> {
    const seq = await sequence.next()
    const payload: WebhookPayload = replayOf?.payload ?? { type: event.type, timestamp: event.at, data: event.data }
    const at = now()
    const record: DeliveryRecord = {
      id: `whd_${seq}_${randomUUID().slice(0, 8)}`,
      appId: webhook.appId,
      webhookId: webhook.id,
      messageId: replayOf?.messageId ?? `msg_${randomUUID().replaceAll('-', '')}`,
      seq,
      event: payload.type,
      status: 'pending',
      attempts: 0,
      createdAt: new Date(at).toISOString(),
      payload,
      pendingAt: at,
      giveUpAt: at + maxAgeMs,
      ...(replayOf ? { replayOf: replayOf.id } : {}),
    }
    await store.insert('webhookDeliveries', record)
    await trim(webhook.id)
    return record
  }

  /** Drops a webhook's oldest deliveries beyond `keep` (a tenth at a time, so not on every delivery). */
  async function trim(webhookId: string): Promise<void> {
    const excess = (await store.count('webhookDeliveries', 'byWebhook', { equals: [webhookId] })) - keep
    if (excess < Math.max(1, Math.floor(keep / 10))) return
    const old = await store.find<DeliveryRecord>('webhookDeliveries', 'byWebhook', { equals: [webhookId], order: 'asc', limit: excess })
    await store.transaction(async (tx) => {
      for (const record of old) await tx.delete('webhookDeliveries', record.id)
    })
  }

  /** One attempt of a delivery, if it is due and nobody else is on it. */
  async function attempt(id: string): Promise<void> {
    const lease = randomUUID()
    const at = now()
    const taken = await store.update<DeliveryRecord>('webhookDeliveries', id, (current) => {
      if (!current || current.pendingAt === undefined || current.pendingAt > at || (current.leaseUntil ?? 0) > at) return current
      return { ...current, lease, leaseUntil: at + LEASE_MS }
    })
    if (!taken || taken.lease !== lease) return
    const webhook = await store.get<WebhookRecord>('webhooks', taken.webhookId)
    const secret = webhook && (await options.endpoints.secret(webhook.id))
    let responseStatus: number | undefined
    let error: string | undefined
    if (!webhook || !secret) error = 'The webhook was deleted.'
    else if (!webhook.enabled) error = 'The webhook is disabled.'
    else {
      try {
        responseStatus = await send(webhook, secret, taken)
        if (responseStatus < 200 || responseStatus > 299) error = `The receiver answered ${responseStatus}.`
      } catch (failure) {
        error = isSwitchboardError(failure) ? `${failure.code}: ${failure.message}` : 'The request failed.'
      }
    }
    const done = await store.update<DeliveryRecord>('webhookDeliveries', id, (current) => {
      if (!current || current.lease !== lease) return current
      const { lease: _l, leaseUntil: _u, pendingAt: _p, nextAttemptAt: _n, lastError: _e, responseStatus: _s, ...rest } = current
      const attempts = current.attempts + 1
      const base = {
        ...rest,
        attempts,
        lastAttemptAt: new Date(at).toISOString(),
        ...(responseStatus === undefined ? {} : { responseStatus }),
      }
      if (error === undefined) return { ...base, status: 'delivered' as const }
      const next = now() + backoffDelay(attempts, backoff)
      if (!webhook || next > current.giveUpAt) return { ...base, status: 'failed' as const, lastError: error }
      return { ...base, status: 'pending' as const, lastError: error, pendingAt: next, nextAttemptAt: new Date(next).toISOString() }
    })
    if (!done) return
    const outcome = done.status === 'pending' ? 'retrying' : done.status
    if (outcome === 'failed') options.log(`webhooks: gave up delivery ${id} to webhook ${done.webhookId} after ${done.attempts} attempts`)
    options.onDelivery?.({
      webhookId: done.webhookId,
      event: done.event,
      outcome,
      attempts: done.attempts,
      ...(responseStatus === undefined ? {} : { responseStatus }),
    })
  }

  /** Signs and posts the payload; the receiver's status. Its body is never read into anything kept. */
  async function send(webhook: WebhookRecord, secret: string, delivery: DeliveryRecord): Promise<number> {
    const body = JSON.stringify(delivery.payload)
    const timestamp = wallClock()
    const signature = new Signer(secret).sign(delivery.messageId, timestamp, body)
    const response = await options.http.request({
      method: 'POST',
      url: webhook.url,
      headers: {
        'content-type': 'application/json',
        'webhook-id': delivery.messageId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      responseType: 'text',
      timeoutMs: options.timeoutMs ?? 10_000,
    })
    return response.status
  }

  /** Sends every delivery due now (retries); resolves with how many were due. */
  async function pass(): Promise<number> {
    const due = await store.find<DeliveryRecord>('webhookDeliveries', 'byPending', { equals: [], range: { lte: now() }, limit: 100 })
    for (const record of due) kick(record.id)
    await idle()
    return due.length
  }

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.all([...inFlight])
  }

  const view = ({ appId: _a, seq: _s, pendingAt: _p, giveUpAt: _g, lease: _l, leaseUntil: _u, ...rest }: DeliveryRecord) =>
    rest as WebhookDelivery

  return {
    /** Sends the deliveries due now, and waits for them. */
    tick(): Promise<number> {
      ticking ??= pass().finally(() => {
        ticking = undefined
      })
      return ticking
    },
    idle,
    /** A webhook's deliveries, newest first. */
    async list(webhookId: string, limit = keep): Promise<WebhookDelivery[]> {
      const found = await store.find<DeliveryRecord>('webhookDeliveries', 'byWebhook', { equals: [webhookId], order: 'desc', limit })
      return found.map(view)
    },
    /** Sends a delivery's message again, as a new delivery. */
    async replay(webhook: WebhookRecord, deliveryId: string): Promise<WebhookDelivery> {
      const original = await store.get<DeliveryRecord>('webhookDeliveries', deliveryId)
      if (!original || original.webhookId !== webhook.id) {
        throw new SwitchboardError(404, 'delivery_not_found', `Webhook "${webhook.id}" has no delivery "${deliveryId}".`)
      }
      const event = { type: original.event, at: original.payload.timestamp, data: original.payload.data }
      const record = await enqueue(webhook, event, original)
      kick(record.id)
      return view(record)
    },
    /** Deletes a deleted webhook's deliveries. */
    async forget(webhookId: string): Promise<void> {
      for (;;) {
        const page = await store.find<DeliveryRecord>('webhookDeliveries', 'byWebhook', { equals: [webhookId], limit: 200 })
        if (page.length === 0) return
        await store.transaction(async (tx) => {
          for (const record of page) await tx.delete('webhookDeliveries', record.id)
        })
      }
    },
    /** Retries due deliveries every `tickMs` (default 10 s) until `stop`. */
    start(tickMs = 10_000): void {
      if (timer) return
      timer = setInterval(() => {
        ticking ??= pass().finally(() => {
          ticking = undefined
        })
        ticking.catch((error: unknown) => options.log(`webhooks: a pass failed: ${(error as Error).message}`))
      }, tickMs)
      timer.unref()
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      timer = undefined
      off?.()
      await ticking?.catch(() => undefined)
      await idle()
    },
  }
}

/** The deliveries' type. */
export type WebhookDeliveries = ReturnType<typeof createWebhookDeliveries>
