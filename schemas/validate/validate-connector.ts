import { validateConnectorSchema } from './compile.ts'
import { toProblems } from './messages.ts'
import { Checker, isObject, type FieldInfo } from './context.ts'
import { declareFields, warnUnused } from './check-fields.ts'
import { checkAuth } from './check-auth.ts'
import { checkActions, checkTest } from './check-requests.ts'
import type { ValidationResult } from './types.ts'

/**
 * Validates a connector definition: the JSON Schema first, then the rules a schema cannot say —
 * placeholders refer to declared fields and inputs, secrets stay out of URLs and labels, scopes exist,
 * keys are unique, paths stay under the base URL. Never throws, whatever it is given.
 *
 * @example
 * const { valid, errors, warnings } = validateConnector(JSON.parse(text))
 * for (const e of errors) console.log(e.path, e.message)
 */
export function validateConnector(doc: unknown): ValidationResult {
  validateConnectorSchema(doc)
  const structural = toProblems(validateConnectorSchema.errors ?? [])
  const check = new Checker()
  if (isObject(doc)) checkSemantics(check, doc)
  const errors = [...structural, ...check.errors]
  return { valid: errors.length === 0, errors, warnings: check.warnings }
}

function checkSemantics(check: Checker, doc: Record<string, unknown>): void {
  const fields = new Map<string, FieldInfo>()
  const declared = declareFields(check, doc.fields, '/fields', fields)
  check.template(doc.baseUrl, '/baseUrl', { fields, secrets: false, what: 'the base URL' })
  if (typeof doc.baseUrl === 'string' && /^http:\/\//.test(doc.baseUrl)) {
    check.warn('/baseUrl', 'insecureUrl', 'baseUrl uses http: credentials would travel unencrypted — use https')
  }
  check.templates(doc.headers, '/headers', { fields, secrets: true, what: 'a header' }, true)
  const scopes = checkAuth(check, doc.auth, fields)
  checkTest(check, doc.test, fields, doc.baseUrl)
  checkActions(check, doc.actions, fields, scopes)
  if (doc.test === undefined) check.warn('', 'noTest', 'the connector has no test request: connections cannot be checked before use')
  warnUnused(check, declared)
}
