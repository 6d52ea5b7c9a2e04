/**
 * `Store.limits` on PostgreSQL: rate-limit state every replica shares. Pacing is one row per key holding its
 * next turn (GCRA), reserved in one `INSERT … ON CONFLICT DO UPDATE … RETURNING` (the row lock orders replicas;
 * the database's clock is the one clock). Concurrency is one row per taken slot with a lease the holder renews:
 * a replica that dies lets its slots go when their leases end. Both tables are UNLOGGED (a crash may forget who
 * waits for what, never more) and made on first use, so a database whose connectors declare no limits has
 * neither; they are not collections: nothing reads them as records.
 */
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { LimitState, PaceRule, Pacing, Slot } from '../../limits/index.ts'
import { SCHEMA } from './schema.ts'

const TURNS = `${SCHEMA}.rate_turns`
const SLOTS = `${SCHEMA}.rate_slots`
/** A slot's lease, renewed at a third of it while held. */
const LEASE_MS = 60_000
/** Rows whose turn passed this long ago are dropped now and then. */
const STALE_MS = 3_600_000

const NOW = `(extract(epoch FROM clock_timestamp()) * 1000)`

const SETUP = `SELECT pg_advisory_xact_lock(hashtextextended('switchboard:rate-limit-tables', 0));
CREATE UNLOGGED TABLE IF NOT EXISTS ${TURNS} (key text PRIMARY KEY, tat double precision NOT NULL, ok boolean NOT NULL,
  at double precision NOT NULL);
CREATE UNLOGGED TABLE IF NOT EXISTS ${SLOTS} (key text NOT NULL, slot integer NOT NULL, holder text NOT NULL,
  until double precision NOT NULL, PRIMARY KEY (key, slot));`

// $1 key, $2 spacing, $3 tolerance, $4 longest wait. The turn is the later of the stored one and now; a request may
// go `tolerance` before it; it is admitted when that is at most the longest wait away, and the turn moves on.
const RESERVE = `WITH n AS (SELECT ${NOW} AS t)
INSERT INTO ${TURNS} AS r (key, tat, ok, at) SELECT $1, n.t + $2::float8, true, n.t FROM n
ON CONFLICT (key) DO UPDATE SET
  ok = greatest(r.tat, EXCLUDED.at) - $3::float8 - EXCLUDED.at <= $4::float8,
  tat = CASE WHEN greatest(r.tat, EXCLUDED.at) - $3::float8 - EXCLUDED.at <= $4::float8
    THEN greatest(r.tat, EXCLUDED.at) + $2::float8 ELSE r.tat END,
  at = EXCLUDED.at
RETURNING tat, ok, at`

// $1 key, $2 hold + tolerance.
const HOLD = `WITH n AS (SELECT ${NOW} AS t)
INSERT INTO ${TURNS} AS r (key, tat, ok, at) SELECT $1, n.t + $2::float8, true, n.t FROM n
ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, EXCLUDED.tat), at = EXCLUDED.at`

// $1 key, $2 slots, $3 holder, $4 lease. A free slot (none, or its lease over) picked at random, so replicas
// asking at once rarely pick the same; one that lost the race for it gets no row and asks again.
const ACQUIRE = `WITH n AS (SELECT ${NOW} AS t),
free AS (SELECT s FROM generate_series(0, $2::int - 1) s, n
  WHERE NOT EXISTS (SELECT 1 FROM ${SLOTS} x WHERE x.key = $1 AND x.slot = s AND x.until > n.t) ORDER BY random() LIMIT 1)
INSERT INTO ${SLOTS} AS x (key, slot, holder, until) SELECT $1, free.s, $3, n.t + $4::float8 FROM free, n
ON CONFLICT (key, slot) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until WHERE x.until <= EXCLUDED.until - $4::float8
RETURNING slot`

const RENEW = `UPDATE ${SLOTS} SET until = ${NOW} + $4::float8 WHERE key = $1 AND slot = $2 AND holder = $3`
const RELEASE = `DELETE FROM ${SLOTS} WHERE key = $1 AND slot = $2 AND holder = $3`
const PRUNE = `DELETE FROM ${TURNS} WHERE tat < ${NOW} - ${STALE_MS}; DELETE FROM ${SLOTS} WHERE until < ${NOW} - ${STALE_MS}`

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))

/**
 * The shared limit state over `pool`; `run` maps database failures as every other store operation does.
 *
 * @example
 * const limits = createPostgresLimits(pool, (what, fn) => run(what, fn))
 * await limits.reserve('rl:github:c_1/', { spacingMs: 100, toleranceMs: 0, maxWaitMs: 2000 })
 */
export function createPostgresLimits(pool: pg.Pool, run: <R>(what: string, fn: () => Promise<R>) => Promise<R>): LimitState {
  let ready: Promise<unknown> | undefined
  let uses = 0
  const query = async <R extends pg.QueryResultRow>(sql: string, values: unknown[]) => {
    ready ??= Promise.all([pool.query(`BEGIN; ${SETUP} COMMIT`), probe()]).catch((error) => {
      ready = undefined
      throw error
    })
    await ready
    // Now and then, rows nobody has used for an hour go.
    if (++uses % 5000 === 0) void pool.query(PRUNE).catch(() => {})
    return pool.query<R>(sql, values)
  }

  const tryAcquire = async (key: string, max: number): Promise<Slot | undefined> => {
    const holder = randomUUID()
    const { rows } = await query<{ slot: number }>(ACQUIRE, [key, max, holder, LEASE_MS])
    const slot = rows[0]?.slot
    if (slot === undefined) return undefined
    const renew = setInterval(() => void pool.query(RENEW, [key, slot, holder, LEASE_MS]).catch(() => {}), LEASE_MS / 3)
    renew.unref()
    let released = false
    return {
      release() {
        if (released) return
        released = true
        clearInterval(renew)
        void pool.query(RELEASE, [key, slot, holder]).catch(() => {})
      },
    }
  }

  // Turns are times on the database's clock; this process waits for them on its own monotonic clock. The offset
  // between the two is estimated as NTP does (RFC 5905 §8): the middle of a query's round trip less the database
  // time it read, keeping the estimate whose round trip was shortest (the least uncertain), which ages so that
  // drift between the clocks is followed. Probed a few times before the first turn: a turn computed from a poor
  // estimate would go out late, and bunch up with the turns after it.
  let clock = { offset: 0, uncertainty: Number.POSITIVE_INFINITY, at: 0 }
  const sample = (sentAt: number, dbTime: number, answeredAt: number) => {
    const uncertainty = (answeredAt - sentAt) / 2
    const aged = clock.uncertainty + (answeredAt - clock.at) * 1e-3
    if (uncertainty <= aged) clock = { offset: (sentAt + answeredAt) / 2 - dbTime, uncertainty, at: answeredAt }
  }
  const probe = async () => {
    for (let i = 0; i < 5; i++) {
      const sentAt = performance.now()
      const { rows } = await pool.query<{ t: number }>(`SELECT ${NOW}::float8 AS t`)
      sample(sentAt, rows[0]!.t, performance.now())
    }
  }

  return {
    reserve: (key: string, rule: PaceRule): Promise<Pacing> =>
      run('rate limit', async () => {
        const sentAt = performance.now()
        const { rows } = await query<{ tat: number; ok: boolean; at: number }>(RESERVE, [
          key,
          rule.spacingMs,
          rule.toleranceMs,
          rule.maxWaitMs,
        ])
        const now = performance.now()
        const { tat, ok, at } = rows[0]!
        sample(sentAt, at, now)
        const goAt = clock.offset + (ok ? tat - rule.spacingMs - rule.toleranceMs : tat - rule.toleranceMs - rule.maxWaitMs)
        return { admitted: ok, waitMs: Math.max(0, goAt - now) }
      }),
    hold: (key: string, ms: number, toleranceMs: number) =>
      run('rate limit hold', async () => {
        await query(HOLD, [key, ms + toleranceMs])
      }),
    acquire: (key: string, max: number, waitMs: number) =>
      run('concurrency limit', async () => {
        const until = performance.now() + waitMs
        // Slots are asked for again and again while waiting: 10 ms at first, then less often, up to 100 ms.
        for (let pause = 10; ; pause = Math.min(pause * 2, 100)) {
          const slot = await tryAcquire(key, max)
          if (slot) return slot
          const left = until - performance.now()
          if (left <= 0) return undefined
          await sleep(Math.min(pause, left))
        }
      }),
  }
}
