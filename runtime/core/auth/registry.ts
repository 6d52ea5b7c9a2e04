import type { AuthMethod } from '../../../schemas/types/connector.ts'
import { apiKey } from './api-key/index.ts'
import { awsSigV4 } from './aws-sigv4/index.ts'
import { basic } from './basic/index.ts'
import { bearer } from './bearer/index.ts'
import { hmac } from './hmac/index.ts'
import { jwt } from './jwt/index.ts'
import { mtls } from './mtls/index.ts'
import { none } from './none/index.ts'
import { oauth1 } from './oauth1/index.ts'
import { oauth2 } from './oauth2/auth-type.ts'
import { session } from './session/index.ts'
import type { AuthType } from './types.ts'

/** Every auth type, by the `type` a connector's auth method names. Adding a type adds its line here. */
const TYPES: { [T in AuthMethod['type']]: AuthType<Extract<AuthMethod, { type: T }>> } = {
  basic,
  apiKey,
  bearer,
  oauth2,
  none,
  session,
  awsSigV4,
  hmac,
  oauth1,
  mtls,
  jwt,
}

/**
 * The auth type of a method. The schema's discriminated union guarantees there is one.
 *
 * @example
 * authTypeOf(method).apply(method, { values, fields, request })
 */
export function authTypeOf<M extends AuthMethod>(method: M): AuthType<M> {
  return TYPES[method.type] as unknown as AuthType<M>
}
