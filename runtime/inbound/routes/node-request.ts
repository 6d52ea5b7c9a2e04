import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Context } from 'hono'
import { Cancellation } from '../../platform/http/index.ts'

/** What the Node adapter puts on a context served from a socket (absent for in-process `app.request`). */
interface NodeBindings {
  incoming?: IncomingMessage
  outgoing?: ServerResponse
}

/**
 * The body and abort signal of a request, taken from the Node request itself when there is one. Reaching for
 * `c.req.raw.body` or `.signal` makes the adapter build a whole fetch `Request` (URL, headers, signal, a body
 * stream adapter) for every call: a streaming route that only passes the body on does not need it.
 *
 * @example
 * const { body, signal } = streamedRequest(c)
 */
export function streamedRequest(c: Context): { body: ReadableStream<Uint8Array> | null; signal: AbortSignal | Cancellation } {
  const { incoming, outgoing } = (c.env ?? {}) as NodeBindings
  if (!incoming || !outgoing) return { body: c.req.raw.body, signal: c.req.raw.signal }
  const cancel = new Cancellation()
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) cancel.cancel(new Error('The client closed the connection before the answer was sent.'))
  })
  const method = incoming.method ?? 'GET'
  return { body: method === 'GET' || method === 'HEAD' ? null : webBody(incoming), signal: cancel }
}

/** A Node request body as a web stream pulled one chunk per read (back-pressure kept), destroyed on cancel. */
function webBody(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = incoming[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next()
          if (next.done) controller.close()
          else controller.enqueue(next.value as Uint8Array)
        } catch (error) {
          controller.error(error)
        }
      },
      cancel() {
        incoming.on('error', () => {})
        incoming.destroy()
      },
    },
    { highWaterMark: 0 },
  )
}
