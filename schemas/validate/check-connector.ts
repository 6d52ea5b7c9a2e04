import { checkAuth } from './check-auth.ts'
import { credentialFields, declareFields, warnUnused } from './check-fields.ts'
import { checkPagination, checkRateLimits } from './check-limits.ts'
import { checkBaseUrlFromToken } from './check-oauth2-extras.ts'
import { checkActions, checkTest } from './check-requests.ts'
import { checkLoginOrigins, requestSession } from './check-session.ts'
import { Checker, type FieldInfo, isObject } from './context.ts'
import { tooDeep } from './depth.ts'
import { type SchemaCheck, toProblems } from './messages.ts'
import { readablePath } from './pointer.ts'
import type { ValidationProblem, ValidationResult } from './types.ts'

/** Far deeper than any connector needs, far shallower than where the recursive checks run out of stack. */
const MAX_DEPTH = 100

/**
 * Validates a connector definition with a given schema check: the JSON Schema first, then the rules a schema
 * cannot say — placeholders refer to declared fields and inputs, secrets stay out of URLs and labels, scopes
 * exist, keys are unique, paths stay under the base URL. Plain functions without ajv, so that the runtime (ajv
 * compiling at start) and the designer (the same schema compiled ahead of time) share every rule. Never throws,
 * whatever it is given.
 *
 * @example
 * const { valid, errors, warnings } = checkConnector(validateConnectorSchema, JSON.parse(text))
 */
export function checkConnector(schemaCheck: SchemaCheck, doc: unknown): ValidationResult {
  const deep = tooDeep(doc, MAX_DEPTH)
  if (deep !== undefined) {
    const message = `${readablePath(deep)} is nested too deeply: at most ${MAX_DEPTH} levels of objects and arrays`
    return { valid: false, errors: [{ path: deep, keyword: 'maxDepth', message }], warnings: [] }
  }
  const structural = checkSchema(schemaCheck, doc)
  const check = new Checker()
  if (isObject(doc)) checkSemantics(check, doc)
  const errors = [...structural, ...check.errors]
  return { valid: errors.length === 0, errors, warnings: check.warnings }
}

function checkSchema(schemaCheck: SchemaCheck, doc: unknown): ValidationProblem[] {
  try {
    schemaCheck(doc)
  } catch {
    // ajv's uniqueItems compares items it cannot type from `items` (a `$ref`, as in `categories`) with
    // fast-deep-equal, which calls an item's own `valueOf`/`toString`: `[{"valueOf": 1}, {"valueOf": 1}]`
    // throws. Such a document is broken anyway; say so instead of throwing.
    const message = 'the connector could not be checked against the schema: a value has the wrong type (an object where a string belongs)'
    return [{ path: '', keyword: 'schema', message }]
  }
  return toProblems(schemaCheck.errors ?? [])
}

function checkSemantics(check: Checker, doc: Record<string, unknown>): void {
  const fields = new Map<string, FieldInfo>()
  const declared = declareFields(check, doc.fields, '/fields', fields)
  check.credentials = credentialFields(doc.auth)
  check.template(doc.baseUrl, '/baseUrl', { fields, secrets: false, what: 'the base URL' })
  if (typeof doc.baseUrl === 'string' && /^http:\/\//.test(doc.baseUrl)) {
    check.warn('/baseUrl', 'insecureUrl', 'baseUrl uses http: credentials would travel unencrypted — use https')
  }
  check.templates(doc.headers, '/headers', { fields, secrets: true, what: 'a header' }, true)
  const scopes = checkAuth(check, doc.auth, fields)
  check.session = requestSession(doc.auth)
  checkLoginOrigins(check, doc)
  checkBaseUrlFromToken(check, doc)
  checkTest(check, doc.test, fields, doc.baseUrl)
  checkActions(check, doc.actions, fields, scopes)
  checkPagination(check, doc.actions)
  checkRateLimits(check, doc.rateLimits, fields)
  if (doc.test === undefined) check.warn('', 'noTest', 'the connector has no test request: connections cannot be checked before use')
  warnUnused(check, declared)
}
