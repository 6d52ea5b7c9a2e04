import type { ErrorObject } from 'ajv'
import { pointer, readablePath } from './pointer.ts'
import type { ValidationProblem } from './types.ts'

/** A compiled schema check, at start or ahead of time: answers whether the value is valid, and why not in `errors`. */
export interface SchemaCheck {
  (value: unknown): boolean
  errors?: readonly ErrorObject[] | null | undefined
}

const AUTH_TYPES = ['basic', 'apiKey', 'bearer', 'oauth2']
const PAGINATION_TYPES = ['link', 'cursor', 'offset', 'page']

/**
 * Turns ajv's errors into problems a person can act on: the place in readable form, what is expected,
 * and a suggestion for misspelt property names. Values from the document are not echoed, so a secret
 * pasted into the wrong place never ends up in a message.
 *
 * @example
 * toProblems(validate.errors ?? [])
 * // [{ path: '/auth/1/placements/0/in', keyword: 'enum', message: "auth[1].placements[0].in must be 'header' or 'query'" }]
 */
export function toProblems(errors: readonly ErrorObject[]): ValidationProblem[] {
  const problems: ValidationProblem[] = []
  const seen = new Set<string>()
  const discriminated = new Set(errors.filter((e) => e.keyword === 'discriminator').map((e) => e.instancePath))
  for (const error of errors) {
    // `if` only reports that its `then` failed, which has its own error; a missing `type` on an auth
    // method is reported by the discriminator with a better message.
    if (error.keyword === 'if') continue
    if (error.keyword === 'required' && error.params.missingProperty === 'type' && discriminated.has(error.instancePath)) continue
    const problem = toProblem(error)
    const key = `${problem.path}\u0000${problem.message}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push(problem)
  }
  return problems
}

function toProblem(error: ErrorObject): ValidationProblem {
  const at = error.instancePath
  const where = readablePath(at)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty)
      return { path: at + pointer(missing), keyword: 'required', message: `${readablePath(at + pointer(missing))} is required` }
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty)
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {})
      const near = closest(extra, known)
      const hint = near ? ` — did you mean "${near}"?` : known.length > 0 ? ` (allowed: ${known.join(', ')})` : ''
      return { path: at + pointer(extra), keyword: 'additionalProperties', message: `${where} has an unknown property "${extra}"${hint}` }
    }
    case 'discriminator': {
      const tag = String(params.tag)
      const types = /\/pagination$/.test(error.instancePath) ? PAGINATION_TYPES : AUTH_TYPES
      // ajv reports a missing tag and a tag that is not a string alike ('tag'); only the first is "required".
      const message =
        params.error === 'mapping' || params.tagValue !== undefined
          ? `${where}.${tag} must be ${oneOf(types)}`
          : `${where}.${tag} is required: one of ${oneOf(types)}`
      return { path: at + pointer(tag), keyword: 'discriminator', message }
    }
    case 'enum':
      return { path: at, keyword: 'enum', message: `${where} must be ${oneOf((params.allowedValues as unknown[]).map(String))}` }
    case 'const':
      return { path: at, keyword: 'const', message: `${where} must be '${String(params.allowedValue)}'` }
    case 'type':
      return { path: at, keyword: 'type', message: `${where} must be ${article(String(params.type))}` }
    case 'pattern':
      return { path: at, keyword: 'pattern', message: `${where} is not valid: ${explain(error)}` }
    case 'minLength':
      return {
        path: at,
        keyword: 'minLength',
        message: Number(params.limit) === 1 ? `${where} must not be empty` : `${where} must be at least ${String(params.limit)} characters`,
      }
    case 'maxLength':
      return { path: at, keyword: 'maxLength', message: `${where} must be at most ${String(params.limit)} characters` }
    case 'minItems':
      return {
        path: at,
        keyword: 'minItems',
        message: `${where} needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`,
      }
    case 'maxItems':
      return { path: at, keyword: 'maxItems', message: `${where} can have at most ${String(params.limit)} items` }
    case 'uniqueItems':
      return {
        path: at,
        keyword: 'uniqueItems',
        message: `${where} has the same item twice (items ${String(params.j)} and ${String(params.i)})`,
      }
    case 'minimum':
    case 'maximum':
      return {
        path: at,
        keyword: error.keyword,
        message: `${where} must be ${error.keyword === 'minimum' ? '≥' : '≤'} ${String(params.limit)}`,
      }
    case 'minProperties':
    case 'maxProperties':
      return { path: at, keyword: error.keyword, message: shapeMessage(error, where) }
    case 'oneOf':
      return { path: at, keyword: 'oneOf', message: shapeMessage(error, where) }
    case 'not':
      return { path: at, keyword: 'not', message: shapeMessage(error, where) }
    case 'propertyNames':
      return { path: at, keyword: 'propertyNames', message: `${where} has a property name that is not valid` }
    default:
      return { path: at, keyword: error.keyword, message: `${where} ${error.message ?? 'is not valid'}` }
  }
}

/** Messages for the rules whose ajv wording ("must match exactly one schema in oneOf") helps nobody. */
function shapeMessage(error: ErrorObject, where: string): string {
  const title = (error.parentSchema as { title?: string } | undefined)?.title
  if (title === 'TestRequest') return `${where} needs either "path" (relative to the base URL) or "url" (absolute), not both`
  if (title === 'BodyRule') return `${where} needs "pointer" and exactly one of "equals" or "exists"`
  // A `not` sits in an if/then/else of a $ref'd definition: its schemaPath (`#/allOf/0/else/not`) and
  // parent schema (the `else`) name neither Field nor OAuth2Auth, so tell them apart by what is forbidden.
  const forbidden = (error.keyword === 'not' ? error.schema : undefined) as { required?: string[]; anyOf?: unknown[] } | undefined
  if (forbidden?.required?.includes('options')) {
    return `${where}.options is only for fields of type "select"`
  }
  if (forbidden?.required?.includes('default')) {
    return `${where}.default is not allowed on a secret field: secrets are entered, never preset`
  }
  if (forbidden?.anyOf) {
    return `${where}: authorizeUrl, pkce and authorizeParams apply to the authorization_code grant only`
  }
  return `${where} ${error.message ?? 'is not valid'}`
}

/** Explains a pattern failure with the description of the sub-schema that declares it. */
function explain(error: ErrorObject): string {
  const schema = error.parentSchema as { description?: string; examples?: unknown[] } | undefined
  const description = schema?.description?.replace(/\.$/, '') ?? `it must match ${String(error.params.pattern)}`
  const example = schema?.examples?.[0]
  return typeof example === 'string' ? `${description} (for example "${example}")` : description
}

function oneOf(values: string[]): string {
  const quoted = values.map((v) => `'${v}'`)
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
}

function article(type: string): string {
  const names = type.split(',').map((t) => (t === 'array' || t === 'integer' || t === 'object' ? `an ${t}` : `a ${t}`))
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
}

/** The known name within edit distance 2 of `name`, if any. */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  return best
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = row[j]!
      row[j] = next
    }
  }
  return row[b.length]!
}
