/**
 * `Store.subscribe` for every process on the database. Each write logs its change in `switchboard.changes`
 * under its transaction id, in the same transaction (a trigger); this feed reads that log on a connection of
 * its own. It reads every record up to the snapshot's xmin, the oldest transaction still running: everything
 * below it has ended, so a change committed later can never appear below what was read
 * (https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-PG-SNAPSHOT). It reads when a writer
 * wakes it (NOTIFY after commit, https://www.postgresql.org/docs/current/sql-listen.html), and every second
 * regardless, so a writer that died before waking anyone is heard too. A lost connection is opened again with
 * backoff; what happened meanwhile is reported as `{ collection: '*' }`.
 */
import pg from 'pg'
import type { CollectionName, StoreChange } from '../contract.ts'
import type { CheckedOptions } from './options.ts'
import { CHANGE_CHANNEL, SCHEMA, TABLES } from './schema.ts'

const POLL_MS = 1_000
const WAKE_MS = 5
const MAX_BACKOFF_MS = 5_000
/** The log keeps what every live reader has read long ago (readers read every second). */
const KEEP_MS = 120_000

const READ = `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)
  SELECT h.x::text AS horizon, c.collection, c.id FROM h
  LEFT JOIN ${SCHEMA}.changes c ON c.xid >= $1::xid8 AND c.xid < h.x
  ORDER BY c.xid`

/**
 * Starts the feed (resolves once it is in place: any change committed afterwards is reported) and calls `emit`
 * with every change until `close`. `wake` is for this process's own writes: read now, and tell the others.
 *
 * @example
 * const feed = await startChangeFeed(options, pool, (change) => cache.drop(change))
 * feed.wake() // after a commit
 */
export async function startChangeFeed(options: CheckedOptions, pool: pg.Pool, emit: (change: StoreChange) => void) {
  let closed = false
  let client: pg.Client | undefined
  let horizon = '0'
  let timer: NodeJS.Timeout | undefined
  let retry: NodeJS.Timeout | undefined
  let failures = 0
  let reading: Promise<void> | undefined
  let readAgain = false
  const horizons: { at: number; horizon: string }[] = []

  const read = (): Promise<void> | undefined => {
    if (reading !== undefined) return void (readAgain = true)
    const current = client
    if (current === undefined) return
    reading = (async () => {
      do {
        readAgain = false
        const { rows } = await current.query<{ horizon: string; collection: CollectionName | null; id: string | null }>(READ, [horizon])
        horizon = rows[0]!.horizon
        for (const row of rows) if (row.collection !== null && TABLES.has(row.collection)) emit({ collection: row.collection, id: row.id! })
      } while (readAgain && !closed)
      await prune(current)
    })()
      .catch(() => drop(current))
      .finally(() => (reading = undefined))
    return reading
  }

  const prune = async (current: pg.Client) => {
    const now = Date.now()
    if (horizons.length === 0 || now - horizons.at(-1)!.at > KEEP_MS / 4) horizons.push({ at: now, horizon })
    if (now - horizons[0]!.at < KEEP_MS) return
    const old = horizons.shift()!
    await current.query(`DELETE FROM ${SCHEMA}.changes WHERE xid < $1::xid8`, [old.horizon])
  }

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: options.url,
      application_name: 'switchboard-listener',
      connectionTimeoutMillis: options.connectTimeoutMs,
      keepAlive: true,
    })
    // Registered before connecting: an error event without a listener would end the process.
    next.on('error', () => drop(next))
    next.on('end', () => drop(next))
    next.on('notification', (message) => void (message.channel === CHANGE_CHANNEL && read()))
    try {
      await next.connect()
      await next.query(`LISTEN ${CHANGE_CHANNEL}`)
      horizon = (await next.query<{ x: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x')).rows[0]!.x
    } catch (error) {
      next.removeAllListeners('end')
      await next.end().catch(() => {})
      throw error
    }
    if (closed) return void (await next.end().catch(() => {}))
    client = next
    timer = setInterval(() => void read(), POLL_MS).unref()
  }

  const drop = (dropped: pg.Client) => {
    if (client !== dropped) return
    client = undefined
    clearInterval(timer)
    void dropped.end().catch(() => {})
    if (closed) return
    options.log('warn', `Lost the connection reading changes from ${options.target}; connecting again.`)
    reconnect()
  }

  const reconnect = () => {
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures) * (0.5 + Math.random() / 2)
    retry = setTimeout(() => {
      connect().then(
        () => {
          if (closed) return
          failures = 0
          options.log('info', `Reading changes from ${options.target} again; caches start over.`)
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

  // Waking the other processes: one NOTIFY for any number of commits meanwhile, committed without waiting for
  // the WAL flush (it carries nothing to keep), so it holds NOTIFY's commit lock only for an instant.
  let waking: Promise<void> | undefined
  let wakeAgain = false
  const notifyOthers = () => {
    if (waking !== undefined) return void (wakeAgain = true)
    waking = (async () => {
      do {
        wakeAgain = false
        await pool.query(`BEGIN; SET LOCAL synchronous_commit = off; NOTIFY ${CHANGE_CHANNEL}; COMMIT`).catch(() => {})
      } while (wakeAgain && !closed)
    })().finally(() => (waking = undefined))
  }

  // Commits come in bursts: one read and one NOTIFY for all of those within a few milliseconds.
  let woken: NodeJS.Timeout | undefined
  const wakeNow = () => {
    woken = undefined
    if (closed) return
    void read()
    notifyOthers()
  }

  await connect()
  return {
    /** After a commit of this process: report it here within milliseconds, and wake the other processes. */
    wake() {
      if (!closed && woken === undefined) woken = setTimeout(wakeNow, WAKE_MS)
    },
    async close() {
      closed = true
      clearTimeout(woken)
      clearTimeout(retry)
      clearInterval(timer)
      await Promise.allSettled([reading, waking])
      const last = client
      client = undefined
      await last?.end().catch(() => {})
    },
  }
}
