import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import { tooDeep } from '../../../schemas/validate/depth.ts'
import { apiValidator, pointer, readablePath, splitPointer, toProblems } from '../../../schemas/validate/index.ts'
import { SwitchboardError } from '../../errors.ts'
import { bodyTooLarge, type RouteState } from '../access/index.ts'
import { requestHeaders } from '../callers/index.ts'

/**
 * The deepest nesting of objects and arrays a JSON body may have (the body itself is level 1). Above
 * the connector validator's 100 levels, so a draft connector inside a body still gets its own message;
 * far below what recursive code (ajv, templates, input schemas) can walk without overflowing the stack.
 *
 * @example
 * MAX_BODY_DEPTH // 128
 */
export const MAX_BODY_DEPTH = 128

/**
 * Reads a JSON request body and validates it against a definition of `api.schema.json`. Malformed
 * JSON, a wrong content type, nesting deeper than {@link MAX_BODY_DEPTH} and schema violations are 400s
 * that say what to fix; the problems are in `details.errors` with JSON pointers into the body.
 *
 * @example
 * const body = await readBody<CreateConnection>(c, 'CreateConnection')
 */
export async function readBody<T>(c: Context, definition: string): Promise<T> {
  const type = requestHeaders(c)['content-type'] ?? ''
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new SwitchboardError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".')
  }
  const text = await requestText(c)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new SwitchboardError(400, 'invalid_json', 'The body is not valid JSON. Check quotes, commas and brackets.')
  }
  // Measured without recursion, before ajv or any handler walks the body recursively.
  const deep = tooDeep(body, MAX_BODY_DEPTH)
  if (deep !== undefined) {
    // The pointer of the too-deep value is as long as the nesting: the message names where it starts.
    const top = readablePath(pointer(splitPointer(deep)[0]!))
    const message = `a body has at most ${MAX_BODY_DEPTH} levels of nested objects and arrays, and ${top} goes deeper; send flatter data`
    throw new SwitchboardError(400, 'body_too_deep', `The body is nested too deeply: ${message}.`, {
      details: { errors: [{ path: deep, keyword: 'maxDepth', message }] },
    })
  }
  const validate = apiValidator(definition)
  if (!validate(body)) {
    const errors = toProblems(validate.errors ?? []).map((e) => ({ ...e, message: e.message.replace(/^the connector/, 'the body') }))
    throw new SwitchboardError(
      400,
      'invalid_body',
      `The body is not valid: ${errors[0]?.message ?? 'see details'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`,
      { details: { errors } },
    )
  }
  return body as T
}

/**
 * The request body as text, counted against the route's limit as it arrives (413 past it, the rest unread). Served
 * from a socket it is read from the Node request itself: reaching for `c.req` would make the adapter build a whole
 * fetch `Request` (URL, headers, signal, a web stream over the body) to read a few hundred bytes.
 *
 * @example
 * const text = await requestText(c)
 */
export function requestText(c: Context): Promise<string> {
  const limit = (c.get('route' as never) as RouteState | undefined)?.bodyLimit ?? 1024 * 1024
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (!incoming) return webText(c.req.raw.body, limit)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const done = (error?: unknown) => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', done)
      incoming.off('aborted', onAborted)
      if (error !== undefined) reject(error)
    }
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength
      if (total > limit) {
        done(bodyTooLarge(limit))
        // The rest is not read; the connection is not reused for another request.
        incoming.resume()
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      done()
      resolve(utf8(Buffer.concat(chunks, total)))
    }
    const onAborted = () => done(new SwitchboardError(400, 'request_aborted', 'The request body was cut off before its end.'))
    incoming.on('data', onData)
    incoming.once('end', onEnd)
    incoming.once('error', done)
    incoming.once('aborted', onAborted)
  })
}

/** An in-process request's body (`app.request`), counted the same way. */
async function webText(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return ''
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = body.getReader()
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => {})
      throw bodyTooLarge(limit)
    }
    chunks.push(next.value)
  }
  return utf8(Buffer.concat(chunks, total))
}

/** UTF-8 text without a leading byte order mark, as `Request.text()` gives it. */
function utf8(bytes: Buffer): string {
  const text = bytes.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
