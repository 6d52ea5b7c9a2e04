import { randomBytes } from 'node:crypto'
import type { CreateWebhook, UpdateWebhook, Webhook } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import type { KeyRing } from '../../platform/crypto/index.ts'
import { assertUrlAllowed, type HttpClient } from '../../platform/http/index.ts'
import type { Store } from '../../platform/store/index.ts'
import type { CredentialRecord } from '../../types.ts'
import { openCredentials, putCredentials } from '../connections/index.ts'

/** A webhook as stored: the API view; its secret is sealed apart, in `credentials`. */
export interface WebhookRecord extends Webhook {
  [k: string]: unknown
}

/**
 * The id (and sealing binding) of the sealed record holding a webhook's signing secret. A colon never occurs in
 * connection ids, so it cannot collide with a connection's credentials; key rotation re-seals it with them.
 */
export function webhookSecretId(webhookId: string): string {
  return `webhook:${webhookId}`
}

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/**
 * An app's webhook endpoints: add (the signing secret is made here, sealed with the key ring and answered once),
 * list, read, change, delete. A URL is held to the outbound address rules when it is registered (an address the
 * outbound client would refuse is refused now, with the same code) and again at every delivery.
 *
 * @example
 * const webhooks = createWebhookEndpoints({ store, keyRing, http, clock, newId })
 * const { webhook, secret } = await webhooks.create('default', { url, events: ['connection.failed'] }, 'owner')
 */
export function createWebhookEndpoints(deps: {
  store: Store
  keyRing: KeyRing
  http: Pick<HttpClient, 'allowedHosts'>
  clock: () => Date
  newId: (prefix: string) => string
}) {
  const { store } = deps
  const checkUrl = (url: string) => void assertUrlAllowed(url, deps.http.allowedHosts)

  async function get(appId: string, id: string): Promise<WebhookRecord> {
    const record = await store.get<WebhookRecord>('webhooks', id)
    if (!record || record.appId !== appId) throw new SwitchboardError(404, 'webhook_not_found', `App "${appId}" has no webhook "${id}".`)
    return record
  }

  return {
    get,
    async list(appId: string): Promise<WebhookRecord[]> {
      return store.find<WebhookRecord>('webhooks', 'byApp', { equals: [appId] })
    },

    async create(appId: string, body: CreateWebhook, userId: string): Promise<{ webhook: WebhookRecord; secret: string }> {
      checkUrl(body.url)
      const at = deps.clock().toISOString()
      const webhook: WebhookRecord = {
        id: deps.newId('wh'),
        appId,
        url: body.url,
        events: body.events,
        ...(body.description === undefined ? {} : { description: body.description }),
        enabled: true,
        createdAt: at,
        updatedAt: at,
        createdBy: userId,
      }
      const secret = newSecret()
      await store.transaction(async (tx) => {
        await tx.insert('webhooks', webhook)
        await putCredentials(
          tx,
          deps.keyRing,
          { id: webhookSecretId(webhook.id), authMethod: 'webhook' },
          undefined,
          { values: { secret } },
          at,
        )
      })
      return { webhook, secret }
    },

    async update(appId: string, id: string, body: UpdateWebhook): Promise<WebhookRecord> {
      await get(appId, id)
      if (body.url !== undefined) checkUrl(body.url)
      const next = await store.update<WebhookRecord>('webhooks', id, (current) => {
        if (!current) return current
        const changed: WebhookRecord = { ...current, ...body, updatedAt: deps.clock().toISOString() }
        return changed
      })
      if (!next) throw new SwitchboardError(404, 'webhook_not_found', `App "${appId}" has no webhook "${id}".`)
      return next
    },

    /** Deletes the webhook and its secret; its deliveries go with them (see the deliveries' `forget`). */
    async delete(appId: string, id: string): Promise<WebhookRecord> {
      const record = await get(appId, id)
      await store.transaction(async (tx) => {
        await tx.delete('webhooks', id)
        await tx.delete('credentials', webhookSecretId(id))
      })
      return record
    },

    /** The signing secret, for a delivery; undefined once the webhook is gone. */
    async secret(id: string): Promise<string | undefined> {
      const sealed = await store.get<CredentialRecord>('credentials', webhookSecretId(id))
      return sealed ? openCredentials(deps.keyRing, sealed).values.secret : undefined
    },
  }
}

/** The webhook endpoints' type. */
export type WebhookEndpoints = ReturnType<typeof createWebhookEndpoints>
