import { createHash, randomBytes } from 'node:crypto'
import type { TokenKind } from '../../../schemas/types/api.ts'
import type { Store } from '../../platform/store/index.ts'
import type { TokenRecord } from '../../types.ts'

/**
 * The hashes of tokens presented lately, in memory only: every API call hashes its bearer token to look it up,
 * and a workflow sends the same one thousands of times. A remembered hash saves only the hashing: the token's record
 * is still read on every call, so a revoked token is refused at once.
 */
const recentHashes = new Map<string, string>()
const RECENT_HASHES = 1024

/**
 * The SHA-256 of a token, hex: the only form a token is kept in, and its record id.
 *
 * @example
 * hashToken('sb_…') // '9f86d081…'
 */
export function hashToken(token: string): string {
  let hash = recentHashes.get(token)
  if (hash === undefined) {
    hash = createHash('sha256').update(token, 'utf8').digest('hex')
    // Oldest first out: a burst of new tokens cannot grow it past its bound.
    if (recentHashes.size >= RECENT_HASHES) recentHashes.delete(recentHashes.keys().next().value!)
    recentHashes.set(token, hash)
  }
  return hash
}

/**
 * Issues a new token for a user and returns it; it is shown once and never again.
 *
 * @example
 * const token = await issueToken(store, 'u_owner', 'Sign-in link', { now })
 */
export async function issueToken(
  store: Store,
  userId: string,
  name: string,
  options: { now: string; kind?: TokenKind },
): Promise<{ token: string; record: TokenRecord }> {
  const token = `sb_${randomBytes(32).toString('base64url')}`
  const record: TokenRecord = { id: hashToken(token), userId, name, kind: options.kind ?? 'api', createdAt: options.now }
  await store.insert('tokens', record)
  return { token, record }
}

/**
 * The token's record when it is valid (known and not revoked).
 *
 * @example
 * const record = await findToken(store, bearer)
 */
export async function findToken(store: Store, token: string): Promise<TokenRecord | undefined> {
  if (!/^sb_[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined
  const record = await store.get<TokenRecord>('tokens', hashToken(token), { shared: true })
  return record && !record.revokedAt ? record : undefined
}
