import type { CreateWebhook, UpdateWebhook, Webhook, WebhookDelivery, WebhookEvent } from '../../../schemas/types/api.ts'
import { call } from './api.ts'

export type { Webhook, WebhookDelivery, WebhookEvent }

/** The events a webhook can ask for (the API schema's `WebhookEvent`), with what each means in words. */
export const WEBHOOK_EVENTS: ReadonlyArray<{ event: WebhookEvent; label: string }> = [
  { event: 'connection.failed', label: 'A connection stopped working (a check failed)' },
  { event: 'connection.expired', label: "A connection's grant expired or was revoked" },
  { event: 'connection.recovered', label: 'A failing connection works again' },
  { event: 'refresh.failed', label: 'A token refresh failed' },
  { event: 'connection.connected', label: 'A connection works: signed in, or its credentials passed their first test' },
  { event: 'connection.created', label: 'A connection was added' },
  { event: 'connection.deleted', label: 'A connection was deleted' },
]

/**
 * An app's webhooks and their deliveries, typed from the API contract. Every call throws `ApiError` on failure.
 *
 * @example
 * const { webhook, secret } = await webhooks.create('default', { url, events: ['connection.failed'] })
 */
export const webhooks = {
  list: async (appId: string) => (await call('GET /api/apps/:appId/webhooks', { params: { appId } })).webhooks,
  create: (appId: string, body: CreateWebhook) => call('POST /api/apps/:appId/webhooks', { params: { appId }, body }),
  update: (appId: string, webhookId: string, body: UpdateWebhook) =>
    call('PATCH /api/apps/:appId/webhooks/:webhookId', { params: { appId, webhookId }, body }),
  remove: (appId: string, webhookId: string) => call('DELETE /api/apps/:appId/webhooks/:webhookId', { params: { appId, webhookId } }),
  deliveries: async (appId: string, webhookId: string) =>
    (await call('GET /api/apps/:appId/webhooks/:webhookId/deliveries', { params: { appId, webhookId } })).deliveries,
  replay: (appId: string, webhookId: string, deliveryId: string) =>
    call('POST /api/apps/:appId/webhooks/:webhookId/deliveries/:deliveryId/replay', { params: { appId, webhookId, deliveryId } }),
}
