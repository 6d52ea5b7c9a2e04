/**
 * Sample values from schemas, and the request a connector's templates say an action sends, worked out
 * independently of the runtime's renderer so that the catalogue tests check one against the other.
 */
import fc from 'fast-check'
import { expect } from 'vitest'
import type { Action, AuthMethod, Connector, Field } from '../../schemas/types/connector.ts'
import { makePki, oneLine, type TestPki } from '../auth/providers/certs.ts'

let testPki: TestPki | undefined

/** The parts of a JSON Schema the built-in action inputs use. */
export interface InputSchema {
  type?: string | string[]
  properties?: Record<string, InputSchema>
  required?: string[]
  items?: InputSchema
  enum?: unknown[]
  const?: unknown
  examples?: unknown[]
  default?: unknown
  format?: string
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
}

/** A string matching `pattern`, at least 12 characters long when the pattern allows it; the same every run. */
export function matching(pattern: string, seed: number): string {
  const arbitrary = fc.stringMatching(new RegExp(pattern), { size: 'medium' })
  const [long] = fc.sample(
    arbitrary.filter((s) => s.length >= 12),
    { numRuns: 1, seed },
  )
  return long ?? fc.sample(arbitrary, { numRuns: 1, seed })[0]!
}

/**
 * A valid value for one input: its first example, else its default, else its first enum value, else one
 * made up from its type, format and bounds.
 *
 * @example
 * sample({ type: 'integer', minimum: 1, maximum: 100 }, 'limit') // 7
 */
export function sample(schema: InputSchema, name: string): unknown {
  if (schema.examples?.[0] !== undefined) return schema.examples[0]
  if (schema.default !== undefined) return schema.default
  if (schema.const !== undefined) return schema.const
  if (schema.enum?.[0] !== undefined) return schema.enum[0]
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'integer':
    case 'number': {
      const wanted = type === 'integer' ? 7 : 7.5
      return Math.min(schema.maximum ?? wanted, Math.max(schema.minimum ?? wanted, wanted))
    }
    case 'boolean':
      return true
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, (_, i) => sample(schema.items ?? { type: 'string' }, `${name}${i}`))
    case 'object':
      if (!schema.properties) return { sampleKey: 'sample value' }
      return Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, sample(value, key)]))
    default:
      return sampleString(schema, name)
  }
}

function sampleString(schema: InputSchema, name: string): string {
  if (schema.pattern) return matching(schema.pattern, name.length)
  switch (schema.format) {
    case 'email':
      return `${name.toLowerCase()}@example.com`
    case 'date-time':
      return '2025-03-01T09:30:00Z'
    case 'date':
      return '2025-03-01'
    case 'multiline':
      return `First line of ${name}\nSecond line & more`
  }
  // A space, a reserved character and a non-ASCII one, to check the encoding of paths, queries and bodies.
  const text = `sample ${name}&ü`
  return text.slice(0, schema.maxLength ?? text.length).padEnd(schema.minLength ?? 0, 'x')
}

/** Inputs for every property an action declares, required or not, so every template gets a value. */
export function sampleInputs(action: Action): Record<string, unknown> {
  const schema = (action.input ?? {}) as InputSchema
  return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sample(value, key)]))
}

/** The auth method a catalogue test connects with: the first one that takes typed credentials, else OAuth2. */
export function testMethod(connector: Connector): AuthMethod {
  return connector.auth.find((m) => m.type !== 'oauth2') ?? connector.auth[0]!
}

/** Values for a connection's fields: placeholders and defaults where they are valid, made-up secrets otherwise. */
export function fieldValues(connector: Connector, method: AuthMethod): Record<string, string> {
  const values: Record<string, string> = {}
  const fields: Field[] = [...(connector.fields ?? []), ...(method.fields ?? [])]
  // A client certificate must be a real one whose key matches it: made with openssl, once.
  if (method.type === 'mtls') {
    const pki = (testPki ??= makePki())
    const pem: Record<string, string> = {}
    const made: Array<[string | undefined, string]> = [
      [method.certificate, pki.clientB.cert],
      [method.privateKey, pki.clientB.key],
      [method.ca, pki.ca.cert],
    ]
    for (const [template, value] of made) {
      const key_ = template === undefined ? undefined : /^\{\{\s*([A-Za-z0-9_-]+)\s*\}\}$/.exec(template)?.[1]
      if (key_) pem[key_] = oneLine(value)
    }
    fields.forEach((field) => {
      if (pem[field.key] !== undefined) values[field.key] = pem[field.key]!
    })
  }
  fields.forEach((field, index) => {
    if (values[field.key] !== undefined) return
    const fits = (value: unknown): value is string =>
      typeof value === 'string' && value !== '' && !value.includes('…') && (!field.pattern || new RegExp(field.pattern).test(value))
    if (field.type === 'select') values[field.key] = String(field.default ?? field.options?.[0]?.value)
    else if (field.type === 'secret')
      values[field.key] = field.pattern ? matching(field.pattern, 1000 + index) : `s3cr3t-${connector.id}-${field.key}-0b9f`
    else if (fits(field.default)) values[field.key] = field.default
    else if (fits(field.placeholder)) values[field.key] = field.placeholder
    else values[field.key] = field.pattern ? matching(field.pattern, index) : `sample-${field.key}`
  })
  return values
}

type Resolve = (path: string[]) => unknown

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g

/** Renders `{{name}}` and `{{input.a.b}}`: nothing for a missing value, JSON for objects. */
export function render(template: string, resolve: Resolve, encode: (text: string) => string = (t) => t): string {
  return template.replace(PLACEHOLDER, (_, path: string) => {
    const value = resolve(path.split('.'))
    if (value === undefined || value === null) return ''
    return encode(typeof value === 'object' ? JSON.stringify(value) : String(value))
  })
}

/** A JSON body template: a string that is exactly one placeholder keeps the value's type; missing values drop out. */
export function renderJson(template: unknown, resolve: Resolve): unknown {
  if (typeof template === 'string') {
    const whole = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/.exec(template)
    if (whole) return resolve(whole[1]!.split('.'))
    return render(template, resolve)
  }
  if (Array.isArray(template)) return template.map((item) => renderJson(item, resolve)).filter((item) => item !== undefined)
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(
      Object.entries(template)
        .map(([key, value]) => [key, renderJson(value, resolve)])
        .filter(([, value]) => value !== undefined),
    )
  }
  return template
}

/** Looks a dotted path up: `input.x` in the inputs, `session.x` in a session's captures, anything else in the values. */
export function resolver(inputs: Record<string, unknown>, values: Record<string, string>, session: Record<string, string> = {}): Resolve {
  return ([head, ...rest]) => {
    let value: unknown = head === 'input' ? inputs : head === 'session' ? session : values[head!]
    for (const key of head === 'input' || head === 'session' ? rest : [])
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
    return value
  }
}

/** The auth a method adds to a request: headers (lower-case names) and query parameters. */
export function expectedAuth(
  method: AuthMethod,
  values: Record<string, string>,
  accessToken: string,
): { headers: Record<string, string>; query: Record<string, string> } {
  const fill = (template: string) => render(template, ([key]) => values[key!])
  switch (method.type) {
    case 'bearer':
      return { headers: { authorization: `Bearer ${fill(method.token)}` }, query: {} }
    case 'basic':
      return {
        headers: { authorization: `Basic ${Buffer.from(`${fill(method.username)}:${fill(method.password)}`).toString('base64')}` },
        query: {},
      }
    case 'oauth2':
    case 'jwt':
      return { headers: { authorization: `Bearer ${accessToken}` }, query: {} }
    case 'none':
      return { headers: {}, query: {} }
    case 'session': {
      const out = { headers: {} as Record<string, string>, query: {} as Record<string, string> }
      const resolve = resolver({}, values, sessionFor(method))
      const cookies: string[] = []
      for (const placement of method.placements) {
        const value = render(placement.value, resolve)
        if (placement.in === 'header') out.headers[placement.name.toLowerCase()] = value
        else if (placement.in === 'query') out.query[placement.name] = value
        else cookies.push(`${placement.name}=${value}`)
      }
      if (cookies.length > 0) out.headers.cookie = cookies.join('; ')
      return out
    }
    // Signatures change with every request (a timestamp, a nonce): their stand-ins verify them
    // (tests/auth/); here the values are expected where they go, the placements' exactly.
    case 'hmac':
    case 'mtls': {
      const out = { headers: {} as Record<string, string>, query: {} as Record<string, string> }
      for (const placement of method.placements ?? []) {
        if (placement.in === 'header') out.headers[placement.name.toLowerCase()] = fill(placement.value)
        else out.query[placement.name] = fill(placement.value)
      }
      if (method.type === 'hmac') {
        for (const generated of [method.timestamp, method.nonce, method.signature]) {
          if (generated?.in === 'query' && generated.name) out.query[generated.name] = expect.any(String) as unknown as string
        }
      }
      return out
    }
    case 'awsSigV4':
    case 'oauth1':
      return { headers: {}, query: {} }
    case 'apiKey': {
      const out = { headers: {} as Record<string, string>, query: {} as Record<string, string> }
      for (const placement of method.placements) {
        if (placement.in === 'header') out.headers[placement.name.toLowerCase()] = fill(placement.value)
        else out.query[placement.name] = fill(placement.value)
      }
      return out
    }
  }
}

/** What a session method's login captured, made up: `<name>-7c1e` for each capture (empty for other methods). */
export function sessionFor(method: AuthMethod): Record<string, string> {
  if (method.type !== 'session') return {}
  return Object.fromEntries(Object.keys(method.capture).map((name) => [name, `${name}-7c1e`]))
}

/** The value at a JSON pointer's place in a fresh object, for an upstream to answer with. */
export function nest(pointer: string, value: unknown): unknown {
  const keys = pointer
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
  return keys.reduceRight<unknown>(
    (inner, key) => (/^\d+$/.test(key) ? Object.assign([], { [Number(key)]: inner }) : { [key]: inner }),
    value,
  )
}
