import { SwitchboardError } from '../errors.ts'
import type { ConnectionRecord, CredentialSecrets } from '../types.ts'
import { needsCredentials, type Actor, type ConnectionDeps, type Loaded } from './context.ts'
import { connectUrl } from './view.ts'

/**
 * The credentials a request through a connection will use, checked before anything is sent: a
 * workflow (nobody present) may only use a shared connection, and a connection without usable
 * credentials answers 428 with the link where they are entered — saying who can enter them.
 *
 * @example
 * const secrets = await credentialsForUse(deps, tests, loaded, actor, { mode: 'workflow', then: 'run the action again' })
 */
export async function credentialsForUse(
  deps: Pick<ConnectionDeps, 'publicUrl'>,
  tests: { secretsFor(loaded: Loaded, actor: Actor): Promise<CredentialSecrets | undefined> },
  loaded: Loaded,
  actor: Actor,
  options: { mode?: 'user' | 'workflow' | undefined; then: string },
): Promise<CredentialSecrets | undefined> {
  const { record, method, fields } = loaded
  if (options.mode === 'workflow') assertWorkflowMay(record)
  const secrets = await tests.secretsFor(loaded, actor)
  if (needsCredentials(method, fields) && !secrets) {
    const url = connectUrl(deps.publicUrl, record)
    const who = record.sharing === 'personal'
      ? `has no credentials of yours yet. Connect your own account at ${url}`
      : `has no credentials yet. An app admin connects it for everyone at ${url}`
    throw new SwitchboardError(428, 'connection_required', `"${record.name}" ${who}, then ${options.then}.`, { details: { connectUrl: url } })
  }
  return secrets
}

/**
 * A workflow runs with nobody present, so it may only use a shared connection (409 otherwise).
 *
 * @example
 * if (mode === 'workflow') assertWorkflowMay(record)
 */
export function assertWorkflowMay(record: Pick<ConnectionRecord, 'name' | 'sharing'>): void {
  if (record.sharing !== 'shared') {
    throw new SwitchboardError(409, 'shared_connection_required', `Workflows run with nobody present, so they can only use shared connections; "${record.name}" is personal. Switch it to shared (an app admin connects it for everyone), or pick a shared connection.`)
  }
}
