import { placeholders } from '../template/index.ts'
import { type Checker, type FieldInfo, isObject, type Scope } from './context.ts'
import { readablePath } from './pointer.ts'

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** Claims the runtime sets itself on every token it signs. */
const RESERVED_CLAIMS = ['iat', 'exp', 'nbf', 'jti']

/**
 * The rules of a JWT method the schema cannot say: the signing key comes from a secret field; claims, the key
 * id and the exchange's URL, parameters and headers use plain fields only (a claim is readable by anyone who
 * sees the token); the jwt-bearer grant names `iss` and `aud` (RFC 7523 §3); a request exchange says its
 * expiry one way.
 */
export function checkJwt(check: Checker, method: Record<string, unknown>, at: string, fields: ReadonlyMap<string, FieldInfo>): void {
  const secretScope: Scope = { fields, secrets: true, what: 'a signing key' }
  const plain = (what: string): Scope => ({ fields, secrets: false, what })
  checkKey(check, method.key, `${at}/key`, secretScope, fields)
  check.template(method.keyId, `${at}/keyId`, plain('a key id'))
  check.templates(method.claims, `${at}/claims`, plain('a claim'))
  for (const claim of RESERVED_CLAIMS)
    if (isObject(method.claims) && claim in method.claims)
      check.error(
        `${at}/claims/${claim}`,
        'reservedClaim',
        `${readablePath(`${at}/claims/${claim}`)} is set by the runtime (iat and exp from lifetime and backdate, jti from jti) — remove it`,
      )
  checkPlacement(check, method.placement, `${at}/placement`)
  const exchange = method.exchange
  if (!isObject(exchange)) return
  const ex = `${at}/exchange`
  if (exchange.via === 'tokenUrl') {
    check.template(exchange.tokenUrl, `${ex}/tokenUrl`, plain('a token URL'))
    check.templates(exchange.params, `${ex}/params`, plain('a token parameter'))
    const claims = isObject(method.claims) ? method.claims : {}
    for (const claim of ['iss', 'aud'])
      if (!(claim in claims))
        check.warn(
          `${at}/claims`,
          'jwtBearerClaim',
          `${readablePath(`${at}/claims`)} has no "${claim}": a jwt-bearer token URL wants one (RFC 7523 §3)`,
        )
    if (isObject(exchange.tokenResponse))
      for (const key of ['values', 'baseUrl'])
        if (key in exchange.tokenResponse)
          check.error(
            `${ex}/tokenResponse/${key}`,
            'oauth2Only',
            `${readablePath(`${ex}/tokenResponse/${key}`)} is read only by OAuth2 methods — remove it`,
          )
  } else if (exchange.via === 'request') {
    check.template(exchange.url, `${ex}/url`, plain('a token request URL'))
    check.templates(exchange.headers, `${ex}/headers`, plain('a token request header'))
    check.template(exchange.body, `${ex}/body`, plain('a token request body'))
    if (exchange.expiresAt !== undefined && exchange.expiresIn !== undefined)
      check.error(`${ex}/expiresIn`, 'expiryTwice', `${readablePath(ex)} says its expiry twice: keep expiresAt or expiresIn`)
  }
}

/**
 * The signing key of a JWT or a client assertion: a template naming at least one secret field, so the key is
 * sealed and masked like every credential.
 */
export function checkKey(check: Checker, key: unknown, path: string, scope: Scope, fields: ReadonlyMap<string, FieldInfo>): void {
  if (typeof key !== 'string') return
  check.template(key, path, scope)
  if (!placeholders(key).some(({ path: [head] }) => fields.get(head!)?.type === 'secret'))
    check.error(path, 'keyNotSecret', `${readablePath(path)} must come from a secret field (write {{privateKey}} and declare it secret)`)
}

/** Where a token goes: a valid header name. */
export function checkPlacement(check: Checker, placement: unknown, path: string): void {
  if (!isObject(placement) || placement.in !== 'header' || typeof placement.name !== 'string') return
  if (!HEADER_NAME.test(placement.name))
    check.error(
      `${path}/name`,
      'headerName',
      `${readablePath(`${path}/name`)} is not a valid header name (letters, digits and !#$%&'*+.^_\`|~- only)`,
    )
}
