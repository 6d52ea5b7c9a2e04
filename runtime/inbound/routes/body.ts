import type { Context } from 'hono'
import { tooDeep } from '../../../schemas/validate/depth.ts'
import { apiValidator, pointer, readablePath, splitPointer, toProblems } from '../../../schemas/validate/index.ts'
import { SwitchboardError } from '../../errors.ts'

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
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new SwitchboardError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".')
  }
  const text = await c.req.text()
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
