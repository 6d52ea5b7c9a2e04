import { parseTemplate } from '../template/index.ts'
import { checkPattern } from './check-pattern.ts'
import { arrayOf, type Checker, type FieldInfo, isObject, type Scope } from './context.ts'
import { pointer, readablePath } from './pointer.ts'

const ENCODED_TRICKS = /%(2e|2f|5c|00|0a|0d)/i
/** A `.` or `..` segment. */
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/

/**
 * A path must stay under the base URL whatever the placeholders hold (those are encoded when sent),
 * so only the literal text is checked: no `.`/`..` segments, no scheme, no encoded separators.
 */
export function checkPath(check: Checker, value: unknown, path: string): void {
  if (typeof value !== 'string') return
  // Text without braces is all literal: nothing to parse.
  const literal =
    value.includes('{{') || value.includes('}}')
      ? parseTemplate(value)
          .parts.map((p) => (typeof p === 'string' ? p : 'x'))
          .join('')
      : value
  const query = literal.search(/[?#]/)
  const pathOnly = query === -1 ? literal : literal.slice(0, query)
  if (DOT_SEGMENT.test(pathOnly)) {
    check.error(path, 'pathTraversal', `${readablePath(path)} must not contain "." or ".." segments: it could leave the base URL's path`)
  }
  if (literal.includes('://'))
    check.error(path, 'absolutePath', `${readablePath(path)} must be relative to the base URL, not contain another URL`)
  if (ENCODED_TRICKS.test(literal))
    check.error(path, 'encodedSeparator', `${readablePath(path)} must not contain encoded dots, slashes, backslashes or control characters`)
  if (query !== -1) check.error(path, 'queryInPath', `${readablePath(path)} must not contain "?" or "#": put query parameters in "query"`)
}

/** The connection test: path or url, query, headers, body, label. */
export function checkTest(check: Checker, test: unknown, fields: ReadonlyMap<string, FieldInfo>, baseUrl: unknown): void {
  if (!isObject(test)) return
  const urlScope: Scope = { fields, secrets: false, what: 'the test request URL' }
  check.template(test.path, '/test/path', urlScope)
  checkPath(check, test.path, '/test/path')
  check.template(test.url, '/test/url', urlScope)
  if (typeof test.url === 'string' && typeof baseUrl === 'string') checkSameOrigin(check, test.url, baseUrl)
  check.templates(test.query, '/test/query', { ...urlScope, what: 'a query parameter' })
  check.templates(test.headers, '/test/headers', { fields, secrets: true, what: 'a header' }, true)
  check.body(test.body, '/test/body', { fields, secrets: true, what: 'the body' })
  check.template(test.label, '/test/label', { fields, secrets: false, response: true, what: 'the account label' })
  if (test.body !== undefined && (test.method === undefined || test.method === 'GET' || test.method === 'HEAD')) {
    check.warn('/test/body', 'bodyIgnored', `test.body is sent only with POST, PUT or PATCH — set test.method`)
  }
  checkRulePatterns(check, test.bodyRules, '/test/bodyRules')
  arrayOf(test.diagnoses).forEach((diagnosis, i) => {
    if (!isObject(diagnosis)) return
    const at = pointer('test', 'diagnoses', i)
    checkRulePatterns(check, diagnosis.bodyRules, `${at}/bodyRules`)
    const success = Array.isArray(test.successStatus) ? test.successStatus : [200]
    const statuses = arrayOf(diagnosis.status)
    if (diagnosis.bodyRules === undefined && diagnosis.contentType === undefined && statuses.some((s) => success.includes(s))) {
      check.warn(
        `${at}/status`,
        'diagnosisHidesSuccess',
        `${readablePath(`${at}/status`)} names a success status with nothing else to tell answers apart: every successful test would ` +
          `fail with this diagnosis — add contentType or bodyRules`,
      )
    }
  })
}

/** A rule's `matches` must run on the linear-time engine. */
function checkRulePatterns(check: Checker, rules: unknown, at: string): void {
  arrayOf(rules).forEach((rule, i) => {
    if (isObject(rule)) checkPattern(check, rule.matches, at + pointer(i, 'matches'))
  })
}

/** When both are literal URLs, the test must go to the base URL's origin: credentials go nowhere else. */
function checkSameOrigin(check: Checker, url: string, baseUrl: string): void {
  if (url.includes('{{') || baseUrl.includes('{{')) return
  const target = originOf(url)
  // A base URL that does not parse is the schema's error at /baseUrl, not test.url's.
  const base = originOf(baseUrl)
  if (target === undefined) check.error('/test/url', 'invalidUrl', 'test.url is not a valid URL')
  else if (base !== undefined && target !== base) {
    check.error('/test/url', 'otherOrigin', "test.url must be on the base URL's origin: credentials are only sent there")
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** Every action: unique keys, inputs that exist, scopes the OAuth2 methods offer. */
export function checkActions(
  check: Checker,
  actions: unknown,
  fields: ReadonlyMap<string, FieldInfo>,
  scopes: ReadonlySet<string> | undefined,
): void {
  const keys = new Map<string, number>()
  arrayOf(actions).forEach((action, i) => {
    if (!isObject(action)) return
    const at = pointer('actions', i)
    if (typeof action.key === 'string') {
      const first = keys.get(action.key)
      if (first !== undefined)
        check.error(`${at}/key`, 'duplicateKey', `${readablePath(`${at}/key`)} "${action.key}" is already used by actions[${first}]`)
      else keys.set(action.key, i)
    }
    const input = isObject(action.input) ? action.input : {}
    const properties = isObject(input.properties) ? input.properties : {}
    const inputs = new Set(Object.keys(properties))
    arrayOf(input.required).forEach((name, j) => {
      if (typeof name === 'string' && !inputs.has(name)) {
        check.error(
          at + pointer('input', 'required', j),
          'unknownInput',
          `${readablePath(at + pointer('input', 'required', j))} names "${name}", which is not in input.properties`,
        )
      }
    })
    checkInputPatterns(check, properties, `${at}/input/properties`)
    const urlScope: Scope = { fields, inputs, secrets: false, what: 'the request URL' }
    check.template(action.path, `${at}/path`, urlScope)
    checkPath(check, action.path, `${at}/path`)
    check.templates(action.query, `${at}/query`, { ...urlScope, what: 'a query parameter' })
    check.templates(action.headers, `${at}/headers`, { fields, inputs, secrets: true, what: 'a header' }, true)
    check.body(action.body, `${at}/body`, { fields, inputs, secrets: true, what: 'the body' })
    if (action.body !== undefined && (action.method === 'GET' || action.method === 'HEAD')) {
      check.warn(`${at}/body`, 'bodyIgnored', `${readablePath(`${at}/body`)} is not sent with ${String(action.method)}`)
    }
    if (action.bodyType === 'form' && action.body !== undefined && !isObject(action.body)) {
      check.error(`${at}/body`, 'formBody', `${readablePath(`${at}/body`)} must be an object of fields when bodyType is "form"`)
    }
    arrayOf(action.scopes).forEach((scope, j) => {
      if (typeof scope !== 'string') return
      const path = at + pointer('scopes', j)
      if (!scopes) check.warn(path, 'scopeWithoutOAuth', `${readablePath(path)} lists a scope, but the connector has no OAuth2 method`)
      else if (!scopes.has(scope))
        check.error(path, 'unknownScope', `${readablePath(path)} "${scope}" is not among the scopes the OAuth2 method declares`)
    })
  })
}

function checkInputPatterns(check: Checker, properties: Record<string, unknown>, at: string): void {
  for (const [name, property] of Object.entries(properties)) {
    if (!isObject(property)) continue
    const path = at + pointer(name)
    checkPattern(check, property.pattern, `${path}/pattern`)
    if (isObject(property.properties)) checkInputPatterns(check, property.properties, `${path}/properties`)
    if (isObject(property.items)) checkInputPatterns(check, { items: property.items }, path)
  }
}
