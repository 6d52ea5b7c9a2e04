import { isObject } from '../../../../schemas/validate/context.ts'
import { deref } from './refs.ts'

/**
 * The schema of an operation's first success answer in JSON: `content['application/json'].schema` in
 * OpenAPI 3, `schema` in Swagger 2.0. `undefined` when there is none.
 *
 * @example
 * jsonResponseSchema(doc, { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } } } })
 */
export function jsonResponseSchema(doc: unknown, responses: Record<string, unknown>): unknown {
  const code = Object.keys(responses).find((c) => /^2(\d\d|XX)$/i.test(c))
  if (code === undefined) return undefined
  const response = deref(doc, responses[code])
  if (!isObject(response)) return undefined
  if (response.schema !== undefined) return response.schema
  if (!isObject(response.content)) return undefined
  const json = Object.keys(response.content).find((t) => /^application\/([\w.-]+\+)?json\b/i.test(t))
  const media = json === undefined ? undefined : response.content[json]
  return isObject(media) ? media.schema : undefined
}

/**
 * The success status codes an operation declares, when 200 is not among them (a test that expects
 * 204, say); `undefined` means the default, 200.
 *
 * @example
 * successStatus({ '204': {}, '404': {} }) // [204]
 */
export function successStatus(responses: Record<string, unknown>): number[] | undefined {
  const codes = Object.keys(responses)
    .filter((c) => /^2\d\d$/.test(c))
    .map(Number)
  return codes.length === 0 || codes.includes(200) ? undefined : codes
}
