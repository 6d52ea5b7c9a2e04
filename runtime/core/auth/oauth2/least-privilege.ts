import { SwitchboardError } from '../../../errors.ts'
import type { CredentialSecrets } from '../../../types.ts'
import type { TokenTarget } from '../tokens/token-engine.ts'
import { authorizeLink } from './internal/links.ts'
import { missingScopes } from './scopes.ts'

/**
 * Least privilege: an action that needs a scope the connection was not granted is refused with 403
 * `scope_missing` before anything is sent, and the answer carries the link that asks for exactly the
 * missing scopes on top of the granted ones (incremental authorization). The grant is the user's own
 * tokens' scope (personal connections), else the connection's recorded `grantedScopes`.
 *
 * @example
 * assertScopes(publicUrl, { loaded, owner }, action.scopes, secrets) // throws when a scope is missing
 */
export function assertScopes(
  publicUrl: string,
  target: TokenTarget,
  scopes: readonly string[] | undefined,
  secrets: CredentialSecrets | undefined,
): void {
  const { record, method } = target.loaded
  if (method.type !== 'oauth2' || !scopes || scopes.length === 0) return
  const granted = secrets?.oauth?.scope ?? record.grantedScopes
  if (!granted) return
  const missing = missingScopes(scopes, granted)
  if (missing.length === 0) return
  const reauthorizeUrl = method.grant === 'authorization_code' ? authorizeLink(publicUrl, record, missing) : undefined
  const list = missing.map((s) => `"${s}"`).join(', ')
  throw new SwitchboardError(
    403,
    'scope_missing',
    `This action needs the scope${missing.length === 1 ? '' : 's'} ${list}, which "${record.name}" was not granted. ` +
      (reauthorizeUrl
        ? `Authorize again with ${missing.length === 1 ? 'it' : 'them'}: ${reauthorizeUrl}`
        : 'Grant it to the client at the provider, then connect again.'),
    {
      details: { missing, granted, ...(reauthorizeUrl ? { reauthorizeUrl } : {}) },
    },
  )
}
