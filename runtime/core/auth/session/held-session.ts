import type { SessionAuth } from '../../../../schemas/types/connector.ts'
import type { CredentialSecrets } from '../../../types.ts'
import type { HeldToken } from '../types.ts'

/*
 * A session as the token engine holds it. The engine hands types one string (`accessToken`) and compares it
 * with a rejected one after a 401, so the captured values travel as that string: their JSON, sealed with the
 * credential like every token.
 */

/** Where a session sits in a credential's sealed secrets. */
export function readSession(secrets: CredentialSecrets): HeldToken | undefined {
  return secrets.session
}

/** The secrets with `session` replaced. */
export function writeSession(secrets: CredentialSecrets, session: HeldToken): CredentialSecrets {
  return { ...secrets, session }
}

/**
 * The captured values a held session carries.
 *
 * @example
 * sessionValues(encodeSession({ token: 'abc' })) // { token: 'abc' }
 */
export function sessionValues(token: string): Record<string, string> {
  const parsed = JSON.parse(token) as unknown
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [name, value] of Object.entries(parsed)) if (typeof value === 'string') out[name] = value
  return out
}

/** The token string of captured values (keys sorted, so the same values give the same string). */
export function encodeSession(values: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
}

/** The captured values that are secrets: every one unless the connector marked it `secret: false`. */
export function secretCaptures(method: SessionAuth, values: Record<string, string>): string[] {
  return Object.entries(values)
    .filter(([name, value]) => value !== '' && method.capture[name]?.secret !== false)
    .map(([, value]) => value)
}
