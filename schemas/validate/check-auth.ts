import { declareFields, warnUnused } from './check-fields.ts'
import { checkJwt } from './check-jwt.ts'
import { checkOAuth2Extras } from './check-oauth2-extras.ts'
import { checkSession } from './check-session.ts'
import { checkSigning } from './check-signing.ts'
import { arrayOf, type Checker, type FieldInfo, isObject, type Scope } from './context.ts'
import { pointer, readablePath } from './pointer.ts'

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * Checks every auth method against the connector's fields plus its own, and returns the scopes the
 * OAuth2 methods declare (undefined when there is no OAuth2 method).
 */
export function checkAuth(check: Checker, auth: unknown, connectorFields: ReadonlyMap<string, FieldInfo>): Set<string> | undefined {
  let scopes: Set<string> | undefined
  const ids = new Map<string, number>()
  arrayOf(auth).forEach((method, i) => {
    if (!isObject(method)) return
    const at = pointer('auth', i)
    if (typeof method.id === 'string') {
      const first = ids.get(method.id)
      if (first !== undefined)
        check.error(`${at}/id`, 'duplicateKey', `${readablePath(`${at}/id`)} "${method.id}" is already used by auth[${first}]`)
      else ids.set(method.id, i)
    }
    const fields = new Map(connectorFields)
    const own = declareFields(check, method.fields, `${at}/fields`, fields)
    const secretScope: Scope = { fields, secrets: true, credential: true, what: 'a credential' }
    switch (method.type) {
      case 'basic':
        check.template(method.username, `${at}/username`, secretScope)
        check.template(method.password, `${at}/password`, secretScope)
        break
      case 'bearer':
        check.template(method.token, `${at}/token`, secretScope)
        check.headerValue(method.token, `${at}/token`)
        break
      case 'apiKey':
        checkPlacements(check, method.placements, at, secretScope)
        break
      case 'session':
        checkSession(check, method, at, fields)
        break
      case 'awsSigV4':
      case 'hmac':
      case 'oauth1':
      case 'mtls':
        checkSigning(check, method, at, secretScope, checkPlacements)
        break
      case 'jwt':
        checkJwt(check, method, at, fields)
        break
      case 'oauth2':
        scopes ??= new Set()
        for (const scope of checkOAuth2(check, method, at, fields)) scopes.add(scope)
        // A method's own clientId/clientSecret fields are the client the runtime authenticates with
        // (per connection, instead of the workspace OAuth app): used, though no template names them.
        for (const field of own) if (field.key === 'clientId' || field.key === 'clientSecret') check.used.add(field)
        break
    }
    warnUnused(check, own)
  })
  return scopes
}

function checkPlacements(check: Checker, placements: unknown, at: string, scope: Scope): void {
  const seen = new Set<string>()
  arrayOf(placements).forEach((placement, j) => {
    if (!isObject(placement)) return
    const path = at + pointer('placements', j)
    check.template(placement.value, `${path}/value`, scope)
    if (placement.in === 'header') {
      check.headerValue(placement.value, `${path}/value`)
      if (typeof placement.name === 'string' && !HEADER_NAME.test(placement.name)) {
        check.error(
          `${path}/name`,
          'headerName',
          `${readablePath(`${path}/name`)} is not a valid header name (letters, digits and !#$%&'*+.^_\`|~- only)`,
        )
      }
    }
    // Only when both are strings: `String()` of an object with an own `toString` key throws, and a
    // missing name is already reported. Header names are case-insensitive (RFC 9110), query names not.
    if (typeof placement.in !== 'string' || typeof placement.name !== 'string') return
    const key = `${placement.in}:${placement.in === 'header' ? placement.name.toLowerCase() : placement.name}`
    if (seen.has(key))
      check.error(`${path}/name`, 'duplicatePlacement', `${readablePath(`${path}/name`)} sets the same ${placement.in} twice`)
    seen.add(key)
  })
}

function checkOAuth2(check: Checker, method: Record<string, unknown>, at: string, fields: ReadonlyMap<string, FieldInfo>): string[] {
  const urlScope: Scope = { fields, secrets: false, what: 'an OAuth2 URL' }
  for (const key of ['authorizeUrl', 'tokenUrl', 'refreshUrl']) check.template(method[key], `${at}/${key}`, urlScope)
  check.templates(method.authorizeParams, `${at}/authorizeParams`, { ...urlScope, what: 'an authorize parameter' })
  check.templates(method.tokenParams, `${at}/tokenParams`, { ...urlScope, what: 'a token parameter' })
  checkOAuth2Extras(check, method, at, fields)
  const declared: string[] = []
  arrayOf(method.scopes).forEach((scope, j) => {
    if (!isObject(scope) || typeof scope.value !== 'string') return
    if (declared.includes(scope.value))
      check.error(
        at + pointer('scopes', j, 'value'),
        'duplicateScope',
        `${readablePath(at + pointer('scopes', j, 'value'))} "${scope.value}" is declared twice`,
      )
    declared.push(scope.value)
  })
  arrayOf(method.defaultScopes).forEach((scope, j) => {
    if (typeof scope === 'string' && !declared.includes(scope)) {
      const path = at + pointer('defaultScopes', j)
      check.error(
        path,
        'unknownScope',
        `${readablePath(path)} "${scope}" is not among the declared scopes — add it to ${readablePath(`${at}/scopes`)}`,
      )
    }
  })
  if (method.grant === 'authorization_code' && method.pkce === false) {
    check.warn(`${at}/pkce`, 'pkceOff', `${readablePath(`${at}/pkce`)} is off: turn it off only for providers that reject PKCE (RFC 7636)`)
  }
  return declared
}
