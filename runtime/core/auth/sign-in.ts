import { SwitchboardError } from '../../errors.ts'
import type { KeyRing } from '../../platform/crypto/index.ts'
import type { Store, StoreTx } from '../../platform/store/index.ts'
import type { ConnectionRecord, CredentialSecrets } from '../../types.ts'
import { credentialOwner, putCredentials } from '../connections/index.ts'
import { designerReturn } from './oauth2/internal/links.ts'

/** Which connection and person a sign-in flow (OAuth2, OAuth 1.0a) was started for. */
export interface SignInState {
  appId: string
  connectionId: string
  authMethod: string
  userId: string
}

/**
 * Ends a sign-in flow: in one transaction, checks the connection is still the one the flow started for, seals
 * what the provider gave for the flow's person (the shared credential, or theirs on a personal connection) and
 * marks the connection connected. A shared sign-in drops the last test and account label (they described the
 * previous credential), after `shared` has added what else the provider's answer says about the connection.
 * Answers the credential's owner (undefined: shared).
 *
 * @example
 * await saveSignIn({ store, keyRing, clock }, state, async () => ({ values: {}, oauth: tokens }))
 */
export async function saveSignIn(
  deps: { store: Store; keyRing: KeyRing; clock: () => Date },
  state: SignInState,
  secrets: (tx: StoreTx, connection: ConnectionRecord, owner: string | undefined) => Promise<CredentialSecrets> | CredentialSecrets,
  shared?: (next: ConnectionRecord, current: ConnectionRecord) => void,
): Promise<string | undefined> {
  const at = deps.clock().toISOString()
  return deps.store.transaction(async (tx) => {
    const current = await tx.get<ConnectionRecord>('connections', state.connectionId)
    if (!current || current.appId !== state.appId || current.authMethod !== state.authMethod) {
      throw new SwitchboardError(400, 'flow_outdated', 'The connection changed while signing in. Start connecting again.')
    }
    const owner = credentialOwner(current, state.userId)
    await putCredentials(tx, deps.keyRing, current, owner, await secrets(tx, current, owner), at)
    const next: ConnectionRecord = { ...current, status: 'connected', updatedAt: at }
    if (owner === undefined) {
      shared?.(next, current)
      delete next.accountLabel
      delete next.lastTest
    }
    await tx.put('connections', next)
    return owner
  })
}

/**
 * Where the person goes after a sign-in saved its credential: the connection is tested first (when the
 * connector has a test), and a failing test says so on the way back instead of a plain success.
 *
 * @example
 * return testedReturn({ publicUrl, afterConnect }, state, loaded.connector.test !== undefined, target)
 */
export async function testedReturn(
  options: {
    publicUrl: string
    afterConnect?:
      | ((appId: string, id: string, actor: { userId: string }) => Promise<{ ok: boolean; diagnosis?: string } | undefined>)
      | undefined
  },
  state: SignInState,
  hasTest: boolean,
  target: { appId: string; connectionId: string },
): Promise<string> {
  if (hasTest && options.afterConnect) {
    const result = await options.afterConnect(state.appId, state.connectionId, { userId: state.userId }).catch(() => undefined)
    if (result && !result.ok) {
      return designerReturn(options.publicUrl, target, {
        oauth: 'error',
        code: 'test_failed',
        message: `Authorized, but the connection test failed: ${result.diagnosis ?? ''}`,
      })
    }
  }
  return designerReturn(options.publicUrl, target, { oauth: 'success' })
}
