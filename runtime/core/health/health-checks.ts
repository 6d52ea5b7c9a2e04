import { randomUUID } from 'node:crypto'
import { isSwitchboardError } from '../../errors.ts'
import { backoffDelay } from '../../platform/backoff/index.ts'
import { type Store, scanAll } from '../../platform/store/index.ts'
import type { ConnectionRecord } from '../../types.ts'
import type { Catalogue } from '../catalogue/index.ts'
import type { ConnectionTests } from '../connection-tests/index.ts'
import type { ConnectionEvents } from '../events/index.ts'
import type { RefreshOutcome } from './refresh.ts'

/** A connection's place in the schedule. `lease` is held by the replica checking it now, until `leaseUntil`. */
export interface HealthCheckRecord {
  [k: string]: unknown
  /** The connection's id. */
  id: string
  appId: string
  /** Epoch ms when the next check is due. */
  dueAt: number
  /** Failed checks in a row: the wait before the next one grows with it. */
  failures: number
  lease?: string
  leaseUntil?: number
  lastCheckedAt?: string
  lastOk?: boolean
}

/** One check, as the hook for metrics and logs sees it. */
export interface HealthCheckOutcome {
  appId: string
  connectionId: string
  connectorId: string
  kind: 'test' | 'refresh'
  ok: boolean
  problem?: string
  durationMs: number
}

export interface HealthCheckOptions {
  store: Store
  catalogue: Catalogue
  clock: () => Date
  log: (line: string) => void
  tests: Pick<ConnectionTests, 'run'>
  /** Renews an OAuth2 token due before `before` (epoch ms); see `refresh.ts`. */
  refresh?: (appId: string, id: string, actor: { userId: string }, before: number) => Promise<RefreshOutcome>
  /** Seeds the schedule from connection events (created, connected), and forgets deleted connections. */
  events?: ConnectionEvents
  /** Between two checks of a connection whose connector sets no interval (default 6 hours). */
  intervalMs?: number
  /** Spread of each wait, as a fraction (default 0.1: ±10 %). */
  jitter?: number
  /** Checks run at once by one replica (default 4). */
  concurrency?: number
  /** How long a replica holds a check before another may take it over (default 5 minutes). */
  leaseMs?: number
  /** How often a replica looks for due checks once started (default 1 minute). */
  tickMs?: number
  /** How often the whole store is swept for connections not yet scheduled (default 1 hour). */
  sweepMs?: number
  random?: () => number
  onCheck?: (outcome: HealthCheckOutcome) => void
}

const HOUR = 3_600_000
/** A failing connection is checked after one interval, then two, four…, at most a day apart (or one interval if longer). */
const MAX_BACKOFF_MS = 24 * HOUR

/**
 * Background health checks: every shared connection that is connected (or failing) is re-tested on a schedule,
 * through the connection-test path, so a broken connection is noticed before a workflow finds out. The schedule
 * lives in the store (`healthChecks`), one record per connection: each replica looks for due records, and takes
 * one by writing a lease into it (a read-modify-write the store serialises), so however many replicas run, each
 * due check runs once. Waits are jittered; failing connections back off; an OAuth2 connection whose token would
 * expire before its next check is checked by renewing the token instead of by a test request. A status change
 * found by a check is told to listeners by the test path (`connection.failed`, `connection.recovered`).
 *
 * Time is the injected clock's: tests advance it and call `tick()`, with no timers involved.
 *
 * @example
 * const health = createHealthChecks({ store, catalogue, clock, log, tests, events })
 * health.start()           // looks for due checks every minute
 * await health.tick()      // or once, now
 */
export function createHealthChecks(options: HealthCheckOptions) {
  const interval = options.intervalMs ?? 6 * HOUR
  const jitter = options.jitter ?? 0.1
  const concurrency = options.concurrency ?? 4
  const leaseMs = options.leaseMs ?? 5 * 60_000
  const sweepMs = options.sweepMs ?? HOUR
  const random = options.random ?? Math.random
  for (const [name, value] of Object.entries({ interval, concurrency, leaseMs, sweepMs })) {
    if (!Number.isInteger(value) || value < 1)
      throw new TypeError(`createHealthChecks: ${name} must be a positive whole number (got ${value}).`)
  }
  if (!(jitter >= 0 && jitter < 1)) throw new TypeError(`createHealthChecks: jitter must be in [0, 1) (got ${jitter}).`)
  const { store } = options
  const now = () => options.clock().getTime()
  const spread = (ms: number) => Math.round(ms * (1 - jitter + 2 * jitter * random()))
  let sweptAt = Number.NEGATIVE_INFINITY
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined

  const off = options.events?.on(async (event) => {
    const { connectionId, appId } = event.data
    if (event.type === 'connection.deleted') await store.delete('healthChecks', connectionId)
    else if (event.type === 'connection.created' || event.type === 'connection.connected') await schedule(connectionId, appId, true)
    // Typed credentials nobody has checked yet: the next pass checks them, so the status soon says whether they work.
    else if (event.type === 'connection.untested') await schedule(connectionId, appId, true, true)
  })

  /**
   * Puts a connection on the schedule. `restart`: it was connected again, so failures before no longer count and
   * its next check is at most one interval away. `now`: due at once (untested credentials).
   */
  async function schedule(id: string, appId: string, restart: boolean, atOnce = false): Promise<void> {
    const record = await store.get<ConnectionRecord>('connections', id)
    const entry = record && (await options.catalogue.get(record.connectorId).catch(() => undefined))
    const every = intervalOf(entry?.connector.healthCheck?.intervalMinutes)
    await store.update<HealthCheckRecord>('healthChecks', id, (current) => {
      if (atOnce) return { ...(current ?? { id, appId }), dueAt: now(), failures: 0 }
      if (current && !restart) return current
      if (current) return { ...current, dueAt: Math.min(current.dueAt, now() + spread(every)), failures: 0 }
      // The first check of a connection lands anywhere in its first interval, so connections added together spread out.
      return { id, appId, dueAt: now() + Math.round(every * random()), failures: 0 }
    })
  }

  const intervalOf = (minutes: number | undefined) => (minutes === undefined ? interval : minutes * 60_000)

  /** Schedules every connection the store has that the schedule does not (made before this version, or missed). */
  async function sweep(): Promise<void> {
    const known = new Set<string>()
    for await (const record of scanAll<HealthCheckRecord>(store, 'healthChecks')) known.add(record.id)
    for await (const record of scanAll<ConnectionRecord>(store, 'connections')) {
      if (!known.has(record.id)) await schedule(record.id, record.appId, false)
    }
  }

  /** Takes the check of `id` if it is still due and nobody holds it; the lease token when taken. */
  async function claim(id: string): Promise<string | undefined> {
    const lease = randomUUID()
    const at = now()
    const taken = await store.update<HealthCheckRecord>('healthChecks', id, (current) => {
      if (!current || current.dueAt > at || (current.leaseUntil ?? 0) > at) return current
      return { ...current, lease, leaseUntil: at + leaseMs }
    })
    return taken?.lease === lease ? lease : undefined
  }

  /** Runs one claimed check and schedules the next. */
  async function check(id: string, lease: string): Promise<void> {
    const started = now()
    const record = await store.get<ConnectionRecord>('connections', id)
    if (!record) {
      await store.delete('healthChecks', id)
      return
    }
    const entry = await options.catalogue.get(record.connectorId).catch(() => undefined)
    const every = intervalOf(entry?.connector.healthCheck?.intervalMinutes)
    let ok: boolean | undefined
    let problem: string | undefined
    let kind: HealthCheckOutcome['kind'] = 'test'
    // Personal connections hold each member's own credentials, checked when they use them; a connection without
    // credentials, or expired, needs a person before any check could pass. Untested credentials are checked too.
    const eligible = entry && record.sharing === 'shared' && ['connected', 'untested', 'error'].includes(record.status)
    if (eligible) {
      const actor = { userId: record.createdBy }
      const refreshed = await options.refresh?.(record.appId, id, actor, started + every)
      if (refreshed && refreshed.kind !== 'not_due') {
        kind = 'refresh'
        ok = refreshed.kind === 'renewed'
        if (refreshed.kind === 'failed') problem = refreshed.problem
      } else if (entry.connector.test) {
        try {
          const result = await options.tests.run(record.appId, id, actor)
          ok = result.ok
          if (result.problem) problem = result.problem
        } catch (error) {
          ok = false
          problem = isSwitchboardError(error) ? error.code : 'internal_error'
          options.log(`health: checking connection ${id} failed: ${isSwitchboardError(error) ? error.message : 'internal error'}`)
        }
      }
    }
    const failed = ok === false
    await store.update<HealthCheckRecord>('healthChecks', id, (current) => {
      if (!current || current.lease !== lease) return current
      const failures = failed ? current.failures + 1 : 0
      const wait = failed ? backoffDelay(failures, { baseMs: every, maxMs: Math.max(every, MAX_BACKOFF_MS) }) : every
      const { lease: _l, leaseUntil: _u, ...rest } = current
      return {
        ...rest,
        dueAt: now() + spread(wait),
        failures,
        ...(ok === undefined ? {} : { lastCheckedAt: new Date(started).toISOString(), lastOk: ok }),
      }
    })
    if (ok !== undefined) {
      const outcome = { appId: record.appId, connectionId: id, connectorId: record.connectorId, kind, ok, durationMs: now() - started }
      options.onCheck?.(problem ? { ...outcome, problem } : outcome)
    }
  }

  /** One pass: schedules what is missing (now and then), then runs every due check this replica can take. */
  async function pass(): Promise<number> {
    if (now() - sweptAt >= sweepMs) {
      sweptAt = now()
      await sweep()
    }
    let ran = 0
    for (;;) {
      const due = await store.find<HealthCheckRecord>('healthChecks', 'byDue', { equals: [], range: { lte: now() }, limit: 100 })
      const free = due.filter((r) => (r.leaseUntil ?? 0) <= now())
      if (free.length === 0) return ran
      let next = 0
      let taken = 0
      const worker = async () => {
        while (next < free.length) {
          const id = free[next++]!.id
          const lease = await claim(id)
          if (!lease) continue
          taken += 1
          await check(id, lease).catch((error: unknown) => options.log(`health: check of ${id} stopped: ${(error as Error).message}`))
        }
      }
      await Promise.all(Array.from({ length: Math.min(concurrency, free.length) }, worker))
      ran += taken
      // Nothing taken: the rest are another replica's now.
      if (taken === 0) return ran
    }
  }

  /** Runs the checks due now (one pass at a time per replica); resolves with how many this replica ran. */
  function tick(): Promise<number> {
    running ??= pass().finally(() => {
      running = undefined
    })
    return running
  }

  return {
    tick,
    /** Looks for due checks every `tickMs` (default a minute) until `stop`. */
    start(): void {
      if (timer) return
      timer = setInterval(() => {
        tick().catch((error: unknown) => options.log(`health: a pass failed: ${(error as Error).message}`))
      }, options.tickMs ?? 60_000)
      timer.unref()
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      timer = undefined
      off?.()
      await running?.catch(() => undefined)
    },
  }
}

/** The health checks' type. */
export type HealthChecks = ReturnType<typeof createHealthChecks>
