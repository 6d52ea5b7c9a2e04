import { randomBytes } from 'node:crypto'
import type { CreateUser, Token, User } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { TokenRecord, UserRecord } from '../../types.ts'

/**
 * Adds a person to the workspace. Emails are unique (case-insensitive) when given.
 *
 * @example
 * const user = await createUser(store, { name: 'Ada', email: 'ada@example.com' }, new Date().toISOString())
 */
export async function createUser(store: Store, body: CreateUser, now: string): Promise<UserRecord> {
  const name = body.name.trim()
  const email = body.email?.trim().toLowerCase()
  const user: UserRecord = {
    id: `u_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`,
    name,
    ...(email ? { email } : {}),
    owner: false,
    createdAt: now,
  }
  const exists = () =>
    new SwitchboardError(409, 'user_exists', `A user with the email "${email}" exists already. GET /api/users lists them.`)
  if (email && (await store.find<UserRecord>('users', 'byEmail', { equals: [email], limit: 1 })).length > 0) throw exists()
  try {
    return await store.insert('users', user)
  } catch (error) {
    // The email's unique index: another request added the same email meanwhile.
    if (error instanceof SwitchboardError && error.code === 'conflict') throw exists()
    throw error
  }
}

/**
 * Reads a user or answers 404 `user_not_found`.
 *
 * @example
 * const user = await requireUser(store, 'u_1')
 */
export async function requireUser(store: Store, userId: string): Promise<UserRecord> {
  const user = await store.get<UserRecord>('users', userId)
  if (!user) throw new SwitchboardError(404, 'user_not_found', `There is no user "${userId}". GET /api/users lists them.`)
  return user
}

/**
 * Everyone in the workspace, oldest first.
 *
 * @example
 * const users = await listUsers(store)
 */
export async function listUsers(store: Store): Promise<UserRecord[]> {
  return store.find<UserRecord>('users', 'byCreated', { equals: [] })
}

/**
 * A user as the API shows them.
 *
 * @example
 * userView(record) // { id, name, email?, owner, createdAt }
 */
export function userView(user: UserRecord): User {
  return {
    id: user.id,
    name: user.name,
    ...(user.email === undefined ? {} : { email: user.email }),
    owner: user.owner,
    createdAt: user.createdAt,
  }
}

/**
 * What a token record shows.
 *
 * @example
 * tokenView(record) // { id, userId, name, kind, createdAt, lastUsedAt? , revokedAt? }
 */
export function tokenView(record: TokenRecord): Token {
  return {
    id: record.id,
    userId: record.userId,
    name: record.name,
    kind: record.kind,
    createdAt: record.createdAt,
    ...(record.lastUsedAt === undefined ? {} : { lastUsedAt: record.lastUsedAt }),
    ...(record.revokedAt === undefined ? {} : { revokedAt: record.revokedAt }),
  }
}

/**
 * A user's tokens (API and browser sessions), newest first.
 *
 * @example
 * const tokens = await listTokens(store, 'u_1')
 */
export async function listTokens(store: Store, userId: string): Promise<Token[]> {
  const records = await store.find<TokenRecord>('tokens', 'byUser', { equals: [userId] })
  return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(tokenView)
}

/**
 * Revokes a token; revoking twice keeps the first time. `allowed` decides whose tokens the caller may
 * revoke; a token they may not touch answers the same 404 as one that does not exist.
 *
 * @example
 * await revokeToken(store, tokenId, now, (t) => t.userId === me.id)
 */
export async function revokeToken(
  store: Store,
  tokenId: string,
  now: string,
  allowed: (record: TokenRecord) => boolean = () => true,
): Promise<Token> {
  const notFound = () => new SwitchboardError(404, 'token_not_found', 'There is no such token. GET /api/users/:id/tokens lists them.')
  const record = /^[0-9a-f]{64}$/.test(tokenId) ? await store.get<TokenRecord>('tokens', tokenId) : undefined
  if (!record || !allowed(record)) throw notFound()
  const next = await store.update<TokenRecord>('tokens', tokenId, (t) => t && (t.revokedAt ? t : { ...t, revokedAt: now }))
  if (!next) throw notFound()
  return tokenView(next)
}
