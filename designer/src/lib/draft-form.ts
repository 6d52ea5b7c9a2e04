/**
 * A form from the connector schema: what control each property of an auth method or an action input
 * gets, read from the schema's types, enums, `$ref`s and descriptions, so a new auth type gets a form
 * without a line here. The form edits the document in place, so keys it does not show stay.
 */
import connectorSchema from '../../../schemas/connector.schema.json' with { type: 'json' }
import { pointer as toPointer } from '../../../schemas/validate/pointer.ts'
import type { Obj } from './draft-doc.ts'
import { type Doc, isPlainObject } from './draft-sync.ts'

/** A (sub-)schema as the form reads it. */
export interface SchemaNode {
  $ref?: string
  /** The `$defs` name a node came from, once resolved. */
  def?: string
  title?: string
  description?: string
  type?: string | string[]
  const?: unknown
  enum?: unknown[]
  default?: unknown
  examples?: unknown[]
  properties?: Record<string, SchemaNode>
  required?: string[]
  items?: SchemaNode
  additionalProperties?: SchemaNode | boolean
  oneOf?: SchemaNode[]
  discriminator?: { propertyName: string }
  minimum?: number
  maximum?: number
}

const defs = (connectorSchema as unknown as { $defs: Record<string, SchemaNode> }).$defs

/** The node a `$ref` points at, with the referring node's own words winning (`description`). */
export function resolve(node: SchemaNode | undefined): SchemaNode {
  if (!node) return {}
  if (!node.$ref) return node
  const def = node.$ref.replace('#/$defs/', '')
  const { $ref: _, ...own } = node
  return { ...resolve(defs[def]), def, ...own }
}

/** The schema of an auth type (`oauth2` → OAuth2Auth), found by its `type` const. */
export function authSchema(type: unknown): SchemaNode | undefined {
  for (const branch of defs.AuthMethod?.oneOf ?? []) {
    const node = resolve(branch)
    if (node.properties?.type?.const === type) return node
  }
  return undefined
}

/** Every auth type the schema has, in its order. */
export const AUTH_TYPES: string[] = (defs.AuthMethod?.oneOf ?? []).map((b) => String(resolve(b).properties?.type?.const))

/** What control a property gets. */
export type Kind =
  | 'template'
  | 'url'
  | 'text'
  | 'select'
  | 'boolean'
  | 'number'
  | 'integer'
  | 'strings'
  | 'integers'
  | 'map'
  | 'object'
  | 'variant'
  | 'list'
  | 'records'
  | 'json'

const typeOf = (node: SchemaNode): string | undefined => (Array.isArray(node.type) ? node.type[0] : node.type)

/**
 * The control for a schema node.
 *
 * @example
 * kindOf(resolve({ $ref: '#/$defs/Template' }))  // 'template'
 * kindOf({ type: 'string', enum: ['a', 'b'] })   // 'select'
 * kindOf(resolve({ $ref: '#/$defs/StringParams' })) // 'map'
 */
export function kindOf(node: SchemaNode): Kind {
  if (node.def === 'Template') return 'template'
  if (node.def === 'BaseUrl') return 'url'
  if (node.oneOf && node.discriminator) return 'variant'
  const type = typeOf(node)
  if (type === 'string') return node.enum ? 'select' : 'text'
  if (type === 'boolean') return 'boolean'
  if (type === 'integer') return 'integer'
  if (type === 'number') return 'number'
  if (type === 'array') {
    const items = resolve(node.items)
    const itemType = typeOf(items)
    if (itemType === 'integer') return 'integers'
    if (itemType === 'object') return 'list'
    return itemType === 'string' || items.def === 'Template' ? 'strings' : 'json'
  }
  if (type === 'object') {
    if (node.properties) return 'object'
    const values = typeof node.additionalProperties === 'object' ? resolve(node.additionalProperties) : undefined
    if (values && ['template', 'text'].includes(kindOf(values))) return 'map'
    if (values && typeOf(values) === 'object') return 'records'
  }
  return 'json'
}

/** The branch of a discriminated union an object is (`via: "request"` → JwtTokenRequest). */
export function branchOf(node: SchemaNode, value: unknown): SchemaNode | undefined {
  const name = node.discriminator?.propertyName
  if (!name || !isPlainObject(value)) return undefined
  return node.oneOf?.map(resolve).find((b) => b.properties?.[name]?.const === value[name])
}

/** The values the discriminator of a union can take, in order. */
export function branchValues(node: SchemaNode): string[] {
  const name = node.discriminator?.propertyName ?? ''
  return (node.oneOf ?? []).map((b) => String(resolve(b).properties?.[name]?.const))
}

const WORDS: Record<string, string> = {
  url: 'URL',
  id: 'ID',
  pkce: 'PKCE',
  jwt: 'JWT',
  ca: 'CA',
  hmac: 'HMAC',
  jti: 'JWT ID',
  kid: 'Key ID',
}

/** A label from a property name: `authorizeUrl` → "Authorize URL", `pkce` → "PKCE". */
export function labelOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_+/g, ' ')
    .toLowerCase()
    .split(' ')
    .map((w) => WORDS[w] ?? w)
  const text = words.join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * Settings that only mean something with another: shown, and kept, only while it holds. The schema
 * says so in its `if`/`then` (OAuth2's authorize settings without the code grant are refused).
 */
const WHEN: Record<string, Record<string, (obj: Obj) => boolean>> = {
  oauth2: {
    authorizeUrl: (m) => m.grant !== 'client_credentials',
    pkce: (m) => m.grant !== 'client_credentials',
    authorizeParams: (m) => m.grant !== 'client_credentials',
    clientAssertion: (m) => m.clientAuth === 'private_key_jwt',
  },
  oauth1: {
    consumerSecret: (m) => m.signatureMethod !== 'RSA-SHA1',
    privateKey: (m) => m.signatureMethod === 'RSA-SHA1',
  },
}

/** Settings required only with another (`authorizeUrl` with the code grant), as the schema's `if`/`then` says. */
const REQUIRED_WHEN: Record<string, Record<string, (obj: Obj) => boolean>> = {
  oauth2: { authorizeUrl: (m) => m.grant === 'authorization_code' },
}

/** Whether a property is required now: always, or because of another's value. */
export function requiredNow(type: unknown, name: string, obj: Obj, schema: SchemaNode): boolean {
  return (schema.required?.includes(name) ?? false) || (REQUIRED_WHEN[String(type)]?.[name]?.(obj) ?? false)
}

/**
 * Definitions whose description says what the kind of value is everywhere (a URL, a template): a property
 * of that kind is helped by its own description only, not by the same paragraph under every input.
 */
const GENERIC = ['BaseUrl', 'Template', 'JsonPointer', 'RelativePath', 'HeaderName', 'Key']

/** The help under a property's input: its own description, or its definition's when that is specific. */
export function helpOf(schema: SchemaNode): string | undefined {
  if (schema.description) return schema.description
  const node = resolve(schema)
  return node.def && GENERIC.includes(node.def) ? undefined : node.description
}

/** Whether a property of an auth method is shown now. */
export function shown(type: unknown, name: string, obj: Obj): boolean {
  const rule = WHEN[String(type)]?.[name]
  return !rule || rule(obj) || obj[name] !== undefined
}

/** After a choice changes, drops the settings that no longer apply (the schema would refuse them). */
export function settle(type: unknown, obj: Obj): void {
  for (const [name, rule] of Object.entries(WHEN[String(type)] ?? {})) {
    if (!rule(obj)) delete obj[name]
  }
}

/** The auth method properties that have their own controls on every card. */
export const COMMON = ['type', 'id', 'label', 'description', 'fields']

/** A starting value for a property that is being added. */
export function starter(node: SchemaNode): unknown {
  const kind = kindOf(node)
  if (kind === 'object') {
    const out: Obj = {}
    for (const name of node.required ?? []) out[name] = starter(resolve(node.properties?.[name]))
    return out
  }
  if (kind === 'variant') {
    const first = resolve(node.oneOf?.[0])
    const out = starter(first) as Obj
    return out
  }
  if (kind === 'select') return node.default ?? node.enum?.[0]
  if (node.const !== undefined) return node.const
  if (kind === 'list' || kind === 'strings' || kind === 'integers') return []
  if (kind === 'map' || kind === 'records') return {}
  if (kind === 'boolean') return node.default ?? false
  if (kind === 'integer' || kind === 'number') return node.default ?? node.minimum ?? 0
  return ''
}

/**
 * The place in the form that shows a problem inside an auth method the schema form draws, or inside an
 * action input: `undefined` when the form has no such place (an unknown key: the summary lists it),
 * `null` when the path is not one of these.
 *
 * @example
 * schemaPlace(['auth', '0', 'tokenResponse', 'accessToken'], doc) // '/auth/0/tokenResponse/accessToken'
 * schemaPlace(['auth', '0', 'x-note'], doc)                          // undefined
 */
export function schemaPlace(segments: string[], doc: Doc): string | null | undefined {
  if (segments[0] === 'auth' && segments.length > 2) {
    const method = Array.isArray(doc.auth) ? doc.auth[Number(segments[1])] : undefined
    if (!isPlainObject(method) || LEGACY.includes(String(method.type))) return null
    if (COMMON.includes(segments[2]!)) return null
    const node = authSchema(method.type)
    if (!node) return null
    return walk(node, method, segments.slice(2), segments.slice(0, 2))
  }
  if (segments[0] === 'actions' && segments[2] === 'input' && segments[3] === 'properties' && segments.length > 5) {
    return inputPlace(segments.slice(4), segments.slice(0, 4))
  }
  return null
}

/** Auth types drawn by their own cards rather than from the schema. */
export const LEGACY = ['basic', 'apiKey', 'bearer']

function walk(node: SchemaNode, value: unknown, rest: string[], at: string[]): string | undefined {
  const kind = kindOf(node)
  const here = toPointer(...at)
  if (rest.length === 0) return here
  const [next, ...after] = rest as [string, ...string[]]
  if (kind === 'object' || kind === 'variant') {
    const target = kind === 'variant' ? branchOf(node, value) : node
    const child = target?.properties?.[next]
    if (!child) return kind === 'variant' ? here : undefined
    const obj = isPlainObject(value) ? value : {}
    return walk(resolve(child), obj[next], after, [...at, next])
  }
  if (kind === 'list') {
    if (!/^\d+$/.test(next)) return here
    return walk(resolve(node.items), Array.isArray(value) ? value[Number(next)] : undefined, after, [...at, next])
  }
  if (kind === 'map') return toPointer(...at, next)
  if (kind === 'records') {
    const child = typeof node.additionalProperties === 'object' ? resolve(node.additionalProperties) : {}
    return walk(child, isPlainObject(value) ? value[next] : undefined, after, [...at, next])
  }
  return here
}

/** Keys of an action input the form edits; anything else is kept and shown in the JSON view. */
export const INPUT_KEYS = [
  'type',
  'title',
  'description',
  'format',
  'enum',
  'default',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'items',
  'properties',
  'required',
]

function inputPlace(rest: string[], at: string[]): string | undefined {
  // rest: name, then a key of the input, then what is inside it.
  const [name, key, ...after] = rest
  if (name === undefined) return toPointer(...at)
  const here = [...at, name]
  if (key === undefined) return toPointer(...here)
  if (!INPUT_KEYS.includes(key)) return undefined
  if (key === 'properties' && after.length > 0) return inputPlace(after, [...here, key])
  if (key === 'properties' || key === 'required') return toPointer(...here, 'properties')
  if (key === 'items' && after.length > 0) return inputItemPlace(after, [...here, key])
  return toPointer(...here, key)
}

function inputItemPlace(rest: string[], at: string[]): string | undefined {
  const [key, ...after] = rest as [string, ...string[]]
  if (!INPUT_KEYS.includes(key)) return undefined
  if (key === 'properties' && after.length > 0) return inputPlace(after, [...at, key])
  if (key === 'properties' || key === 'required') return toPointer(...at, 'properties')
  if (key === 'items' && after.length > 0) return inputItemPlace(after, [...at, key])
  return toPointer(...at, key)
}

/** The placeholder names a session method's placements can use besides its fields: `session.token`. */
export function sessionKeys(method: Obj): string[] {
  return isPlainObject(method.capture) ? Object.keys(method.capture).map((k) => `session.${k}`) : []
}
