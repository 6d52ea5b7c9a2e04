import { SwitchboardError } from '../../errors.ts'
import { backoffDelay } from '../../platform/backoff/index.ts'
import type { HttpClient, HttpRequestOptions, HttpResponse, HttpStreamResponse } from '../../platform/http/index.ts'
import { retryAfterMs } from '../../platform/limits/index.ts'

export { retryAfterMs }

/** How hard to try. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number
  /** First backoff; doubles each retry, with ±50 % jitter (default 250 ms). */
  baseDelayMs?: number
  /** Longest backoff between two attempts (default 5 s). */
  maxDelayMs?: number
  /** Longest `Retry-After` honoured; a longer one is answered as it is (default 10 s). */
  maxRetryAfterMs?: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** RFC 9110 §9.2.2: repeating these has the same effect as sending them once. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'])

/**
 * Sends a request and reads its answer, retrying what is safe to retry: idempotent methods after a
 * reset or a 502/503/504 (with exponential backoff and jitter) and after a 429/503 once the
 * `Retry-After` the upstream asked for has passed, when that is short enough; any method when the
 * connection was refused, because then nothing was sent. A POST that met a 429 is answered as it is:
 * nothing guarantees the upstream did not act on it. Timeouts are not retried, so a call ends within
 * its timeout. An error thrown after retries carries `details.attempts`.
 *
 * @example
 * const { response, attempts } = await sendWithRetries(http, { url, method: 'GET', headers })
 */
export function sendWithRetries(
  http: HttpClient,
  request: HttpRequestOptions,
  policy: RetryPolicy = {},
): Promise<{ response: HttpResponse; attempts: number }> {
  return withRetries(
    request,
    policy,
    () => http.request({ ...request, responseType: 'auto' }),
    async () => {},
  )
}

/**
 * {@link sendWithRetries} for a streamed answer: a response that is retried has its body cancelled.
 * A request whose body is a stream is sent once, since the stream is consumed by sending it.
 *
 * @example
 * const { response } = await streamWithRetries(http, { url, method: 'GET', headers })
 * return new Response(response.body, { status: response.status })
 */
export function streamWithRetries(
  http: HttpClient,
  request: HttpRequestOptions,
  policy: RetryPolicy = {},
): Promise<{ response: HttpStreamResponse; attempts: number }> {
  const once = request.body instanceof ReadableStream
  return withRetries(
    request,
    once ? { ...policy, maxAttempts: 1 } : policy,
    () => http.request({ ...request, responseType: 'stream' }),
    (response) => response.body.cancel().catch(() => {}),
  )
}

async function withRetries<R extends { status: number; headers: Headers }>(
  request: HttpRequestOptions,
  policy: RetryPolicy,
  send: () => Promise<R>,
  discard: (response: R) => Promise<void>,
): Promise<{ response: R; attempts: number }> {
  const maxAttempts = policy.maxAttempts ?? 3
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const random = policy.random ?? Math.random
  const idempotent = IDEMPOTENT.has((request.method ?? 'GET').toUpperCase())
  const backoff = (attempt: number) =>
    backoffDelay(attempt, { baseMs: policy.baseDelayMs ?? 250, maxMs: policy.maxDelayMs ?? 5_000, jitter: 0.5, random })
  for (let attempt = 1; ; attempt++) {
    let response: R
    try {
      response = await send()
    } catch (error) {
      const code = error instanceof SwitchboardError ? error.code : ''
      const retryable = code === 'connection_refused' || (idempotent && code === 'upstream_error')
      if (!retryable || attempt >= maxAttempts) throw noteAttempts(error, attempt)
      await sleep(backoff(attempt))
      continue
    }
    const wait =
      idempotent && attempt < maxAttempts ? retryDelay(response, policy.maxRetryAfterMs ?? 10_000, () => backoff(attempt)) : undefined
    if (wait === undefined) return { response, attempts: attempt }
    await discard(response)
    await sleep(wait)
  }
}

/** How long to wait before repeating a request that got `response`; `undefined`: do not repeat it. */
function retryDelay(response: { status: number; headers: Headers }, maxRetryAfterMs: number, backoff: () => number): number | undefined {
  const { status } = response
  if (status === 429 || status === 503) {
    const wait = retryAfterMs(response.headers.get('retry-after'), Date.now())
    if (wait === undefined) return backoff()
    return wait > maxRetryAfterMs ? undefined : wait
  }
  return status === 502 || status === 504 ? backoff() : undefined
}

function noteAttempts(error: unknown, attempts: number): unknown {
  if (error instanceof SwitchboardError && error.status >= 500) {
    error.details = { ...(error.details as object | undefined), attempts }
  }
  return error
}
