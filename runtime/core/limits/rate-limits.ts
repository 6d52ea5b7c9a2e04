import { createHash } from 'node:crypto'
import { renderTemplate } from '../../../schemas/template/index.ts'
import type { Connector, RateLimits as Declared } from '../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../errors.ts'
import type { RawHeaders } from '../../platform/http/index.ts'
import { createLocalLimits, holdFromHeaders, type LimitState, type PaceRule } from '../../platform/limits/index.ts'
import type { FieldValue } from '../../types.ts'
import { type Gate, gatedHttp } from './gated-http.ts'

/** Why a request waited, or was refused: the connector's pace, its concurrency, or the API's own headers. */
export type WaitReason = 'pace' | 'concurrency' | 'api'

/** One wait (or refusal), for metrics. */
export interface RateLimitWait {
  connectorId: string
  reason: WaitReason
  waitedMs: number
  refused: boolean
}

/** What a use knows of its connection: whose credential it is. */
export interface LimitTarget {
  loaded: { record: { id: string } }
  owner: string | undefined
}

const DEFAULT_MAX_WAIT_MS = 2000
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))
const noop = () => {}

/**
 * Rate limits for connections: what a connector declares (`rateLimits`: requests per interval, concurrency, per
 * connection or per account), kept in the store's shared state when it has one (PostgreSQL: every replica counts
 * alike) or in this process; and what an API says through its own headers (`Retry-After`, a used-up
 * `RateLimit`/`X-RateLimit` budget), which holds the connection's next requests back until then. A request waits
 * for its turn at most `maxWaitMs`, then is answered 429 `rate_limited` with `Retry-After`. A connector that
 * declares no limits costs a map lookup per request and a few header lookups per answer: nothing is stored.
 *
 * @example
 * const limits = createRateLimits({ shared: store.limits, onWait: (w) => metrics.rateLimitWaits.inc(w) })
 * const gate = limits.gate(connector, target, values) // undefined: nothing to wait for
 */
export function createRateLimits(options: { shared?: LimitState | undefined; onWait?: (wait: RateLimitWait) => void } = {}) {
  const local = createLocalLimits()
  const state = options.shared ?? local
  const onWait = options.onWait ?? noop
  /** Holds the API asked for on connections whose connector declares no limits, in this process: key → until. */
  const apiHolds = new Map<string, number>()

  const refuse = (connector: Connector, reason: WaitReason, waitMs: number, what: string): never => {
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000))
    onWait({ connectorId: connector.id, reason, waitedMs: 0, refused: true })
    throw new SwitchboardError(429, 'rate_limited', `${what} Try again in ${retryAfterSeconds} s, or spread the requests out.`, {
      details: { retryAfterSeconds, reason },
    })
  }

  /** A gate for a connection whose connector declares limits. */
  function declaredGate(connector: Connector, declared: Declared, key: string): Gate {
    const maxWaitMs = declared.maxWaitMs ?? DEFAULT_MAX_WAIT_MS
    const spacingMs = declared.requests ? (declared.intervalMs ?? 1000) / declared.requests : 0
    const rule: PaceRule = { spacingMs, toleranceMs: ((declared.burst ?? 1) - 1) * spacingMs, maxWaitMs }
    const paced = declared.requests !== undefined
    const sentKey = `${key}#sent`
    const sendRule: PaceRule = { ...rule, maxWaitMs: 0 }
    const name = `"${connector.name}"`
    return {
      holdsSlots: declared.concurrency !== undefined,
      async enter() {
        const started = performance.now()
        if (paced) {
          const pacing = await state.reserve(key, rule)
          if (!pacing.admitted)
            refuse(
              connector,
              'pace',
              pacing.waitMs,
              `${name} takes ${declared.requests} requests per ${declared.intervalMs ?? 1000} ms, ` +
                `and this one would have waited longer than ${maxWaitMs} ms.`,
            )
          if (pacing.waitMs > 0) {
            await sleep(pacing.waitMs)
            onWait({ connectorId: connector.id, reason: 'pace', waitedMs: pacing.waitMs, refused: false })
          }
          // A turn keeps the order and bounds the wait, but a request may wake late (a busy process, a replica the
          // machine left waiting) and then go out right behind the one after it. So the send itself is paced too,
          // at the moment it would go: it goes only if the last send was a spacing ago, else waits that long.
          for (;;) {
            const now = await state.reserve(sentKey, sendRule)
            if (now.admitted) break
            await sleep(now.waitMs)
          }
        }
        if (declared.concurrency === undefined) return noop
        const left = Math.max(0, maxWaitMs - (performance.now() - started))
        const before = performance.now()
        const slot = await state.acquire(key, declared.concurrency, left)
        if (!slot)
          return refuse(
            connector,
            'concurrency',
            1000,
            `${name} takes ${declared.concurrency} requests at once, and none finished within ${maxWaitMs} ms.`,
          )
        const waited = performance.now() - before
        if (waited > 1) onWait({ connectorId: connector.id, reason: 'concurrency', waitedMs: Math.round(waited), refused: false })
        return () => slot.release()
      },
      observe(status, headers) {
        const hold = holdFromHeaders(status, headers, Date.now())
        if (hold !== undefined && hold > 0) void state.hold(key, hold, rule.toleranceMs).catch(noop)
      },
    }
  }

  /** A gate for a connection the API asked to leave alone (its connector declares no limits). */
  function heldGate(connector: Connector, key: string, until: number): Gate {
    return {
      holdsSlots: false,
      async enter() {
        const waitMs = until - performance.now()
        if (waitMs > DEFAULT_MAX_WAIT_MS)
          refuse(connector, 'api', waitMs, `The API of "${connector.name}" asked for no more requests for now.`)
        if (waitMs > 0) {
          await sleep(waitMs)
          onWait({ connectorId: connector.id, reason: 'api', waitedMs: Math.round(waitMs), refused: false })
        }
        return noop
      },
      observe: (status, headers) => watch(key, status, headers),
    }
  }

  function watch(key: string, status: number, headers: RawHeaders): void {
    const hold = holdFromHeaders(status, headers, Date.now())
    if (hold === undefined || hold <= 0) return
    if (apiHolds.size > 10_000) for (const [k, until] of apiHolds) if (until < performance.now()) apiHolds.delete(k)
    apiHolds.set(key, Math.max(apiHolds.get(key) ?? 0, performance.now() + hold))
  }

  const connectionKey = (connector: Connector, target: LimitTarget) => `${connector.id}:${target.loaded.record.id}/${target.owner ?? ''}`

  return {
    /**
     * The gate requests of one use of a connection go through, or `undefined` when there is nothing to wait for
     * (no declared limits, no hold): then `watch` hears its answers. Drafts (no target) are not limited.
     */
    gate(connector: Connector, target: LimitTarget | undefined, values: Readonly<Record<string, FieldValue>>): Gate | undefined {
      if (!target) return undefined
      const declared = connector.rateLimits
      if (declared) return declaredGate(connector, declared, limitKey(connector, declared, target, values))
      if (apiHolds.size === 0) return undefined
      const key = connectionKey(connector, target)
      const until = apiHolds.get(key)
      if (until === undefined) return undefined
      if (until > performance.now()) return heldGate(connector, key, until)
      apiHolds.delete(key)
      return undefined
    },
    /** Hears an answer of a use that had no gate: a used-up budget holds the connection's next requests back. */
    watch(connector: Connector, target: LimitTarget | undefined, status: number, headers: RawHeaders): void {
      if (
        target &&
        (status === 429 ||
          status === 503 ||
          headers['x-ratelimit-remaining'] !== undefined ||
          headers['ratelimit-remaining'] !== undefined ||
          headers.ratelimit !== undefined)
      )
        watch(connectionKey(connector, target), status, headers)
    },
    /** `http` with every request through `gate`. */
    http: gatedHttp,
  }
}

/** The rate-limit state in use: `gate` per use of a connection, `watch` for answers of uses without one. */
export type RateLimitsCore = ReturnType<typeof createRateLimits>

/** Whose budget: the connection's credential, or the account it names (only a hash of the name is kept). */
function limitKey(connector: Connector, declared: Declared, target: LimitTarget, values: Readonly<Record<string, FieldValue>>): string {
  if (declared.scope !== 'account' || !declared.account) return `rl:${connector.id}:${target.loaded.record.id}/${target.owner ?? ''}`
  const account = renderTemplate(declared.account, ([key, ...rest]) => (rest.length === 0 ? values[key!] : undefined))
  return `rl:${connector.id}:account:${createHash('sha256').update(account).digest('base64url').slice(0, 22)}`
}
