import { checkKey, checkPlacement } from './check-jwt.ts'
import { arrayOf, type Checker, type FieldInfo, isObject } from './context.ts'
import { pointer, readablePath } from './pointer.ts'

/**
 * The OAuth2 method's additions the schema cannot check: refresh-only and every-request parameters use plain
 * fields; `private_key_jwt` comes with its `clientAssertion`, a key from a secret field and the connection's own
 * client (a client-credentials method declaring `clientId`), and an assertion is never there without it; values
 * saved from the token response fill declared plain fields.
 */
export function checkOAuth2Extras(
  check: Checker,
  method: Record<string, unknown>,
  at: string,
  fields: ReadonlyMap<string, FieldInfo>,
): void {
  check.templates(method.refreshParams, `${at}/refreshParams`, { fields, secrets: false, what: 'a refresh parameter' })
  check.templates(method.query, `${at}/query`, { fields, secrets: false, what: 'a query parameter' })
  checkPlacement(check, method.placement, `${at}/placement`)
  const assertion = method.clientAssertion
  if (method.clientAuth === 'private_key_jwt') {
    if (!isObject(assertion))
      check.error(`${at}/clientAuth`, 'assertionMissing', `${readablePath(`${at}/clientAuth`)} is private_key_jwt: add clientAssertion`)
    if (method.grant !== 'client_credentials' || fields.get('clientId') === undefined)
      check.error(
        `${at}/clientAuth`,
        'assertionClient',
        `${readablePath(`${at}/clientAuth`)} private_key_jwt needs the connection's own client: use the client_credentials grant with a ` +
          'clientId field and the private key as a secret field',
      )
  } else if (assertion !== undefined) {
    check.error(
      `${at}/clientAssertion`,
      'assertionUnused',
      `${readablePath(`${at}/clientAssertion`)} is used only with clientAuth private_key_jwt`,
    )
  }
  if (isObject(assertion)) {
    checkKey(check, assertion.key, `${at}/clientAssertion/key`, { fields, secrets: true, what: 'a signing key' }, fields)
    check.template(assertion.keyId, `${at}/clientAssertion/keyId`, { fields, secrets: false, what: 'a key id' })
  }
  const response = isObject(method.tokenResponse) ? method.tokenResponse : {}
  if (!isObject(response.values)) return
  for (const key of Object.keys(response.values)) {
    const path = `${at}/tokenResponse/values${pointer(key)}`
    const field = fields.get(key)
    if (!field) check.error(path, 'unknownField', `${readablePath(path)} fills "${key}", which is not a declared field — declare it`)
    else if (field.type === 'secret')
      check.error(path, 'secretValue', `${readablePath(path)} fills secret field "${key}": values from the token response are shown`)
    else check.used.add(field)
  }
}

/** A base URL taken from a token response needs the hosts it may be on. */
export function checkBaseUrlFromToken(check: Checker, doc: Record<string, unknown>): void {
  arrayOf(doc.auth).forEach((method, i) => {
    if (!isObject(method) || method.type !== 'oauth2' || !isObject(method.tokenResponse)) return
    if (method.tokenResponse.baseUrl === undefined || arrayOf(doc.allowedHosts).length > 0) return
    const path = `${pointer('auth', i)}/tokenResponse/baseUrl`
    check.error(
      path,
      'baseUrlWithoutHosts',
      `${readablePath(path)} moves the base URL, but the connector declares no allowedHosts it may move to — list them`,
    )
  })
}
