import type { HttpClient, HttpRequestOptions, HttpResponse, HttpStreamResponse, RawHeaders } from '../../platform/http/index.ts'

/** A request's turn: wait for it, then send; `observe` hears what the API says of its own limits. */
export interface Gate {
  /** Waits for the request's turn and a concurrency slot; past the bound, 429 `rate_limited` with `Retry-After`. */
  enter(): Promise<() => void>
  observe(status: number, headers: RawHeaders): void
  /** Whether a streamed answer holds a concurrency slot until its body ends. */
  readonly holdsSlots: boolean
}

/**
 * `http` with every request (each retry too) waiting for its turn at `gate` first, and its answer shown to the
 * gate. A concurrency slot is held until the answer is read: for a streamed one, until its body ends or is cancelled.
 *
 * @example
 * const limited = gatedHttp(http, gate)
 * await sendWithRetries(limited, request)
 */
export function gatedHttp(http: HttpClient, gate: Gate): HttpClient {
  async function request(options: HttpRequestOptions): Promise<HttpResponse | HttpStreamResponse> {
    const release = await gate.enter()
    let response: HttpResponse | HttpStreamResponse
    try {
      response = await http.request(options as HttpRequestOptions & { responseType?: 'auto' })
    } catch (error) {
      release()
      throw error
    }
    gate.observe(response.status, response.rawHeaders)
    if (gate.holdsSlots && response.body instanceof ReadableStream) return { ...response, body: releasing(response.body, release) }
    release()
    return response
  }
  return { request: request as HttpClient['request'], allowedHosts: http.allowedHosts, close: () => http.close() }
}

/** `body`, calling `release` once it ends, fails or is cancelled. */
function releasing(body: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read()
        if (next.done) {
          release()
          controller.close()
        } else controller.enqueue(next.value)
      } catch (error) {
        release()
        controller.error(error)
      }
    },
    cancel(reason) {
      release()
      return reader.cancel(reason)
    },
  })
}
