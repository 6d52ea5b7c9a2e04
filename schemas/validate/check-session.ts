import { checkPath } from './check-requests.ts'
import { arrayOf, type Checker, type FieldInfo, isObject, type Scope } from './context.ts'
import { pointer, readablePath } from './pointer.ts'

const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * A session method: the login's templates see the fields (secrets in headers, body and Basic only), the
 * placements and the logout see `{{session.<name>}}` too, every placement names a capture, and nothing a
 * login answer holds can reach a URL unless the capture is marked as no secret.
 */
export function checkSession(check: Checker, method: Record<string, unknown>, at: string, fields: ReadonlyMap<string, FieldInfo>): void {
  const login = isObject(method.login) ? method.login : {}
  const urlScope: Scope = { fields, secrets: false, what: 'the login URL' }
  const credential: Scope = { fields, secrets: true, credential: true, what: 'the login' }
  check.template(login.path, `${at}/login/path`, urlScope)
  checkPath(check, login.path, `${at}/login/path`)
  check.template(login.url, `${at}/login/url`, urlScope)
  check.templates(login.headers, `${at}/login/headers`, credential, true)
  check.body(login.body, `${at}/login/body`, credential)
  if (isObject(login.basic)) {
    check.template(login.basic.username, `${at}/login/basic/username`, credential)
    check.template(login.basic.password, `${at}/login/basic/password`, credential)
  }
  if (login.body !== undefined && login.method === 'GET') {
    check.error(`${at}/login/body`, 'bodyIgnored', `${readablePath(`${at}/login/body`)} cannot be sent with GET: use POST`)
  }
  if (login.bodyType === 'form' && login.body !== undefined && !isObject(login.body)) {
    check.error(`${at}/login/body`, 'formBody', `${readablePath(`${at}/login/body`)} must be an object of fields when bodyType is "form"`)
  }
  const captures = sessionCapturesOf(method)
  const sessionScope: Scope = { fields, secrets: true, credential: true, session: captures, what: 'a session placement' }
  const used = new Set<string>()
  arrayOf(method.placements).forEach((placement, i) => {
    if (!isObject(placement)) return
    const path = at + pointer('placements', i)
    check.template(placement.value, `${path}/value`, sessionScope)
    check.headerValue(placement.value, `${path}/value`)
    if (typeof placement.value === 'string') for (const name of placement.value.matchAll(/\{\{\s*session\.(\w+)/g)) used.add(name[1]!)
    if (typeof placement.name === 'string' && placement.in !== 'query' && !COOKIE_NAME.test(placement.name)) {
      check.error(`${path}/name`, 'headerName', `${readablePath(`${path}/name`)} is not a valid ${String(placement.in)} name`)
    }
  })
  if (used.size === 0 && Array.isArray(method.placements)) {
    check.error(
      `${at}/placements`,
      'sessionUnused',
      `${readablePath(`${at}/placements`)} send no {{session.<name>}}: the requests would carry nothing from the login`,
    )
  }
  if (isObject(method.logout)) {
    check.template(method.logout.path, `${at}/logout/path`, { ...sessionScope, secrets: false, what: 'the logout path' })
    checkPath(check, method.logout.path, `${at}/logout/path`)
    check.templates(method.logout.headers, `${at}/logout/headers`, { ...sessionScope, what: 'a logout header' }, true)
  }
  if (method.expiry === undefined) {
    check.warn(
      `${at}/login`,
      'sessionWithoutExpiry',
      `${readablePath(at)} says nothing of when a session ends: the runtime logs in again only after the API answers 401 — set ` +
        'expiry (from the answer, or lifetimeSeconds)',
    )
  }
}

/**
 * A literal login URL on another origin than a literal base URL needs the connector to declare its host in
 * `allowedHosts` (the runtime checks the exact origin): the password goes nowhere else.
 */
export function checkLoginOrigins(check: Checker, doc: Record<string, unknown>): void {
  const base = doc.baseUrl
  if (typeof base !== 'string' || base.includes('{{') || !URL.canParse(base) || arrayOf(doc.allowedHosts).length > 0) return
  arrayOf(doc.auth).forEach((method, i) => {
    if (!isObject(method) || method.type !== 'session' || !isObject(method.login)) return
    const url = method.login.url
    if (typeof url !== 'string' || url.includes('{{') || !URL.canParse(url) || new URL(url).origin === new URL(base).origin) return
    const path = pointer('auth', i, 'login', 'url')
    check.error(
      path,
      'otherOrigin',
      `${readablePath(path)} is on another origin than the base URL: list its host in allowedHosts, or use login.path under the base URL`,
    )
  })
}

/** A session method's captures by name, each with whether it is a secret (all are, unless marked `secret: false`). */
export function sessionCapturesOf(method: Record<string, unknown>): Map<string, boolean> {
  const captures = new Map<string, boolean>()
  if (isObject(method.capture)) {
    for (const [name, capture] of Object.entries(method.capture)) captures.set(name, !(isObject(capture) && capture.secret === false))
  }
  return captures
}

/**
 * What the test and actions may use as `{{session.<name>}}`: when every auth method is a session, the captures
 * they all have (secret if any method keeps it secret); otherwise nothing.
 *
 * @example
 * requestSession([{ type: 'session', capture: { siteId: { from: 'body', pointer: '/site', secret: false } } }])
 * // Map { 'siteId' => false }
 */
export function requestSession(auth: unknown): Map<string, boolean> | undefined {
  const methods = arrayOf(auth).filter(isObject)
  if (methods.length === 0 || methods.some((m) => m.type !== 'session')) return undefined
  let common: Map<string, boolean> | undefined
  for (const method of methods) {
    const own = sessionCapturesOf(method)
    if (!common) common = own
    else {
      const next = new Map<string, boolean>()
      for (const [name, secret] of common) if (own.has(name)) next.set(name, secret || own.get(name)!)
      common = next
    }
  }
  return common
}
