import type { TokenEngine } from '../auth/index.ts'
import { authTypeOf } from '../auth/index.ts'
import type { Actor } from '../connections/index.ts'
import type { ConnectionUseCore } from '../use/index.ts'

/** What a proactive renewal found: renewed (the grant lives), not needed, or failed with a stable code. */
export type RefreshOutcome = { kind: 'not_due' } | { kind: 'renewed' } | { kind: 'failed'; problem: string }

/**
 * Renews a connection's token through the token engine when it would expire before `before` (epoch ms): the
 * renewal has to happen anyway, and a renewal the provider grants proves the connection works as well as a test
 * request would, for one call instead of two. The engine's single flight, lock and backoff apply; a grant the
 * provider refuses marks the connection expired (and says so to listeners) there.
 *
 * @example
 * const outcome = await refreshIfDue({ use, tokens }, 'default', 'c_1', actor, Date.now() + 6 * 3600_000)
 */
export async function refreshIfDue(
  deps: { use: ConnectionUseCore; tokens: TokenEngine },
  appId: string,
  id: string,
  actor: Actor,
  before: number,
): Promise<RefreshOutcome> {
  let conn: Awaited<ReturnType<ConnectionUseCore['open']>>
  try {
    conn = await deps.use.open(appId, id, actor, { afterwards: 'check it' })
  } catch {
    return { kind: 'not_due' }
  }
  const source = authTypeOf(conn.method).tokens
  if (!source || !conn.target || !conn.secrets || source.holds?.(conn.method) === false) return { kind: 'not_due' }
  const held = source.read(conn.secrets)
  if (!held || held.expiresAt === undefined || held.expiresAt > before || !source.renewable(conn.method, held)) return { kind: 'not_due' }
  try {
    // `rejected` names the token held: the engine renews it even when it is not yet within its own margin.
    await deps.tokens.token(conn.target, source, { rejected: held.accessToken })
    return { kind: 'renewed' }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    return { kind: 'failed', problem: typeof code === 'string' ? code : 'token_refresh_failed' }
  }
}
