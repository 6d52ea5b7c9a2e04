import { renderTemplate } from '../../../../schemas/template/index.ts'
import type { Field, OAuth2Auth } from '../../../../schemas/types/connector.ts'
import type { FieldValue } from '../../../types.ts'
import { signJwt } from '../jwt/sign.ts'
import { renderCredential } from '../material.ts'
import type { ClientCredentials } from './types.ts'

/**
 * The client assertion of `private_key_jwt` (RFC 7523 §2.2, §3): signed with the connection's private key,
 * `iss` and `sub` the client id, `aud` the token URL it is sent to, a random `jti` so it cannot be replayed,
 * and a short `exp`. `undefined` for every other client authentication.
 *
 * @example
 * const clientAssertion = await clientAssertionFor(method, client, tokenUrl, { values, fields }, now)
 */
export async function clientAssertionFor(
  method: Pick<OAuth2Auth, 'clientAuth' | 'clientAssertion'>,
  client: ClientCredentials,
  tokenUrl: string,
  input: { values: Readonly<Record<string, FieldValue | undefined>>; fields: ReadonlyMap<string, Field> },
  now: number,
): Promise<string | undefined> {
  const spec = method.clientAssertion
  if (method.clientAuth !== 'private_key_jwt' || !spec) return undefined
  const { token } = await signJwt({
    algorithm: spec.algorithm,
    key: renderTemplate(spec.key, ([key]) => input.values[key!]),
    keyId: spec.keyId === undefined ? undefined : renderCredential(spec.keyId, input),
    claims: { iss: client.clientId, sub: client.clientId, aud: tokenUrl },
    now,
    lifetime: spec.lifetime ?? 300,
    backdate: 0,
    jti: true,
  })
  return token
}
