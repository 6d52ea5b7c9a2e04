import { parseTemplate } from '../template/index.ts'
import { type Checker, type FieldInfo, isObject, type Scope } from './context.ts'
import { readablePath } from './pointer.ts'

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * The semantic rules of the request-signing and certificate auth types (`awsSigV4`, `hmac`, `oauth1`, `mtls`):
 * what signs must come from a secret field (a constant secret in a connector is everyone's secret), generated
 * values must be declared before they are signed, placements must not collide, and the flows' URLs may not
 * carry secrets. Placements are checked as the API key type's are (`checkPlacements`).
 */
export function checkSigning(
  check: Checker,
  method: Record<string, unknown>,
  at: string,
  scope: Scope,
  checkPlacements: (check: Checker, placements: unknown, at: string, scope: Scope) => void,
): void {
  switch (method.type) {
    case 'awsSigV4':
      templates(check, method, at, scope, ['accessKeyId', 'secretAccessKey', 'sessionToken', 'region'])
      secretOnly(check, method, at, scope.fields, ['secretAccessKey', 'sessionToken'])
      break
    case 'hmac':
      checkHmac(check, method, at, scope)
      checkPlacements(check, method.placements, at, scope)
      break
    case 'oauth1':
      checkOAuth1(check, method, at, scope)
      break
    case 'mtls':
      templates(check, method, at, scope, ['certificate', 'privateKey', 'passphrase', 'ca'])
      secretOnly(check, method, at, scope.fields, ['privateKey', 'passphrase'])
      checkPlacements(check, method.placements, at, scope)
      break
  }
}

function templates(check: Checker, method: Record<string, unknown>, at: string, scope: Scope, keys: string[]): void {
  for (const key of keys) check.template(method[key], `${at}/${key}`, scope)
}

/** A signing secret written into the connector, or built from plain fields, is no secret at all. */
function secretOnly(check: Checker, method: Record<string, unknown>, at: string, fields: ReadonlyMap<string, FieldInfo>, keys: string[]) {
  for (const key of keys) {
    const template = method[key]
    if (typeof template !== 'string') continue
    const { parts, errors } = parseTemplate(template)
    if (errors.length > 0) continue
    const named = parts.filter((part) => typeof part !== 'string')
    if (named.length > 0 && named.every((part) => fields.get(part.path[0]!)?.type === 'secret')) continue
    check.error(
      `${at}/${key}`,
      'signingSecretNotSecret',
      `${readablePath(`${at}/${key}`)} must come from a secret field (like "{{secretKey}}" with a field of type "secret"): a value ` +
        `written into the connector or entered in a plain field is shown to everyone`,
    )
  }
}

function checkHmac(check: Checker, method: Record<string, unknown>, at: string, scope: Scope): void {
  templates(check, method, at, scope, ['key'])
  secretOnly(check, method, at, scope.fields, ['key'])
  const sign = Array.isArray(method.sign) ? method.sign : []
  // A value placed in the query is signed with it (Binance's timestamp is part of the signed query).
  const signsQuery = ['query', 'sortedQuery', 'pathWithQuery'].some((part) => sign.includes(part))
  const isSigned = (generated: 'timestamp' | 'nonce') => {
    const value = method[generated]
    return sign.includes(generated) || (signsQuery && isObject(value) && value.in === 'query')
  }
  for (const generated of ['timestamp', 'nonce'] as const) {
    const declared = isObject(method[generated])
    const signed = isSigned(generated)
    if (sign.includes(generated) && !declared) {
      check.error(
        `${at}/sign`,
        'hmacPartUndeclared',
        `${readablePath(`${at}/sign`)} signs the ${generated}, but there is no ${readablePath(`${at}/${generated}`)} saying how to make it`,
      )
    }
    const value = method[generated]
    if (isObject(value) && (value.in === undefined) !== (value.name === undefined)) {
      check.error(
        `${at}/${generated}`,
        'hmacPlacementIncomplete',
        `${readablePath(`${at}/${generated}`)} needs both "in" and "name", or neither`,
      )
    }
    if (declared && !signed && isObject(value) && value.in === undefined) {
      check.warn(
        `${at}/${generated}`,
        'hmacValueUnused',
        `${readablePath(`${at}/${generated}`)} is neither signed nor sent — sign it, place it, or remove it`,
      )
    }
  }
  if (!isSigned('timestamp') && !isSigned('nonce')) {
    // At the list of signed parts when there is one to point at, else at the method.
    const where = Array.isArray(method.sign) ? `${at}/sign` : at
    check.warn(
      where,
      'hmacReplayable',
      `${readablePath(where)} signs neither a timestamp nor a nonce, so a captured request can be replayed as it is`,
    )
  }
  // Every generated value and placement lands in one header or parameter; two of them in the same one lose one.
  const seen = new Map<string, string>()
  if (Array.isArray(method.placements)) {
    method.placements.forEach((place, j) => {
      if (!isObject(place) || typeof place.in !== 'string' || typeof place.name !== 'string') return
      const key = `${place.in}:${place.in === 'header' ? place.name.toLowerCase() : place.name}`
      if (!seen.has(key)) seen.set(key, `${at}/placements/${j}/name`)
    })
  }
  const claim = (path: string, place: unknown) => {
    if (!isObject(place) || typeof place.in !== 'string' || typeof place.name !== 'string') return
    if (place.in === 'header' && !HEADER_NAME.test(place.name)) {
      check.error(`${path}/name`, 'headerName', `${readablePath(`${path}/name`)} is not a valid header name`)
    }
    const key = `${place.in}:${place.in === 'header' ? place.name.toLowerCase() : place.name}`
    const other = seen.get(key)
    if (other)
      check.error(
        `${path}/name`,
        'duplicatePlacement',
        `${readablePath(`${path}/name`)} sets the same ${place.in} as ${readablePath(other)}`,
      )
    else seen.set(key, `${path}/name`)
  }
  claim(`${at}/signature`, method.signature)
  claim(`${at}/timestamp`, method.timestamp)
  claim(`${at}/nonce`, method.nonce)
  if (typeof method.separator === 'string') check.headerValue(method.separator.replace(/\n/g, ''), `${at}/separator`)
}

function checkOAuth1(check: Checker, method: Record<string, unknown>, at: string, scope: Scope): void {
  templates(check, method, at, scope, ['consumerKey', 'consumerSecret', 'privateKey', 'token', 'tokenSecret'])
  secretOnly(check, method, at, scope.fields, ['consumerSecret', 'privateKey', 'tokenSecret'])
  const urlScope: Scope = { fields: scope.fields, secrets: false, what: 'an OAuth 1.0a URL' }
  for (const key of ['requestTokenUrl', 'authorizeUrl', 'accessTokenUrl']) check.template(method[key], `${at}/${key}`, urlScope)
  check.templates(method.authorizeParams, `${at}/authorizeParams`, { ...urlScope, what: 'an authorize parameter' })
  const rsa = method.signatureMethod === 'RSA-SHA1'
  const need = rsa ? 'privateKey' : 'consumerSecret'
  const wrong = rsa ? 'consumerSecret' : 'privateKey'
  if (method[need] === undefined) {
    // At the method: the missing key has no place in the document to point at.
    check.error(at, 'oauth1KeyMissing', `${readablePath(at)} signs with ${rsa ? 'RSA-SHA1' : 'HMAC-SHA1'}, which needs ${need}`)
  }
  if (method[wrong] !== undefined) {
    check.error(
      `${at}/${wrong}`,
      'oauth1KeyUnused',
      `${readablePath(`${at}/${wrong}`)} is not used by ${rsa ? 'RSA-SHA1' : 'HMAC-SHA1'} — remove it or change signatureMethod`,
    )
  }
  const flow = ['requestTokenUrl', 'authorizeUrl', 'accessTokenUrl'].filter((key) => method[key] !== undefined)
  if (flow.length > 0 && flow.length < 3) {
    check.error(
      at,
      'oauth1FlowIncomplete',
      `${readablePath(at)} has ${flow.join(', ')} but the three-legged flow needs requestTokenUrl, authorizeUrl and accessTokenUrl`,
    )
  }
  if (flow.length === 3 && (method.token !== undefined || method.tokenSecret !== undefined)) {
    check.error(
      // Where the entered token is: `token`, or `tokenSecret` when only that one is there.
      `${at}/${method.token !== undefined ? 'token' : 'tokenSecret'}`,
      'oauth1TokenTwice',
      `${readablePath(at)} gets its token from the three-legged flow, so token and tokenSecret cannot be entered too — keep one`,
    )
  }
  if ((method.token === undefined) !== (method.tokenSecret === undefined) && !(rsa && method.tokenSecret === undefined)) {
    check.error(
      `${at}/${method.token !== undefined ? 'token' : 'tokenSecret'}`,
      'oauth1TokenIncomplete',
      `${readablePath(at)} needs both token and tokenSecret, or neither`,
    )
  }
}
