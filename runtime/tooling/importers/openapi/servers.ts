import type { Field } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { clip, humanize, toKey, UniqueKeys } from './names.ts'

const BASE_URL = /^(https?:\/\/[^\s]+|\{\{\s*[A-Za-z][A-Za-z0-9_]*\s*\}\}[^\s]*)$/
/** Characters a value keeps through `encodeURIComponent`, which the runtime applies to base-URL fields. */
const URL_SAFE = /^[A-Za-z0-9\-_.!~*'()]+$/

/** The connector's base URL and the fields it is made from. */
export interface ServerMapping {
  baseUrl: string
  fields: Field[]
  /** The server's URL with every variable at its default, when that is a full URL: relative OAuth2 URLs resolve against it. */
  example?: string
  notes: string[]
}

/**
 * `servers` (OpenAPI 3) or `schemes` + `host` + `basePath` (Swagger 2.0) → base URL. Server variables
 * become fields (an `enum` a select, the default kept); a server without a host, or one whose variables
 * hold URL parts that cannot be substituted safely, becomes one URL field instead.
 *
 * @example
 * mapServers({ servers: [{ url: 'https://{region}.acme.test', variables: { region: { default: 'eu', enum: ['eu', 'us'] } } }] }, '3.0')
 * // { baseUrl: 'https://{{region}}.acme.test', fields: [{ key: 'region', type: 'select', default: 'eu', … }], … }
 */
export function mapServers(doc: Record<string, unknown>, version: '2.0' | '3.0' | '3.1'): ServerMapping {
  const notes: string[] = []
  const server = version === '2.0' ? swaggerServer(doc) : firstServer(doc, notes)
  const url = server.url.trim().replace(/\/+$/, '')
  if (!/^https?:\/\//i.test(url) && !/^\{[^}]*\}/.test(url)) {
    notes.push(
      url === ''
        ? 'the spec names no server: the base URL is a field to fill in'
        : `the server URL "${clip(url, 200)}" has no host: the base URL is a field to fill in`,
    )
    return { ...wholeUrlField(undefined, url), notes }
  }
  const keys = new UniqueKeys()
  const fields: Field[] = []
  const example = url.replace(/\{([^{}]*)\}/g, (_, name: string) => String(variableOf(server.variables, name)?.default ?? ''))
  let safe = true
  const baseUrl = url.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    const variable = variableOf(server.variables, name)
    const values = [variable?.default, ...(Array.isArray(variable?.enum) ? variable.enum : [])].filter((v) => v !== undefined && v !== '')
    if (values.some((v) => !URL_SAFE.test(String(v)))) safe = false
    const key = keys.take(toKey(name, 'server'))
    fields.push(variableField(key, name, variable))
    return `{{${key}}}`
  })
  if (!safe || !BASE_URL.test(baseUrl) || baseUrl.length > 2048 || /[{}]/.test(baseUrl.replace(/\{\{[A-Za-z0-9_]+\}\}/g, ''))) {
    notes.push('the server URL\'s variables hold parts of a URL (":" or "/"): the whole base URL is one field')
    return { ...wholeUrlField(/^https?:\/\//.test(example) ? example : undefined, url), notes }
  }
  if (/^http:\/\//i.test(baseUrl)) notes.push('the server uses http: credentials would travel unencrypted')
  return { baseUrl, fields, ...(/^https?:\/\/[^\s{}]+$/.test(example) ? { example } : {}), notes }
}

function swaggerServer(doc: Record<string, unknown>): { url: string; variables?: unknown } {
  const host = typeof doc.host === 'string' ? doc.host : ''
  const basePath = typeof doc.basePath === 'string' ? doc.basePath : ''
  const schemes = Array.isArray(doc.schemes) ? doc.schemes.filter((s) => s === 'https' || s === 'http') : []
  const scheme = schemes.includes('https') || schemes.length === 0 ? 'https' : 'http'
  return { url: host === '' ? basePath : `${scheme}://${host}${basePath.startsWith('/') || basePath === '' ? basePath : `/${basePath}`}` }
}

function firstServer(doc: Record<string, unknown>, notes: string[]): { url: string; variables?: unknown } {
  const servers = Array.isArray(doc.servers) ? doc.servers.filter(isObject) : []
  const first = servers.find((s) => typeof s.url === 'string')
  if (servers.length > 1) {
    const others = servers.slice(1, 4).map((s) => String(s.url))
    notes.push(
      `the spec lists ${servers.length} servers; the first is the base URL ` +
        `(others: ${others.join(', ')}${servers.length > 4 ? ', …' : ''})`,
    )
  }
  return first ? { url: String(first.url), variables: first.variables } : { url: '' }
}

function variableOf(variables: unknown, name: string): Record<string, unknown> | undefined {
  return isObject(variables) && isObject(variables[name]) ? variables[name] : undefined
}

function variableField(key: string, name: string, variable: Record<string, unknown> | undefined): Field {
  const help = clip(variable?.description, 1000)
  const base = { key, label: clip(humanize(name), 120) ?? key, ...(help ? { help } : {}) }
  const options = [...new Set((Array.isArray(variable?.enum) ? variable.enum : []).map(String).filter((v) => v !== '' && v.length <= 256))]
  const fallback = variable?.default === undefined ? undefined : String(variable.default)
  if (options.length > 0) {
    const choice = fallback !== undefined && options.includes(fallback) ? fallback : options[0]!
    return {
      ...base,
      type: 'select',
      required: true,
      default: choice,
      options: options.slice(0, 200).map((value) => ({ value, label: clip(value, 120) ?? value })) as NonNullable<Field['options']>,
    }
  }
  return { ...base, type: 'text', required: true, ...(fallback ? { default: fallback } : {}) }
}

function wholeUrlField(example: string | undefined, url: string): { baseUrl: string; fields: Field[]; example?: string } {
  const path = url.startsWith('/') ? url : ''
  const field: Field = {
    key: 'baseUrl',
    label: 'Base URL',
    type: 'url',
    required: true,
    help: clip(`The API's address${path ? `, ending in ${path}` : ''}.`, 1000)!,
    ...(example ? { default: example.slice(0, 2048) } : { placeholder: `https://api.example.com${path}`.slice(0, 200) }),
  }
  return { baseUrl: '{{baseUrl}}', fields: [field], ...(example ? { example } : {}) }
}
