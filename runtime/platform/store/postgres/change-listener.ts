/**
 * `Store.subscribe` for every process on the database: the tables' triggers `pg_notify` each committed change,
 * and one connection of this process LISTENs (https://www.postgresql.org/docs/current/sql-listen.html). That
 * connection is watched (a heartbeat, keepalive) and opened again after a drop, with backoff; notifications sent
 * while it was away are lost, so coming back is reported as `{ collection: '*' }`.
 */
import pg from 'pg'
import type { CollectionName, StoreChange } from '../contract.ts'
import type { CheckedOptions } from './options.ts'
import { CHANGE_CHANNEL, TABLES } from './schema.ts'

const HEARTBEAT_MS = 10_000
const MAX_BACKOFF_MS = 5_000

/** What the trigger sends, `<collection>:<id>` or `*`, as a change; undefined for anything else. */
export function parsePayload(payload: string | undefined): StoreChange | undefined {
  if (payload === '*') return { collection: '*' }
  const colon = payload?.indexOf(':') ?? -1
  if (colon < 1) return undefined
  const collection = payload!.slice(0, colon) as CollectionName
  return TABLES.has(collection) ? { collection, id: payload!.slice(colon + 1) } : undefined
}

/**
 * Starts listening (resolves once LISTEN is in place, so no change committed afterwards is missed) and calls
 * `emit` with every change until `close`.
 *
 * @example
 * const listener = await startChangeListener(options, (change) => cache.drop(change))
 * await listener.close()
 */
export async function startChangeListener(options: CheckedOptions, emit: (change: StoreChange) => void): Promise<{ close(): Promise<void> }> {
  let closed = false
  let client: pg.Client | undefined
  let heartbeat: NodeJS.Timeout | undefined
  let retry: NodeJS.Timeout | undefined
  let failures = 0

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: options.url,
      application_name: 'switchboard-listener',
      connectionTimeoutMillis: options.connectTimeoutMs,
      query_timeout: options.connectTimeoutMs,
      keepAlive: true,
    })
    // Registered before connecting: an error event without a listener would end the process.
    next.on('error', () => drop(next))
    next.on('end', () => drop(next))
    next.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL) return
      const change = parsePayload(message.payload)
      if (change !== undefined) emit(change)
    })
    try {
      await next.connect()
      await next.query(`LISTEN ${CHANGE_CHANNEL}`)
    } catch (error) {
      next.removeAllListeners('end')
      await next.end().catch(() => {})
      throw error
    }
    if (closed) return void (await next.end().catch(() => {}))
    client = next
    heartbeat = setInterval(() => void next.query('SELECT 1').catch(() => drop(next)), HEARTBEAT_MS).unref()
  }

  const drop = (dropped: pg.Client) => {
    if (client !== dropped) return
    client = undefined
    clearInterval(heartbeat)
    void dropped.end().catch(() => {})
    if (closed) return
    options.log('warn', `Lost the connection listening for changes to ${options.target}; connecting again.`)
    reconnect()
  }

  const reconnect = () => {
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures) * (0.5 + Math.random() / 2)
    retry = setTimeout(() => {
      connect().then(
        () => {
          if (closed) return
          failures = 0
          options.log('info', `Listening for changes to ${options.target} again; caches start over.`)
          emit({ collection: '*' })
        },
        () => {
          failures++
          if (!closed) reconnect()
        },
      )
    }, delay)
    retry.unref()
  }

  await connect()
  return {
    async close() {
      closed = true
      clearTimeout(retry)
      clearInterval(heartbeat)
      const last = client
      client = undefined
      await last?.end().catch(() => {})
    },
  }
}
