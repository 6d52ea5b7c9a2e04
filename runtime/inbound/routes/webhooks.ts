import { Hono } from 'hono'
import type { CreateWebhook, UpdateWebhook, WebhookDeliveryList, WebhookList } from '../../../schemas/types/api.ts'
import type { WebhookDeliveries, WebhookEndpoints, WebhookRecord } from '../../core/webhooks/index.ts'
import { appOf, audited, idParam, type Policy, type RouteEnv } from '../access/index.ts'
import { readBody } from './body.ts'

/** A webhook's audit entry: where it sends and which events, never its secret. */
const entry = (event: 'webhook.created' | 'webhook.updated' | 'webhook.deleted', webhook: WebhookRecord) => ({
  event,
  details: { webhookId: webhook.id, url: webhook.url, events: webhook.events, enabled: webhook.enabled },
})

/**
 * `/api/apps/:appId/webhooks`: an app's event webhooks (app admins). Adding one answers its signing secret, once;
 * its deliveries can be listed and replayed.
 *
 * @example
 * app.route('/api/apps/:appId/webhooks', webhookRoutes({ policy, endpoints, deliveries }))
 */
export function webhookRoutes(deps: { policy: Policy; endpoints: WebhookEndpoints; deliveries: WebhookDeliveries }) {
  const { policy, endpoints, deliveries } = deps
  const webhookId = (c: Parameters<typeof appOf>[0]) => idParam(c, 'webhookId', 'webhook')
  return new Hono<RouteEnv>()
    .get('/', policy({ role: 'admin', what: 'list webhooks' }), async (c) =>
      c.json<WebhookList>({ webhooks: await endpoints.list(appOf(c).id) }),
    )
    .post('/', policy({ role: 'admin', what: 'add webhooks', audit: 'webhook.created' }), async (c) => {
      const body = await readBody<CreateWebhook>(c, 'CreateWebhook')
      const made = await endpoints.create(appOf(c).id, body, c.get('user').id)
      await audited(c, entry('webhook.created', made.webhook))
      return c.json(made, 201)
    })
    .get('/:webhookId', policy({ role: 'admin', what: 'read webhooks' }), async (c) =>
      c.json(await endpoints.get(appOf(c).id, webhookId(c))),
    )
    .patch('/:webhookId', policy({ role: 'admin', what: 'change webhooks', audit: 'webhook.updated' }), async (c) => {
      const body = await readBody<UpdateWebhook>(c, 'UpdateWebhook')
      const changed = await endpoints.update(appOf(c).id, webhookId(c), body)
      await audited(c, entry('webhook.updated', changed))
      return c.json(changed)
    })
    .delete('/:webhookId', policy({ role: 'admin', what: 'delete webhooks', audit: 'webhook.deleted' }), async (c) => {
      const gone = await endpoints.delete(appOf(c).id, webhookId(c))
      await deliveries.forget(gone.id)
      await audited(c, entry('webhook.deleted', gone))
      return c.body(null, 204)
    })
    .get('/:webhookId/deliveries', policy({ role: 'admin', what: "read webhooks' deliveries" }), async (c) => {
      const webhook = await endpoints.get(appOf(c).id, webhookId(c))
      return c.json<WebhookDeliveryList>({ deliveries: await deliveries.list(webhook.id) })
    })
    .post('/:webhookId/deliveries/:deliveryId/replay', policy({ role: 'admin', what: 'replay webhook deliveries' }), async (c) => {
      const webhook = await endpoints.get(appOf(c).id, webhookId(c))
      return c.json(await deliveries.replay(webhook, idParam(c, 'deliveryId', 'delivery')), 202)
    })
}
