import type { Field } from '../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../errors.ts'
import type { ConnectionRecord, CredentialRecord, CredentialSecrets } from '../../types.ts'
import { authTypeOf } from '../auth/index.ts'
import type { Actor, ConnectionDeps, Loaded } from '../connections/context.ts'
import { credentialId, credentialOwner, openCredentials } from '../connections/credentials.ts'
import { MIN_SECRET_LENGTH } from '../connections/field-values.ts'
import { connectUrl } from '../connections/view.ts'

/**
 * The actor's stored credentials for a connection: the connection's own (shared) or the actor's (personal),
 * with the actor's own values of the method's plain fields; `undefined` when there are none.
 *
 * @example
 * const secrets = await readCredentials(deps, loaded, actor)
 */
export async function readCredentials(
  deps: Pick<ConnectionDeps, 'store' | 'keyRing'>,
  loaded: Pick<Loaded, 'record'>,
  actor: Actor,
): Promise<CredentialSecrets | undefined> {
  const owner = credentialOwner(loaded.record, actor.userId)
  const record = await deps.store.get<CredentialRecord>('credentials', credentialId(loaded.record.id, owner), { shared: true })
  if (!record) return undefined
  const secrets = openCredentials(deps.keyRing, record)
  return record.fields ? { ...secrets, fields: record.fields } : secrets
}

/**
 * Whether connections of this auth method need stored credentials before they can be used.
 *
 * @example
 * needsCredentials({ method, fields }) // true for an API key method
 */
export function needsCredentials(loaded: Pick<Loaded, 'method' | 'fields'>): boolean {
  return authTypeOf(loaded.method).needsCredentials(loaded.method, loaded.fields)
}

/**
 * The credentials a request through a connection will use, checked before anything is sent: a workflow
 * (nobody present) may only use a shared connection; a connection without usable credentials answers 428
 * with the link where they are entered, saying who can enter them; a secret too short to be masked safely
 * in what an API echoes is refused.
 *
 * @example
 * const secrets = await credentialsForUse(deps, loaded, actor, { mode: 'workflow', afterwards: 'run the action again' })
 */
export async function credentialsForUse(
  deps: Pick<ConnectionDeps, 'store' | 'keyRing' | 'publicUrl'>,
  loaded: Loaded,
  actor: Actor,
  options: { mode?: 'user' | 'workflow' | undefined; afterwards: string },
): Promise<CredentialSecrets | undefined> {
  const { record } = loaded
  if (options.mode === 'workflow') assertWorkflowMay(record)
  const secrets = await readCredentials(deps, loaded, actor)
  if (needsCredentials(loaded) && !secrets) {
    const url = connectUrl(deps.publicUrl, record)
    const who =
      record.sharing === 'personal'
        ? `has no credentials of yours yet. Connect your own account at ${url}`
        : `has no credentials yet. An app admin connects it for everyone at ${url}`
    throw new SwitchboardError(428, 'connection_required', `"${record.name}" ${who}, then ${options.afterwards}.`, {
      details: { connectUrl: url },
    })
  }
  if (secrets) assertMaskable(loaded.fields, secrets.values, connectUrl(deps.publicUrl, record))
  return secrets
}

/**
 * Refuses secrets too short to be masked: what an API echoes is masked by searching for each secret, and a
 * one- or two-character secret matches ordinary text (so masking reveals it), which older data may still hold.
 *
 * @example
 * assertMaskable(fields, { apiKey: 'x' }, connectUrl) // throws 428 secret_too_short
 */
export function assertMaskable(fields: ReadonlyMap<string, Field>, values: Readonly<Record<string, string>>, connectLink?: string): void {
  for (const [key, value] of Object.entries(values)) {
    const field = fields.get(key)
    if (field?.type !== 'secret' || value === '' || value.length >= MIN_SECRET_LENGTH) continue
    throw new SwitchboardError(
      428,
      'secret_too_short',
      `The stored "${field.label}" is shorter than ${MIN_SECRET_LENGTH} characters, too short to keep out of what the API echoes. ` +
        `Connect again with the real key${connectLink ? ` at ${connectLink}` : ''}.`,
      {
        details: { field: key, minLength: MIN_SECRET_LENGTH, ...(connectLink ? { connectUrl: connectLink } : {}) },
      },
    )
  }
}

/**
 * A workflow runs with nobody present, so it may only use a shared connection (409 otherwise).
 *
 * @example
 * if (mode === 'workflow') assertWorkflowMay(record)
 */
export function assertWorkflowMay(record: Pick<ConnectionRecord, 'name' | 'sharing'>): void {
  if (record.sharing !== 'shared') {
    throw new SwitchboardError(
      409,
      'shared_connection_required',
      `Workflows run with nobody present, so they can only use shared connections; "${record.name}" is personal. Switch it to shared ` +
        `(an app admin connects it for everyone), or pick a shared connection.`,
    )
  }
}
