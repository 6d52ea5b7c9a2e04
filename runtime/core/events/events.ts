import type { WebhookEvent, WebhookPayload } from '../../../schemas/types/api.ts'

/**
 * The name of a connection event: the webhook event names, and `connection.untested` (credentials were typed in,
 * nothing has checked them yet), which only the runtime's own listeners hear: it asks the health checks for a
 * check soon. `connection.connected` means verified: a provider issued the credentials, or a test passed.
 */
export type ConnectionEventType = WebhookEvent | 'connection.untested'

/** Whether an event is one webhooks can be sent (every event but the runtime's own `connection.untested`). */
export function isWebhookEvent(type: ConnectionEventType): type is WebhookEvent {
  return type !== 'connection.untested'
}

/**
 * Something that happened to a connection, as listeners (webhooks, the audit trail, metrics) are told: ids, the
 * name, the status after it and an outcome code. Never a value, a header or a body: whatever a listener sends on
 * carries no secret because there is none here.
 */
export interface ConnectionEvent {
  type: ConnectionEventType
  at: string
  data: WebhookPayload['data']
}

/** A listener; what it returns is awaited by {@link ConnectionEvents.emit}, its failure is logged, not thrown. */
export type EventListener = (event: ConnectionEvent) => unknown

/**
 * The runtime's connection events: the lifecycle, the token engine and the health checks emit; webhooks, the
 * audit trail and metrics listen. One process's bus: each replica emits what it did itself, so an event is told
 * once across replicas. A failing listener never fails what emitted the event.
 *
 * @example
 * const events = createConnectionEvents({ log })
 * const off = events.on((e) => console.log(e.type, e.data.connectionId))
 * await events.emit({ type: 'connection.failed', at, data: { appId, connectionId, connectorId, connectionName } })
 */
export function createConnectionEvents(options: { log?: (line: string) => void } = {}) {
  const listeners = new Set<EventListener>()
  return {
    on(listener: EventListener): () => void {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    /** Tells every listener and waits for them; never throws. */
    async emit(event: ConnectionEvent): Promise<void> {
      await Promise.all(
        [...listeners].map(async (listener) => {
          try {
            await listener(event)
          } catch (error) {
            options.log?.(`events: a listener of ${event.type} failed: ${(error as Error).message}`)
          }
        }),
      )
    },
  }
}

/** The event bus's type. */
export type ConnectionEvents = ReturnType<typeof createConnectionEvents>

/** What an event's data says of a connection record. */
export function aboutConnection(record: {
  id: string
  appId: string
  connectorId: string
  name: string
  status?: string
}): ConnectionEvent['data'] {
  return {
    appId: record.appId,
    connectionId: record.id,
    connectorId: record.connectorId,
    connectionName: record.name,
    ...(record.status === undefined ? {} : { status: record.status }),
  }
}
