import { renderTemplate } from '../../../../schemas/template/index.ts'
import type { JwtAuth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { hasSecretField, renderCredential } from '../material.ts'
import { tokenMaterial } from '../placement.ts'
import type { AuthInput, AuthType, RenewContext, RenewOutcome, TokenSource } from '../types.ts'
import { exchangeAtTokenUrl, exchangeByRequest } from './exchange.ts'
import { signJwt } from './sign.ts'

/**
 * A JWT method's token: signed from the stored key whenever the engine finds none usable (there is always a
 * way to a new one with nobody present), then used as it is or exchanged. A refusal is never a revoked grant:
 * the key stays, and the next call signs again after the engine's backoff.
 */
const tokens: TokenSource<JwtAuth> = {
  what: 'signed token',
  read: (secrets) => secrets.jwt,
  write: (secrets, token) => ({ ...secrets, jwt: token }),
  renewable: () => true,
  renew,
}

async function renew(context: RenewContext<JwtAuth>): Promise<RenewOutcome> {
  const { method, values, now } = context
  const input: AuthInput = { values, fields: context.loaded.fields }
  const signed = await signJwt({
    algorithm: method.algorithm,
    key: renderTemplate(method.key, ([key]) => values[key!]),
    keyId: method.keyId === undefined ? undefined : renderCredential(method.keyId, input),
    claims: jwtClaims(method, input),
    now,
    lifetime: method.lifetime ?? 600,
    backdate: method.backdate ?? 0,
    jti: method.jti ?? false,
  })
  const exchange = method.exchange
  if (!exchange) return { ok: true, token: { accessToken: signed.token, expiresAt: signed.expiresAt } }
  const at = { assertion: signed.token, values, http: context.http, now, timeoutMs: context.timeoutMs }
  return exchange.via === 'tokenUrl' ? exchangeAtTokenUrl(exchange, at) : exchangeByRequest(exchange, at)
}

/** The claims rendered; an optional field left empty drops its claim. */
function jwtClaims(method: JwtAuth, input: AuthInput): Record<string, string> {
  const claims: Record<string, string> = {}
  for (const [name, template] of Object.entries(method.claims)) {
    if (template === undefined) continue
    const value = renderCredential(template, input)
    if (value !== undefined && value !== '') claims[name] = value
  }
  return claims
}

/**
 * JWT (RFC 7519): the runtime signs a token from the connection's private key and claims, and sends it, or the
 * access token it was exchanged for, as a bearer token (or where `placement` says). The token engine keeps it
 * fresh: signed again before `exp`, and once after a 401.
 *
 * @example
 * jwt.apply(method, { values, fields, token, request }).headers.Authorization // 'Bearer eyJ…' or 'Bearer ghs_…'
 */
export const jwt: AuthType<JwtAuth> = {
  type: 'jwt',
  needsCredentials: (_method, fields) => hasSecretField(fields),
  apply(method, input) {
    if (!input.token)
      throw new SwitchboardError(428, 'missing_credentials', 'The connection has no signed token yet. Save it with its private key first.')
    return tokenMaterial(input.token, method.placement, input)
  },
  tokens,
}
