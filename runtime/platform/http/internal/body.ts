import type { Readable } from 'node:stream'
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
export function readCapped(body: Readable, limit: number, host: string): Promise<Uint8Array> {
  // Events rather than `for await`: a small answer is one or two chunks, and the async iterator costs a few
  // promises per chunk on a path every request takes.
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let total = 0
    const onData = (chunk: Uint8Array) => {
      total += chunk.byteLength
      if (total > limit) {
        finish()
        body.on('error', () => {})
        body.destroy()
        reject(responseTooLargeError(host, limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      finish()
      resolve(Buffer.concat(chunks, total))
    }
    const onError = (error: unknown) => {
      finish()
      reject(error)
    }
    // A body destroyed before its end (the caller went away) closes without 'end' or 'error'.
    const onClose = () => {
      finish()
      reject(body.errored ?? new Error('The response body was closed before its end.'))
    }
    const finish = () => {
      body.off('data', onData)
      body.off('end', onEnd)
      body.off('error', onError)
      body.off('close', onClose)
    }
    body.on('data', onData)
    body.once('end', onEnd)
    body.once('error', onError)
    body.once('close', onClose)
  })
}

/**
 * A Node body stream as a web stream that errors with `response_too_large` once more than `limit` bytes went
 * through, pulling one chunk per read (back-pressure is kept, nothing is buffered ahead) through the stream's
 * async iterator, and destroying it when the reader cancels. One web stream, not an adapter and a cap over it:
 * every proxied answer goes through here.
 *
 * @example
 * const body = capStream(response.raw, limit, 'api.example.com', { mapError: (e) => e, done: clearTimer })
 */
export function capStream(
  readable: NodeJS.ReadableStream & { destroy(): void; on(event: 'error', listener: () => void): unknown },
  limit: number,
  host: string,
  hooks: StreamHooks,
): ReadableStream<Uint8Array> {
  const chunks = readable[Symbol.asyncIterator]()
  let total = 0
  let finished = false
  const finish = () => {
    if (finished) return
    finished = true
    hooks.done()
  }
  const drop = () => {
    // undici's body stream answers destroy with an 'error' event; with no listener it would be thrown.
    readable.on('error', () => {})
    readable.destroy()
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next()
          if (next.done) {
            finish()
            return controller.close()
          }
          const value = next.value as Uint8Array
          total += value.byteLength
          if (total > limit) {
            drop()
            finish()
            return controller.error(responseTooLargeError(host, limit))
          }
          controller.enqueue(value)
        } catch (err) {
          finish()
          controller.error(hooks.mapError(err))
        }
      },
      cancel() {
        finish()
        drop()
      },
    },
    { highWaterMark: 0 },
  )
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
