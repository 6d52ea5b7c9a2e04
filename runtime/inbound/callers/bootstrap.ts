import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRecord, UserRecord } from '../../types.ts'
import { issueToken } from './tokens.ts'

/** The id of the app created at first start. */
export const DEFAULT_APP_ID = 'default'
/** The id of the workspace owner created at first start. */
export const OWNER_ID = 'owner'

/**
 * Creates the workspace owner and the default app on first start, and returns the owner's sign-in
 * token then (and only then: tokens are kept hashed and cannot be shown again).
 *
 * @example
 * const { ownerToken } = await bootstrapWorkspace(store, new Date())
 * if (ownerToken) console.log(`Sign in: ${publicUrl}/signin?token=${ownerToken}`)
 */
export async function bootstrapWorkspace(store: Store, now: Date): Promise<{ ownerToken?: string }> {
  if (await store.get<UserRecord>('users', OWNER_ID)) return {}
  const at = now.toISOString()
  try {
    await store.transaction(async (tx) => {
      // Inserted, not put: of several replicas starting on an empty database, one creates the owner.
      await tx.insert<UserRecord>('users', { id: OWNER_ID, name: 'Owner', owner: true, createdAt: at })
      if (!(await tx.get('apps', DEFAULT_APP_ID))) {
        await tx.put<AppRecord>('apps', {
          id: DEFAULT_APP_ID,
          name: 'Default app',
          members: [{ userId: OWNER_ID, role: 'admin' }],
          createdAt: at,
        })
      }
    })
  } catch (error) {
    if (error instanceof SwitchboardError && error.code === 'conflict') return {}
    throw error
  }
  const { token } = await issueToken(store, OWNER_ID, 'Owner sign-in', { now: at })
  return { ownerToken: token }
}
