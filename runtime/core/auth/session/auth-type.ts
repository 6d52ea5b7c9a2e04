import { renderTemplate } from '../../../../schemas/template/index.ts'
import type { SessionAuth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { emptyMaterial, noteSecrets } from '../material.ts'
import type { AuthType, TokenSource } from '../types.ts'
import { readSession, secretCaptures, sessionValues, writeSession } from './held-session.ts'
import { logIn } from './login.ts'

/**
 * A session's life: the stored fields are the login, so a new session can always be had with nobody present
 * (before the old one ends, and once after a 401); the token engine makes it one login per credential at a
 * time. A login the API refuses means the stored credentials no longer work: the connection must be connected
 * again, and the API is not asked again in a loop.
 */
const tokens: TokenSource<SessionAuth> = {
  what: 'session',
  read: readSession,
  write: writeSession,
  renewable: () => true,
  renew: (context) =>
    logIn({
      method: context.method,
      connector: context.connector,
      fields: context.loaded.fields,
      baseUrl: context.loaded.record.baseUrl,
      values: context.values,
      http: context.http,
      now: context.now,
      timeoutMs: context.timeoutMs,
    }),
}

/**
 * Session / two-step login: the placements carry what the login captured (`{{session.<name>}}`) on every
 * request; headers and query parameters by name, cookies joined into one `Cookie` header (RFC 6265 §5.4).
 * Every secret capture and every value made from one is masked.
 *
 * @example
 * session.apply(method, { values, fields, token, request }).headers['X-Tableau-Auth'] // the session token
 */
export const session: AuthType<SessionAuth> = {
  type: 'session',
  needsCredentials: () => true,
  apply(method, input) {
    if (!input.token)
      throw new SwitchboardError(428, 'missing_credentials', 'The connection has no session yet. Connect it with the login details.')
    const captured = sessionValues(input.token)
    const material = emptyMaterial()
    const secrets = secretCaptures(method, captured)
    const resolve = ([head, ...rest]: string[]) => (head === 'session' ? captured[rest[0] ?? ''] : input.values[head!])
    const cookies: string[] = []
    const rendered: string[] = []
    for (const placement of method.placements) {
      const value = renderTemplate(placement.value, resolve)
      if (value === '') continue
      if (/[\r\n\u0000]/.test(value))
        throw new SwitchboardError(502, 'invalid_value', 'The login answered a value that cannot be sent in a request (a line break).')
      rendered.push(value)
      if (placement.in === 'header') {
        material.headers[placement.name] = value
        material.credentialHeaders.push(placement.name)
      } else if (placement.in === 'query') {
        material.query.push([placement.name, value])
        material.credentialQuery.push(placement.name)
      } else cookies.push(`${placement.name}=${value}`)
    }
    if (cookies.length > 0) {
      material.headers.Cookie = cookies.join('; ')
      material.credentialHeaders.push('Cookie')
      rendered.push(material.headers.Cookie)
    }
    noteSecrets(material, input, ...rendered)
    material.secrets.push(...secrets, ...rendered.filter((value) => secrets.some((secret) => value.includes(secret))))
    return material
  },
  tokens,
  templateValues: (token) => ({ session: sessionValues(token) }),
  renewOn: (method) => method.renewOn ?? [401],
}
