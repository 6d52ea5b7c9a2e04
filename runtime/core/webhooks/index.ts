export { createWebhookDeliveries, type DeliveryOutcome, type WebhookDeliveries, type WebhookDeliveryOptions } from './deliveries.ts'
export { createWebhookEndpoints, type WebhookEndpoints, type WebhookRecord, webhookSecretId } from './endpoints.ts'
