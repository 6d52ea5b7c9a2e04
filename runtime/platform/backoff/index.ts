/** How a wait grows with each failed attempt. */
export interface Backoff {
  /** The wait after the first failure, in ms. */
  baseMs: number
  /** The longest wait, in ms. */
  maxMs: number
  /**
   * `full`-width jitter as a fraction: 0.5 spreads each wait over ±50 % so that many callers that failed
   * together do not all come back together. 0 (default): exact doubling, for waits a person is told.
   */
  jitter?: number
  /** Random in [0, 1); injectable for tests. */
  random?: () => number
}

/**
 * The wait before attempt `failures + 1`: `baseMs` doubled per failure after the first, capped at `maxMs`,
 * spread by the jitter. One rule for retries of API calls, token endpoint failures and webhook deliveries
 * (AWS Architecture Blog, "Exponential Backoff And Jitter").
 *
 * @example
 * backoffDelay(1, { baseMs: 5_000, maxMs: 300_000 }) // 5000
 * backoffDelay(3, { baseMs: 5_000, maxMs: 300_000 }) // 20000
 * backoffDelay(2, { baseMs: 250, maxMs: 5_000, jitter: 0.5 }) // between 250 and 750
 */
export function backoffDelay(failures: number, backoff: Backoff): number {
  const exact = Math.min(backoff.baseMs * 2 ** Math.max(0, failures - 1), backoff.maxMs)
  const jitter = backoff.jitter ?? 0
  if (jitter === 0) return exact
  return Math.min(backoff.maxMs, exact * (1 - jitter + 2 * jitter * (backoff.random ?? Math.random)()))
}
