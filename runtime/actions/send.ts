import { SwitchboardError } from '../errors.ts'
import type { HttpClient, HttpRequestOptions, HttpResponse } from '../http/index.ts'

/** How hard to try. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number
  /** First backoff; doubles each retry, with ±50 % jitter (default 250 ms). */
  baseDelayMs?: number
  /** Longest `Retry-After` honoured; a longer one is answered as it is (default 10 s). */
  maxRetryAfterMs?: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])

/**
 * Sends a request, retrying what is safe to retry: idempotent methods (RFC 9110 §9.2.2) after a
 * reset or a 502/503/504, any method when the connection was refused (nothing was sent), and 429/503
 * after the `Retry-After` the upstream asked for when that is short enough.
 *
 * @example
 * const { response, attempts } = await sendWithRetries(http, { url, method: 'GET', headers })
 */
export async function sendWithRetries(http: HttpClient, request: HttpRequestOptions, policy: RetryPolicy = {}): Promise<{ response: HttpResponse; attempts: number }> {
  const maxAttempts = policy.maxAttempts ?? 3
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const random = policy.random ?? Math.random
  const idempotent = IDEMPOTENT.has((request.method ?? 'GET').toUpperCase())
  const backoff = (attempt: number) => (policy.baseDelayMs ?? 250) * 2 ** (attempt - 1) * (0.5 + random())
  for (let attempt = 1; ; attempt++) {
    let response: HttpResponse
    try {
      response = await http.request({ ...request, responseType: 'auto' })
    } catch (error) {
      const code = error instanceof SwitchboardError ? error.code : ''
      const retryable = code === 'connection_refused' || (idempotent && code === 'upstream_error')
      if (!retryable || attempt >= maxAttempts) throw error
      await sleep(backoff(attempt))
      continue
    }
    if (attempt >= maxAttempts) return { response, attempts: attempt }
    const status = response.status
    if (status === 429 || (status === 503 && idempotent)) {
      const wait = retryAfterMs(response.headers.get('retry-after'), Date.now())
      const limit = policy.maxRetryAfterMs ?? 10_000
      if (wait !== undefined && wait > limit) return { response, attempts: attempt }
      await sleep(wait ?? backoff(attempt))
      continue
    }
    if (idempotent && (status === 502 || status === 504)) {
      await sleep(backoff(attempt))
      continue
    }
    return { response, attempts: attempt }
  }
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) in milliseconds: delay-seconds or an HTTP date.
 *
 * @example
 * retryAfterMs('2', Date.now()) // 2000
 */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
