import { isObject } from '../../../../schemas/validate/context.ts'
import { deref } from './refs.ts'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
const PARAM_KEYWORDS = [
  'type',
  'format',
  'items',
  'enum',
  'default',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
]

/** One parameter, in the OpenAPI 3 shape whatever the spec's version. */
export interface Parameter {
  name: string
  in: string
  required: boolean
  schema: unknown
  description?: unknown
  /** Array values as `a=1&a=2` (true) or `a=1,2`. */
  explode: boolean
  style?: string
}

/** A request body: the media type chosen and its schema, or why none could be. */
export type RequestBody =
  | { mediaType: string; form: boolean; schema: unknown; required: boolean; description?: unknown }
  | { unsupported: string; required: boolean }

/** One operation, normalized across Swagger 2.0 and OpenAPI 3. */
export interface Operation {
  method: string
  path: string
  operationId?: string
  summary?: unknown
  description?: unknown
  deprecated: boolean
  parameters: Parameter[]
  body?: RequestBody
  /** The security requirements in force: the operation's own, else the document's. */
  security: unknown[]
  responses: Record<string, unknown>
}

/**
 * Every operation of a spec in document order, parameters of the path item and the operation merged
 * (the operation's win), `$ref`s of path items, parameters and bodies followed.
 *
 * @example
 * for (const op of listOperations(doc, '3.0')) console.log(op.method, op.path)
 */
export function* listOperations(doc: Record<string, unknown>, version: '2.0' | '3.0' | '3.1'): Generator<Operation> {
  const paths = isObject(doc.paths) ? doc.paths : {}
  const security = Array.isArray(doc.security) ? doc.security : []
  const consumes = Array.isArray(doc.consumes) ? doc.consumes.map(String) : []
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(doc, rawItem)
    if (!isObject(item)) continue
    const shared = Array.isArray(item.parameters) ? item.parameters : []
    for (const method of METHODS) {
      const op = item[method]
      if (!isObject(op)) continue
      const raw = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].map((p) => deref(doc, p)).filter(isObject)
      const byKey = new Map<string, Record<string, unknown>>()
      for (const p of raw) byKey.set(`${String(p.in)}:${String(p.name)}`, p)
      const params = [...byKey.values()]
      const operation: Operation = {
        method,
        path,
        ...(typeof op.operationId === 'string' && op.operationId !== '' ? { operationId: op.operationId } : {}),
        summary: op.summary,
        description: op.description,
        deprecated: op.deprecated === true,
        parameters: params.filter((p) => p.in !== 'body' && p.in !== 'formData').map((p) => parameter(doc, p, version)),
        security: Array.isArray(op.security) ? op.security : security,
        responses: isObject(op.responses) ? op.responses : {},
      }
      const body =
        version === '2.0'
          ? swaggerBody(params, Array.isArray(op.consumes) ? op.consumes.map(String) : consumes)
          : openApiBody(doc, op.requestBody)
      if (body) operation.body = body
      yield operation
    }
  }
}

function parameter(doc: unknown, p: Record<string, unknown>, version: string): Parameter {
  const where = String(p.in ?? '')
  let schema: unknown = p.schema
  if (schema === undefined && isObject(p.content)) schema = Object.values(p.content).find(isObject)?.schema
  if (version === '2.0') schema = swaggerSchema(p)
  const style = typeof p.style === 'string' ? p.style : undefined
  // OpenAPI 3: form style (the query default) explodes by default; Swagger 2.0: only collectionFormat multi.
  const explode =
    version === '2.0' ? p.collectionFormat === 'multi' : typeof p.explode === 'boolean' ? p.explode : (style ?? 'form') === 'form'
  return {
    name: String(p.name ?? ''),
    in: where,
    required: where === 'path' || p.required === true,
    schema: deref(doc, schema) ?? {},
    ...(p.description !== undefined ? { description: p.description } : {}),
    explode,
    ...(style ? { style } : {}),
  }
}

/** A Swagger 2.0 parameter carries its schema keywords itself. */
function swaggerSchema(p: Record<string, unknown>): Record<string, unknown> {
  const schema: Record<string, unknown> = {}
  for (const key of PARAM_KEYWORDS)
    if (p[key] !== undefined) schema[key] = key === 'items' && isObject(p.items) ? swaggerSchema(p.items) : p[key]
  return schema
}

function swaggerBody(params: Record<string, unknown>[], consumes: string[]): RequestBody | undefined {
  const body = params.find((p) => p.in === 'body')
  if (body)
    return {
      mediaType: 'application/json',
      form: false,
      schema: body.schema ?? {},
      required: body.required === true,
      description: body.description,
    }
  const form = params.filter((p) => p.in === 'formData')
  if (form.length === 0) return undefined
  const required = form.some((p) => p.required === true)
  if (form.some((p) => p.type === 'file') || (consumes.length > 0 && !consumes.includes('application/x-www-form-urlencoded'))) {
    return { unsupported: 'a multipart/form-data body (file upload) is not supported', required }
  }
  const properties = Object.fromEntries(form.map((p) => [String(p.name), { ...swaggerSchema(p), description: p.description }]))
  const names = form.filter((p) => p.required === true).map((p) => String(p.name))
  return { mediaType: 'application/x-www-form-urlencoded', form: true, schema: { type: 'object', properties, required: names }, required }
}

function openApiBody(doc: unknown, raw: unknown): RequestBody | undefined {
  const body = deref(doc, raw)
  if (!isObject(body) || !isObject(body.content)) return undefined
  const required = body.required === true
  const types = Object.keys(body.content)
  const json = types.find((t) => /^application\/([\w.-]+\+)?json\b/i.test(t)) ?? types.find((t) => t === '*/*')
  const form = types.find((t) => /^application\/x-www-form-urlencoded\b/i.test(t))
  const chosen = json ?? form
  if (chosen === undefined) {
    return { unsupported: `a ${types.slice(0, 3).join(' or ')} body is not supported (JSON and form bodies are)`, required }
  }
  const media = body.content[chosen]
  return {
    mediaType: chosen,
    form: chosen === form,
    schema: isObject(media) ? (media.schema ?? {}) : {},
    required,
    description: body.description,
  }
}
