export {
  aboutConnection,
  type ConnectionEvent,
  type ConnectionEvents,
  type ConnectionEventType,
  createConnectionEvents,
  type EventListener,
} from './events.ts'
