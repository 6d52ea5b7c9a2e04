import type { SetCredentials } from '../../../schemas/types/api.ts'
import type { Loaded } from '../../core/connections/index.ts'
import { forbidden } from './roles.ts'

/**
 * A member connecting their personal credentials sets their own values of the auth method's fields
 * (secrets, and plain ones such as the email of Basic auth). The auth method and the connection's
 * fields (subdomain, region, base URL…) are shared by every member's requests: a member who could
 * change them could aim other people's credentials at another host. Called by the credentials route
 * with the body it read, before anything is written.
 *
 * @example
 * if (roleOf(c) !== 'admin') assertOwnCredentialsOnly(await connectionOf(c), body)
 */
export function assertOwnCredentialsOnly(loaded: Loaded, body: SetCredentials): void {
  const { record, method, fields } = loaded
  const refuse = (change: string) =>
    forbidden(`Changing ${change} of a connection needs the app admin role; a member sends only their own credentials.`, {
      required: 'admin',
      role: 'member',
    })
  if (body.authMethod !== undefined && body.authMethod !== record.authMethod) throw refuse('the auth method')
  // The auth method's own plain fields (the email of Basic auth) are the member's, kept with their
  // credentials; only the connection's fields are shared.
  const own = new Set((method.fields ?? []).map((f) => f.key))
  for (const [key, value] of Object.entries(body.values)) {
    const field = fields.get(key)
    if (field && field.type !== 'secret' && !own.has(key) && value !== record.fields[key]) throw refuse(`"${field.label ?? key}"`)
  }
}
