import { compilePattern } from '../../../../schemas/pattern/index.ts'
import type { InputProperty } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { clip, put } from './names.ts'
import { deref, refName } from './refs.ts'

/** Nesting kept in an input schema; deeper parts accept any value of their type. */
export const MAX_SCHEMA_DEPTH = 8
/** Properties kept per object, and schema nodes per action: bounds what a huge spec can make of one input. */
const MAX_PROPERTIES = 200
const MAX_NODES = 2000
const MAX_ENUM = 500
const MAX_EXAMPLE_CHARS = 500
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object'])
const FORMATS = new Set(['email', 'uri', 'date', 'date-time'])

/** What one action's conversion shares: the document, its notes, and a budget of schema nodes. */
export class SchemaContext {
  nodes = 0
  readonly notes = new Set<string>()

  constructor(readonly doc: unknown) {}
}

/**
 * Turns an OpenAPI/JSON Schema into the input subset a connector action declares: `$ref`s inlined,
 * `allOf` merged, the first shape of a `oneOf`/`anyOf`, `readOnly` properties dropped, one type each,
 * formats and patterns only where the runtime checks them, and recursion cut after
 * {@link MAX_SCHEMA_DEPTH} levels. `undefined` for a read-only schema (it is not sent).
 *
 * @example
 * toInputProperty({ type: ['string', 'null'], format: 'uuid', readOnly: false }, new SchemaContext(doc)) // { type: 'string' }
 */
export function toInputProperty(schema: unknown, ctx: SchemaContext, depth = 0, path: string[] = []): InputProperty | undefined {
  const seen = [...path]
  const resolved = deref(ctx.doc, schema, seen)
  const loop = seen.slice(path.length).find((ref) => path.includes(ref))
  if (resolved === undefined) {
    const ref = seen.at(-1) ?? ''
    ctx.notes.add(`the schema ${ref} does not exist; any value is accepted in its place`)
    return { type: 'string' }
  }
  if (!isObject(resolved)) return { type: 'string' }
  const s = merged(ctx, resolved, seen)
  if (s.readOnly === true) return undefined
  const type = typeOf(s)
  const out: InputProperty = { type }
  ctx.nodes++
  const title = clip(s.title, 120)
  if (title) out.title = title
  let description = clip(s.description, 1000)
  if (loop !== undefined) ctx.notes.add(`the schema ${refName(loop)} contains itself; the inner copy accepts any ${type}`)
  if (ctx.nodes > MAX_NODES) ctx.notes.add(`the input schema is cut after ${MAX_NODES} parts; deeper parts accept any value of their type`)
  if (loop !== undefined || depth >= MAX_SCHEMA_DEPTH || ctx.nodes > MAX_NODES) {
    const why = loop !== undefined ? `Contains itself (${refName(loop)})` : 'Nested deeper than the import keeps'
    description = clip(`${description ?? ''} (${why}: any ${type} is accepted.)`, 1000)
    if (description) out.description = description
    return out
  }
  if (description) out.description = description
  constraints(s, type, out)
  if (type === 'array' && s.items !== undefined) {
    const items = toInputProperty(s.items, ctx, depth + 1, seen)
    if (items) out.items = items
  }
  if (type === 'object') objectParts(s, ctx, depth, seen, out)
  return out
}

function objectParts(s: Record<string, unknown>, ctx: SchemaContext, depth: number, seen: string[], out: InputProperty): void {
  if (!isObject(s.properties)) {
    if (s.additionalProperties === false) out.additionalProperties = false
    return
  }
  const properties: Record<string, InputProperty> = {}
  let count = 0
  for (const [name, value] of Object.entries(s.properties)) {
    if (count++ >= MAX_PROPERTIES) {
      ctx.notes.add(`an object with more than ${MAX_PROPERTIES} properties keeps the first ${MAX_PROPERTIES}`)
      break
    }
    const property = toInputProperty(value, ctx, depth + 1, seen)
    if (property) put(properties, name, property)
  }
  out.properties = properties
  const required = Array.isArray(s.required)
    ? s.required.filter((n): n is string => typeof n === 'string' && Object.hasOwn(properties, n))
    : []
  if (required.length > 0) out.required = [...new Set(required)]
  if (s.additionalProperties === false) out.additionalProperties = false
}

/** `allOf` branches merged into one schema; a `oneOf`/`anyOf` replaced by its first non-null shape. */
function merged(ctx: SchemaContext, s: Record<string, unknown>, seen: string[], level = 0): Record<string, unknown> {
  let out = s
  if (Array.isArray(s.allOf) && level < MAX_SCHEMA_DEPTH) {
    const { allOf, ...rest } = s
    out = { ...rest }
    const properties: Record<string, unknown> = {}
    const required: unknown[] = Array.isArray(rest.required) ? [...rest.required] : []
    for (const branch of (allOf as unknown[]).slice(0, 50)) {
      const resolved = deref(ctx.doc, branch, seen)
      if (!isObject(resolved)) continue
      const part = merged(ctx, resolved, seen, level + 1)
      if (isObject(part.properties)) Object.assign(properties, part.properties)
      if (Array.isArray(part.required)) required.push(...part.required)
      for (const key of ['type', 'description', 'title', 'items', 'enum', 'format', 'readOnly'] as const) {
        if (out[key] === undefined && part[key] !== undefined) out[key] = part[key]
      }
    }
    if (isObject(rest.properties)) Object.assign(properties, rest.properties)
    if (Object.keys(properties).length > 0) out.properties = properties
    if (required.length > 0) out.required = required
  }
  const choice = Array.isArray(out.oneOf) ? out.oneOf : Array.isArray(out.anyOf) ? out.anyOf : undefined
  if (choice && out.type === undefined && out.properties === undefined && level < MAX_SCHEMA_DEPTH) {
    const shapes = choice
      .slice(0, 50)
      .map((b) => deref(ctx.doc, b, seen))
      .filter(isObject)
    const first = shapes.find((b) => b.type !== 'null')
    if (first) {
      if (shapes.filter((b) => b.type !== 'null').length > 1) ctx.notes.add('a value that may take one of several shapes takes the first')
      const { oneOf: _o, anyOf: _a, ...rest } = out
      out = { ...merged(ctx, first, seen, level + 1), ...withoutUndefined(rest) }
    }
  }
  return out
}

function typeOf(s: Record<string, unknown>): InputProperty['type'] {
  const declared = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type
  if (typeof declared === 'string' && TYPES.has(declared)) return declared as InputProperty['type']
  if (isObject(s.properties) || isObject(s.additionalProperties)) return 'object'
  if (s.items !== undefined) return 'array'
  const sample = Array.isArray(s.enum) ? s.enum.find((v) => v !== null) : s.const
  if (typeof sample === 'number') return Number.isInteger(sample) ? 'integer' : 'number'
  if (typeof sample === 'boolean') return 'boolean'
  return 'string'
}

function constraints(s: Record<string, unknown>, type: InputProperty['type'], out: InputProperty): void {
  const values = Array.isArray(s.enum) ? s.enum : s.const !== undefined ? [s.const] : undefined
  if (values) {
    const fitting = [...new Set(values.filter((v) => fits(v, type) && typeof v !== 'object'))].slice(0, MAX_ENUM)
    if (fitting.length > 0) out.enum = fitting as NonNullable<InputProperty['enum']>
  }
  if (s.default !== undefined && fits(s.default, type) && JSON.stringify(s.default).length <= MAX_EXAMPLE_CHARS) out.default = s.default
  const examples = (Array.isArray(s.examples) ? s.examples : s.example !== undefined ? [s.example] : [])
    .filter((v) => fits(v, type) && JSON.stringify(v).length <= MAX_EXAMPLE_CHARS)
    .slice(0, 3)
  if (examples.length > 0) out.examples = examples
  if (type === 'string') {
    if (typeof s.format === 'string' && FORMATS.has(s.format)) out.format = s.format as InputProperty['format']
    if (count(s.minLength)) out.minLength = s.minLength as number
    if (count(s.maxLength)) out.maxLength = s.maxLength as number
    if (typeof s.pattern === 'string' && s.pattern.length <= 500 && compilePattern(s.pattern).ok) out.pattern = s.pattern
  }
  if (type === 'number' || type === 'integer') {
    if (typeof s.minimum === 'number') out.minimum = s.minimum
    if (typeof s.maximum === 'number') out.maximum = s.maximum
  }
  if (type === 'array') {
    if (count(s.minItems)) out.minItems = s.minItems as number
    if (count(s.maxItems)) out.maxItems = s.maxItems as number
  }
}

function fits(value: unknown, type: InputProperty['type']): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'array':
      return Array.isArray(value)
    case 'object':
      return isObject(value)
    default:
      return typeof value === type
  }
}

function count(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))
}
