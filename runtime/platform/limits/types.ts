/**
 * Rate-limit state: when a key's next request may go (a generic cell rate algorithm, GCRA: one "theoretical
 * arrival time" per key, https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm) and how many of its
 * requests are in flight. Kept in this process (one process, the embedded store) or in PostgreSQL (replicas).
 */

/** How a key's requests are paced: one every `spacingMs`, `toleranceMs` of them early after a quiet spell. */
export interface PaceRule {
  /** `intervalMs / requests`: the time one request takes of the budget. */
  spacingMs: number
  /** `(burst - 1) * spacingMs`: how far ahead of its turn a request may go. */
  toleranceMs: number
  /** The longest a request may be asked to wait; a longer wait is refused and nothing is reserved. */
  maxWaitMs: number
}

/** A turn reserved (`admitted`: go after `waitMs`), or refused (`waitMs`: when a request would be admitted). */
export interface Pacing {
  admitted: boolean
  waitMs: number
}

/** One of a key's concurrency slots, held until released (a crashed holder's lapses after its lease). */
export interface Slot {
  release(): void
}

/** Where pacing and slots are kept. */
export interface LimitState {
  /** Reserves the next turn of `key` under `rule`, or says how long until one could be. */
  reserve(key: string, rule: PaceRule): Promise<Pacing>
  /** Moves the next turn of `key` to at least `ms` from now (the API said to hold back). */
  hold(key: string, ms: number, toleranceMs: number): Promise<void>
  /** Takes one of the `max` slots of `key`, waiting up to `waitMs` for one; undefined when none came free. */
  acquire(key: string, max: number, waitMs: number): Promise<Slot | undefined>
}
