import type { Action, HttpMethod, InputProperty } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { type SchemaContext, toInputProperty } from './input-schema.ts'
import { clip, humanize, operationKey, put, toKey, UniqueKeys } from './names.ts'
import type { Operation, Parameter } from './operations.ts'
import { deref } from './refs.ts'
import { jsonResponseSchema } from './responses.ts'

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'])
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/
/** Headers OpenAPI says a parameter may not define (3.0 §4.7.12): the request sets them itself. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization'])
const ENCODED_TRICKS = /%(2e|2f|5c|00|0a|0d)/i

/** An operation made into an action, with what was left out of it; or why it could not be. */
export type ActionResult = { action: Action; notes: string[] } | { reason: string }

/** What converting the actions of one spec shares. */
export interface ActionContext {
  keys: UniqueKeys
  /** Security scheme name → the scopes its OAuth2 methods declare. */
  scopes: ReadonlyMap<string, ReadonlySet<string>>
  schema: () => SchemaContext
}

/**
 * One operation → one action: key from `operationId` (or method and path), path parameters into the path
 * template, query and header parameters into templates, a JSON or form body property by property (or as
 * one `body` input when it is not an object), the scopes of its OAuth2 security requirement, and an output
 * selection when the answer is an object of one property.
 *
 * @example
 * toAction(op, ctx) // { action: { key: 'getPet', method: 'GET', path: '/pets/{{input.petId}}', … }, notes: [] }
 */
export function toAction(op: Operation, ctx: ActionContext): ActionResult {
  const method = op.method.toUpperCase()
  if (!HTTP_METHODS.has(method)) return { reason: `the method ${method} is not supported` }
  const schema = ctx.schema()
  const notes: string[] = []
  const inputs = new UniqueKeys()
  const properties: Record<string, InputProperty> = {}
  const required: string[] = []
  const add = (wanted: string, property: InputProperty, isRequired: boolean): string => {
    const key = inputs.take(toKey(wanted))
    properties[key] = property
    if (isRequired) required.push(key)
    return key
  }

  const route = pathTemplate(op, add, schema)
  if (typeof route === 'string') return { reason: route }
  const query: Record<string, string> = { ...route.query }
  const headers: Record<string, string> = {}
  for (const p of op.parameters) {
    if (p.in === 'path') continue
    if (p.in === 'cookie') {
      notes.push(`the cookie parameter "${clip(p.name, 60)}" is not sent`)
      continue
    }
    if (p.in === 'header' && (IGNORED_HEADERS.has(p.name.toLowerCase()) || !HEADER_NAME.test(p.name))) continue
    if (p.in !== 'query' && p.in !== 'header') continue
    if (p.name === '' || p.name.length > 128) {
      notes.push('a parameter without a usable name is left out')
      continue
    }
    const property = parameterProperty(p, schema, notes)
    if (!property) continue
    const key = add(p.name, property, p.required)
    put(p.in === 'query' ? query : headers, p.name, `{{input.${key}}}`)
  }

  const action: Action = { key: '', name: '', method: method as HttpMethod, path: route.path }
  if (op.body && method !== 'GET' && method !== 'HEAD') {
    if ('unsupported' in op.body) {
      if (op.body.required) return { reason: op.body.unsupported }
      notes.push(`${op.body.unsupported}; the action sends no body`)
    } else {
      const converted = toInputProperty(op.body.schema, schema)
      if (converted?.type === 'object' && converted.properties && Object.keys(converted.properties).length > 0) {
        const body: Record<string, string> = {}
        const inner = new Set(converted.required ?? [])
        for (const [name, property] of Object.entries(converted.properties)) {
          put(body, name, `{{input.${add(name, property!, op.body.required && inner.has(name))}}}`)
        }
        action.body = body
      } else if (converted) {
        const description = clip(op.body.description, 1000)
        const property = { ...converted, ...(description && !converted.description ? { description } : {}) }
        action.body = `{{input.${add('body', property, op.body.required)}}}`
      }
      if (op.body.form) action.bodyType = 'form'
    }
  }

  action.key = ctx.keys.take(op.operationId ? toKey(op.operationId, 'action') : operationKey(op.method, op.path))
  action.name =
    clip(op.summary, 120) ?? (op.operationId ? clip(humanize(op.operationId), 120) : undefined) ?? clip(`${method} ${op.path}`, 120)!
  const description = clip(`${op.deprecated ? 'Deprecated. ' : ''}${String(op.description ?? op.summary ?? '')}`, 1000)
  if (description) action.description = description
  if (Object.keys(query).length > 0) action.query = query
  if (Object.keys(headers).length > 0) action.headers = headers
  action.input = { type: 'object', properties, ...(required.length > 0 ? { required: [...new Set(required)] } : {}) }
  const scopes = operationScopes(op, ctx.scopes, notes)
  if (scopes.length > 0) action.scopes = scopes
  const output = outputPointer(schema.doc, op)
  if (output) action.output = output
  for (const note of schema.notes) notes.push(note)
  return { action: reorder(action), notes }
}

/** `/pets/{petId}` → `/pets/{{input.petId}}`; a literal query in the path becomes query templates. */
function pathTemplate(
  op: Operation,
  add: (wanted: string, property: InputProperty, required: boolean) => string,
  schema: SchemaContext,
): { path: string; query: Record<string, string> } | string {
  const [rawPath = '', literalQuery] = op.path.split('?', 2) as [string, string | undefined]
  if (rawPath.length > 2048) return 'its path is longer than 2,048 characters'
  if (!rawPath.startsWith('/') || rawPath.startsWith('//') || /[\s\\#]/.test(rawPath))
    return 'its path is not a plain path under the base URL'
  const literal = rawPath.replace(/\{[^{}]*\}/g, 'x')
  if (literal.split('/').some((s) => s === '.' || s === '..') || ENCODED_TRICKS.test(literal) || /[{}]/.test(literal)) {
    return 'its path has "." or ".." segments, encoded separators or unbalanced braces'
  }
  const byName = new Map(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, p]))
  const path = rawPath.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    const p = byName.get(name)
    const property = (p && parameterProperty(p, schema, [])) ?? { type: 'string' as const }
    if (property.type === 'object' || property.type === 'array') property.type = 'string'
    if (!property.description) property.description = `Part of the path: ${clip(name, 60)}`
    return `{{input.${add(name, property, true)}}}`
  })
  const query: Record<string, string> = {}
  if (literalQuery) {
    for (const [name, value] of new URLSearchParams(literalQuery)) {
      if (name !== '' && name.length <= 128 && !value.includes('{') && !value.includes('}')) put(query, name, value)
    }
  }
  return { path, query }
}

/** A parameter's input; arrays and objects in a query or header go as one comma-separated string. */
function parameterProperty(p: Parameter, schema: SchemaContext, notes: string[]): InputProperty | undefined {
  const property = toInputProperty(p.schema, schema)
  if (!property) return undefined
  const description = clip(p.description, 1000)
  if (description && !property.description) property.description = description
  if (property.type === 'object') {
    notes.push(`the ${p.in} parameter "${clip(p.name, 60)}" is an object (${p.style ?? 'form'} style); it is sent as JSON text`)
    return { type: 'string', ...(property.description ? { description: property.description } : {}) }
  }
  if (property.type === 'array') {
    if (p.in === 'query' && p.explode)
      notes.push(`the query parameter "${clip(p.name, 60)}" takes several values; they are sent comma-separated`)
    const items = property.items?.enum ? { enum: property.items.enum.map(String) } : {}
    const text = clip(`${property.description ?? ''} Several values are separated by commas.`, 1000)!
    return { type: 'string', description: text, ...(items.enum ? { examples: [items.enum.slice(0, 2).join(',')] } : {}) }
  }
  return property
}

function operationScopes(op: Operation, declared: ReadonlyMap<string, ReadonlySet<string>>, notes: string[]): string[] {
  for (const requirement of op.security) {
    if (!isObject(requirement)) continue
    for (const [scheme, wanted] of Object.entries(requirement)) {
      const offered = declared.get(scheme)
      if (!offered || !Array.isArray(wanted)) continue
      const scopes = wanted.filter((s): s is string => typeof s === 'string')
      const unknown = scopes.filter((s) => !offered.has(s))
      if (unknown.length > 0) notes.push(`scopes the scheme does not declare are left out: ${unknown.slice(0, 5).join(', ')}`)
      return [...new Set(scopes.filter((s) => offered.has(s)))]
    }
  }
  return []
}

/** When the answer is an object of exactly one property (`{ "user": {…} }`), that property. */
function outputPointer(doc: unknown, op: Operation): string | undefined {
  const schema = deref(doc, jsonResponseSchema(doc, op.responses))
  if (!isObject(schema) || !isObject(schema.properties) || isObject(schema.additionalProperties)) return undefined
  const names = Object.keys(schema.properties)
  if (names.length !== 1 || names[0]!.length > 200) return undefined
  return `/${names[0]!.replace(/~/g, '~0').replace(/\//g, '~1')}`
}

/** Keys in the order people read them. */
function reorder(action: Action): Action {
  const { key, name, description, method, path, query, headers, body, bodyType, input, output, scopes } = action
  return {
    key,
    name,
    ...(description !== undefined ? { description } : {}),
    method,
    path,
    ...(query ? { query } : {}),
    ...(headers ? { headers } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(bodyType ? { bodyType } : {}),
    ...(input ? { input } : {}),
    ...(output ? { output } : {}),
    ...(scopes ? { scopes } : {}),
  }
}
