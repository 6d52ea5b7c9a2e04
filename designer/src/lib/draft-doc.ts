/**
 * Edits the designer makes to a connector document, as plain functions over the JSON itself. Each one
 * changes only what it is about, so keys the form does not model stay where they are.
 */
import { parseTemplate } from '../../../schemas/template/index.ts'
import { settingsOf, skeleton } from './draft-auth.ts'
import { authSchema, COMMON } from './draft-form.ts'
import { type Doc, formatJson, isPlainObject } from './draft-sync.ts'

/** A JSON object inside the document, edited in place. */
export type Obj = Record<string, unknown>

/** The generic connectors a new connector can start from. */
export const TEMPLATES = ['generic-basic', 'generic-api-key', 'generic-bearer'] as const

/** The auth types the designer edits: every one the schema has, the common ones first. */
export const EDITABLE_AUTH = [
  'basic',
  'apiKey',
  'bearer',
  'oauth2',
  'session',
  'none',
  'jwt',
  'awsSigV4',
  'hmac',
  'oauth1',
  'mtls',
] as const
export type EditableAuth = (typeof EDITABLE_AUTH)[number]

/** What a person calls each auth type. */
export const AUTH_NAMES: Record<string, string> = {
  basic: 'Username and password (Basic)',
  apiKey: 'API key',
  bearer: 'Bearer token',
  oauth2: 'OAuth2',
  none: 'No authentication',
  awsSigV4: 'AWS Signature V4',
  hmac: 'HMAC signature',
  oauth1: 'OAuth 1.0a',
  mtls: 'Client certificate (mTLS)',
  jwt: 'Signed JWT',
  session: 'Session (login call)',
}

/** Where the exported file finds the schema, as the built-in connectors do. */
export const SCHEMA_PATH = '../schemas/connector.schema.json'

/** The objects in an array that may hold anything. */
export function objects(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : []
}

/**
 * A connector id from a name: lowercase words joined by dashes, starting with a letter.
 *
 * @example
 * slugify('GitHub (custom)') // 'github-custom'
 * slugify('123 Go')          // 'c-123-go'
 */
export function slugify(name: string): string {
  let slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (slug && !/^[a-z]/.test(slug)) slug = `c-${slug}`
  return slug.slice(0, 64).replace(/-+$/, '')
}

/** A label from a key: `subdomain` → "Subdomain", `apiKey` → "Api key", `base_url` → "Base url". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_+/g, ' ')
    .trim()
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A new, empty connector. */
export function blankDraft(): Doc {
  // The test path starts empty (its placeholder says "/me"): typed after a pre-filled "/", "/Accounts" became "//Accounts".
  return { id: '', name: '', baseUrl: '', auth: [], test: { method: 'GET', path: '' } }
}

/** A new connector shaped like a generic template, with its own name and id still to choose. */
export function fromTemplate(template: Doc): Doc {
  const doc = structuredClone(template)
  delete doc.$schema
  delete doc.description
  delete doc.docsUrl
  // The template's own catalogue places say nothing about the tool being built.
  delete doc.categories
  return { ...doc, id: '', name: '' }
}

/**
 * A copy of a connector under a new id and name: `github` → `github-custom`, "GitHub (custom)";
 * `github-custom-2` when that id is taken.
 */
export function duplicateOf(connector: Doc, taken: ReadonlySet<string>): Doc {
  const doc = structuredClone(connector)
  delete doc.$schema
  const base = `${String(doc.id ?? 'connector')
    .slice(0, 55)
    .replace(/-custom(-\d+)?$/, '')}-custom`
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  const name = String(doc.name ?? 'Connector').replace(/ \(custom\)$/, '')
  return { ...doc, id, name: `${name} (custom)`.slice(0, 80) }
}

/** A key not in `taken`: `base`, `base2`, `base3`… */
export function uniqueKey(base: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  let key = base
  for (let n = 2; used.has(key); n++) key = `${base}${n}`
  return key
}

/** Keys of the fields in a list, each once: a draft may declare one twice while it is being edited. */
export function fieldKeys(list: unknown): string[] {
  const keys = objects(list)
    .map((f) => f.key)
    .filter((k): k is string => typeof k === 'string' && k !== '')
  return [...new Set(keys)]
}

/** A new field for a list, with a key no other field there has. */
export function newField(taken: Iterable<string>, secret = false): Obj {
  const key = uniqueKey(secret ? 'apiKey' : 'field', taken)
  return { key, label: secret ? 'API key' : humanize(key), type: secret ? 'secret' : 'text', required: true }
}

/** Changes a field's type, dropping what the new type does not allow (options, a secret's default). */
export function setFieldType(field: Obj, type: string): void {
  field.type = type
  if (type === 'select' && !Array.isArray(field.options)) field.options = [{ value: 'option1', label: 'Option 1' }]
  if (type !== 'select') delete field.options
  if (type === 'secret') delete field.default
  if ('default' in field && type === 'number' && typeof field.default !== 'number') delete field.default
  if ('default' in field && type === 'boolean' && typeof field.default !== 'boolean') delete field.default
}

/** The first secret field's placeholder, for new credential templates. */
function secretPlaceholder(method: Obj): string {
  const fields = objects(method.fields)
  const secret = fields.find((f) => f.type === 'secret') ?? fields[0]
  return typeof secret?.key === 'string' ? `{{${secret.key}}}` : ''
}

/** A new auth method of a type, with its credential fields and templates filled in. */
export function newAuthMethod(type: EditableAuth, doc: Doc): Obj {
  const ids = objects(doc.auth).map((m) => String(m.id))
  const taken = fieldKeys(doc.fields)
  const secret = (key: string, label: string) => ({ key: uniqueKey(key, taken), label, type: 'secret', required: true })
  const other = skeleton(
    type,
    (key) => uniqueKey(key, taken),
    (id) => uniqueKey(id, ids),
  )
  if (other) return other
  if (type === 'basic') {
    const username = { key: uniqueKey('username', taken), label: 'Username', type: 'text', required: true }
    const password = secret('password', 'Password')
    return {
      type,
      id: uniqueKey('basic', ids),
      label: 'Username and password',
      fields: [username, password],
      username: `{{${username.key}}}`,
      password: `{{${password.key}}}`,
    }
  }
  if (type === 'apiKey') {
    const key = secret('apiKey', 'API key')
    return {
      type,
      id: uniqueKey('apiKey', ids),
      label: 'API key',
      fields: [key],
      placements: [{ in: 'header', name: 'X-Api-Key', value: `{{${key.key}}}` }],
    }
  }
  const token = secret('token', 'Token')
  return { type, id: uniqueKey('token', ids), label: 'Bearer token', fields: [token], token: `{{${token.key}}}` }
}

/**
 * Switches a method to another type: keeps id, label, description, fields and unknown keys, drops the old
 * type's settings and starts the new type's over the fields there are.
 */
export function setAuthType(method: Obj, type: EditableAuth): void {
  if (method.type === type) return
  const old = Object.keys(authSchema(method.type)?.properties ?? {}).filter((k) => !COMMON.includes(k))
  for (const key of old) delete method[key]
  method.type = type
  const value = secretPlaceholder(method)
  if (type === 'basic') Object.assign(method, { username: '', password: value })
  else if (type === 'apiKey') method.placements = [{ in: 'header', name: 'X-Api-Key', value }]
  else if (type === 'bearer') method.token = value
  else {
    // The new type's templates name its usual fields; those not declared show as missing, with a fix at hand.
    const keys = fieldKeys(method.fields)
    Object.assign(
      method,
      settingsOf(type, (key) => keys.find((k) => k.toLowerCase() === key.toLowerCase()) ?? key),
    )
  }
}

/** Moves an item of a list by `delta` places, in place; false when it cannot move. */
export function move(list: unknown[], index: number, delta: number): boolean {
  const to = index + delta
  if (to < 0 || to >= list.length) return false
  const [item] = list.splice(index, 1)
  list.splice(to, 0, item)
  return true
}

/** Renames a key of an object, keeping the order of the others; false when the name is taken. */
export function renameKey(map: Obj, from: string, to: string): boolean {
  if (from === to) return true
  if (Object.hasOwn(map, to)) return false
  const entries = Object.entries(map)
  for (const [k] of entries) delete map[k]
  for (const [k, v] of entries) map[k === from ? to : k] = v
  return true
}

/** Placeholders of a template that name no field in `keys` (namespaces like `input.` excluded). */
export function missingPlaceholders(template: unknown, keys: readonly string[]): string[] {
  if (typeof template !== 'string') return []
  const names = parseTemplate(template).parts.flatMap((p) => (typeof p === 'string' || p.path.length > 1 ? [] : [p.path[0]!]))
  return [...new Set(names)].filter((n) => !keys.includes(n) && !['input', 'body', 'headers'].includes(n))
}

/** A required connection field for a placeholder: `subdomain` → text "Subdomain", `baseUrl` → url. */
export function fieldFor(key: string): Obj {
  return { key, label: humanize(key), type: /url$/i.test(key) ? 'url' : 'text', required: true }
}

/**
 * Accepted status codes from what a person types: "200, 204".
 *
 * @example
 * parseStatuses('200, 204') // { value: [200, 204] }
 * parseStatuses('2xx')      // { error: '"2xx" is not a status code (100–599)' }
 */
export function parseStatuses(text: string): { value: number[] } | { error: string } {
  const parts = text.split(/[\s,]+/).filter(Boolean)
  for (const part of parts) {
    if (!/^[1-5][0-9]{2}$/.test(part)) return { error: `"${part}" is not a status code (100–599)` }
  }
  return { value: [...new Set(parts.map(Number))] }
}

/** What an "equals" rule compares with: JSON scalars as typed (`true`, `0`, `null`, `"x"`), else the text. */
export function parseScalar(text: string): string | number | boolean | null {
  try {
    const value: unknown = JSON.parse(text)
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as string | number | boolean | null
  } catch {
    // Not JSON: the text itself.
  }
  return text
}

/** How an "equals" value is typed back into its input. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' && parseScalar(value) === value ? value : (JSON.stringify(value) ?? '')
}

/** The file an export downloads: the document with `$schema` first, as the built-ins have it. */
export function exportText(doc: Doc): string {
  const { $schema: _, ...rest } = doc
  return formatJson({ $schema: SCHEMA_PATH, ...rest })
}

/** The colours offered for a generated icon. */
export const ICON_COLOURS = ['#4f46e5', '#0f7b4f', '#b42318', '#9a5b00', '#0079bf', '#181717', '#7c3aed', '#db2777']

/**
 * A rounded square with one or two letters, as an SVG data URI like the built-in icons.
 *
 * @example
 * letterIcon('A', '#4f46e5') // 'data:image/svg+xml;utf8,%3Csvg…'
 */
export function letterIcon(letters: string, colour: string): string {
  const text = letters.slice(0, 2).replace(/[<>&'"]/g, '') || '?'
  const size = text.length > 1 ? 14 : 18
  const svg =
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='7' fill='${colour}'/><text ` +
    `x='16' y='${text.length > 1 ? 21 : 22.5}' fill='#fff' font-family='Arial,sans-serif' font-size='${size}' ` +
    `font-weight='700' text-anchor='middle'>${text}</text></svg>`
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`
}
