import { responseTooLargeError } from '../errors.ts'
import type { HttpResponseType } from '../types.ts'

/** How the caller learns that a stream ended, one way or another (to stop the total timer). */
export interface StreamHooks {
  /** Turns a read failure (abort, reset) into the error the consumer should see. */
  mapError(error: unknown): unknown
  /** Called once when the stream is done, failed or cancelled. */
  done(): void
}

/**
 * Reads a body up to `limit` bytes, counting as chunks arrive so a huge (or endless, or decompression-bomb)
 * body is cut off at the limit instead of being buffered whole. Cancels the upstream on overflow.
 *
 * @example
 * const bytes = await readCapped(response.body, 10 * 1024 * 1024, 'api.example.com')
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy?: () => void },
  limit: number,
  host: string,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of body) {
    total += chunk.byteLength
    if (total > limit) {
      body.destroy?.()
      throw responseTooLargeError(host, limit)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, total)
}

/**
 * Wraps a body stream so that it errors with `response_too_large` once more than `limit` bytes went
 * through, pulling only as fast as the consumer reads (back-pressure is kept, nothing is buffered ahead).
 *
 * @example
 * const body = capStream(response.body, limit, 'api.example.com', { mapError: (e) => e, done: clearTimer })
 */
export function capStream(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  host: string,
  hooks: StreamHooks,
): ReadableStream<Uint8Array> {
  if (!body) {
    hooks.done()
    return new ReadableStream({ start: (c) => c.close() })
  }
  const reader = body.getReader()
  let total = 0
  let finished = false
  const finish = () => {
    if (finished) return
    finished = true
    hooks.done()
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) {
          finish()
          return controller.close()
        }
        total += value.byteLength
        if (total > limit) {
          await reader.cancel().catch(() => {})
          finish()
          return controller.error(responseTooLargeError(host, limit))
        }
        controller.enqueue(value)
      } catch (err) {
        finish()
        controller.error(hooks.mapError(err))
      }
    },
    async cancel(reason) {
      finish()
      await reader.cancel(reason).catch(() => {})
    },
  })
}

const JSON_TYPE = /^application\/(?:[\w!#$%&*.^`~-]*\+)?json\s*(?:;|$)/i

/**
 * Decodes a read body. JSON that does not parse is returned as text with `invalidJson`, not thrown: an API
 * that answers HTML error pages with a JSON content type is common, and the caller wants to show them.
 *
 * @example
 * decodeBody(bytes, 'application/json', 'auto') // { body: { ok: true }, text: '{"ok":true}', invalidJson: false }
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null, responseType: HttpResponseType) {
  const text = new TextDecoder('utf-8').decode(bytes)
  const wantsJson = responseType === 'json' || (responseType === 'auto' && JSON_TYPE.test(contentType ?? ''))
  if (!wantsJson) return { body: text, text, invalidJson: false }
  if (text.trim() === '') return { body: undefined, text, invalidJson: false }
  try {
    return { body: JSON.parse(text) as unknown, text, invalidJson: false }
  } catch {
    return { body: text, text, invalidJson: true }
  }
}
