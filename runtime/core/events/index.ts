export {
  aboutConnection,
  type ConnectionEvent,
  type ConnectionEvents,
  type ConnectionEventType,
  createConnectionEvents,
  type EventListener,
  isWebhookEvent,
} from './events.ts'
