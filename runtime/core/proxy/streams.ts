import { SwitchboardError } from '../../errors.ts'

/**
 * Passes a request body on as it arrives, failing with 413 `body_too_large` once more than `limit`
 * bytes went through: a body is never held whole, and an endless one is cut off.
 *
 * @example
 * const body = limitBody(c.req.raw.body, 50 * 1024 * 1024)
 */
export function limitBody(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let total = 0
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength
        if (total > limit) controller.error(bodyTooLarge(limit))
        else controller.enqueue(chunk)
      },
    }),
  )
}

/**
 * 413 for a request body past the proxy's limit.
 *
 * @example
 * throw bodyTooLarge(50 * 1024 * 1024)
 */
export function bodyTooLarge(limit: number): SwitchboardError {
  return new SwitchboardError(
    413,
    'body_too_large',
    `The request body is larger than ${Math.round(limit / (1024 * 1024))} MiB, the limit for proxied requests. Send less.`,
    { details: { limitBytes: limit } },
  )
}

/** How a metered stream ended. */
export interface MeterResult {
  bytes: number
  /** Set when the stream failed (upstream error, timeout, limit) or the reader cancelled it. */
  error?: unknown
}

/** Rewrites chunks on the way (masking); `flush` gives what it held back at the end. */
export interface ChunkFilter {
  push(chunk: Uint8Array): Uint8Array
  flush(): Uint8Array
}

/**
 * Counts a response body as the caller reads it, cutting it off with `onLimit()`'s error past `limit`
 * bytes, passes it through `filter`, and reports once how it ended. Pull-based, so the upstream is read
 * only as fast as the caller reads: back-pressure reaches the upstream socket and nothing piles up.
 *
 * @example
 * const body = meter(response.body, { limit, onLimit: () => tooLarge, onEnd: ({ bytes, error }) => note(bytes, error) })
 */
export function meter(
  body: ReadableStream<Uint8Array>,
  options: { limit: number; onLimit: () => unknown; onEnd: (result: MeterResult) => void; filter?: ChunkFilter },
): ReadableStream<Uint8Array> {
  const { limit, onLimit, onEnd, filter } = options
  const reader = body.getReader()
  let bytes = 0
  let ended = false
  const end = (error?: unknown) => {
    if (ended) return
    ended = true
    onEnd(error === undefined ? { bytes } : { bytes, error })
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let next: ReadableStreamReadResult<Uint8Array>
          try {
            next = await reader.read()
          } catch (error) {
            end(error)
            return controller.error(error)
          }
          if (next.done) {
            const rest = filter?.flush()
            if (rest && rest.byteLength > 0) controller.enqueue(rest)
            end()
            return controller.close()
          }
          bytes += next.value.byteLength
          if (bytes > limit) {
            const error = onLimit()
            await reader.cancel(error).catch(() => {})
            end(error)
            return controller.error(error)
          }
          const out = filter ? filter.push(next.value) : next.value
          // A filter may hold a whole small chunk back; read on rather than hand out nothing.
          if (out.byteLength > 0) return controller.enqueue(out)
        }
      },
      async cancel(reason) {
        end(reason ?? new Error('cancelled'))
        await reader.cancel(reason).catch(() => {})
      },
    },
    { highWaterMark: 0 },
  )
}

/**
 * A small body read whole, passed through `filter` in one piece, failing with `onLimit()`'s error past `limit`
 * bytes: for answers whose declared length is small, passed on in one write instead of chunk by chunk.
 *
 * @example
 * const bytes = masked(await response.bytes(), limit, () => tooLarge, createByteMasker(secrets))
 */
export function masked(body: Uint8Array, limit: number, onLimit: () => unknown, filter: ChunkFilter): Uint8Array {
  if (body.byteLength > limit) throw onLimit()
  const head = filter.push(body)
  const tail = filter.flush()
  return tail.byteLength === 0 ? head : Buffer.concat([head, tail])
}
