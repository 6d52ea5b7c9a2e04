import { type BoundedCache, createBoundedCache } from '../../platform/cache/index.ts'
import type { KeyRing } from '../../platform/crypto/index.ts'
import type { StoreTx } from '../../platform/store/index.ts'
import type { ConnectionRecord, CredentialRecord, CredentialSecrets } from '../../types.ts'

/**
 * The id of a credential record: shared credentials belong to the connection, personal ones to a
 * user of it. The same pair is bound into the ciphertext, so records cannot be swapped.
 *
 * @example
 * credentialId('c_1', undefined) // 'c_1'
 * credentialId('c_1', 'u_2')     // 'c_1~u_2'
 */
export function credentialId(connectionId: string, userId: string | undefined): string {
  return userId === undefined ? connectionId : `${connectionId}~${userId}`
}

/** Whose credentials a user's request uses: the connection's (shared) or the user's own (personal). */
export function credentialOwner(connection: Pick<ConnectionRecord, 'sharing'>, userId: string): string | undefined {
  return connection.sharing === 'personal' ? userId : undefined
}

/** Seals and writes credentials inside a store transaction; `marks.untested`: typed in, no test has checked them yet. */
export async function putCredentials(
  tx: StoreTx,
  keyRing: KeyRing,
  connection: Pick<ConnectionRecord, 'id' | 'authMethod'>,
  userId: string | undefined,
  secrets: CredentialSecrets,
  at: string,
  marks: Pick<CredentialRecord, 'untested'> = {},
): Promise<void> {
  const aad = userId === undefined ? { connectionId: connection.id } : { connectionId: connection.id, userId }
  const record: CredentialRecord = {
    id: credentialId(connection.id, userId),
    connectionId: connection.id,
    ...(userId === undefined ? {} : { userId }),
    authMethod: connection.authMethod,
    secretKeys: Object.keys(secrets.values).filter((key) => secrets.values[key] !== ''),
    ...(secrets.fields && Object.keys(secrets.fields).length > 0 ? { fields: secrets.fields } : {}),
    // Everything but the member's plain fields is sealed: values, and whatever token a type holds (oauth, jwt, …).
    sealed: keyRing.seal(sealedPart(secrets), aad),
    updatedAt: at,
    ...(marks.untested ? { untested: true } : {}),
  }
  await tx.put('credentials', record)
}

function sealedPart(secrets: CredentialSecrets): Omit<CredentialSecrets, 'fields'> {
  const { fields: _plain, ...sealed } = secrets
  for (const key of Object.keys(sealed) as Array<keyof typeof sealed>) if (sealed[key] === undefined) delete sealed[key]
  return sealed
}

/**
 * What a key ring opened lately, by the exact seal (record id, key, IV, tag): every write of a credential seals it
 * anew with a fresh IV, so a changed, rotated or dropped credential is never found here. Bounded in size and age,
 * in memory only, handed out frozen.
 */
const opened = new WeakMap<KeyRing, BoundedCache<CredentialSecrets>>()

/**
 * Opens a credential record (AES-256-GCM, the connection and user bound in). Opening the same seal again is
 * served from memory for a short while: every proxied call opens its connection's credentials.
 *
 * @example
 * const { values } = openCredentials(keyRing, record)
 */
export function openCredentials(keyRing: KeyRing, record: CredentialRecord): CredentialSecrets {
  let cache = opened.get(keyRing)
  if (!cache) opened.set(keyRing, (cache = createBoundedCache<CredentialSecrets>({ maxEntries: 10_000, maxAgeMs: 60_000 })))
  const key = `${record.id}\u0000${record.userId ?? ''}\u0000${record.sealed.kid}\u0000${record.sealed.iv}\u0000${record.sealed.tag}`
  const hit = cache.get(key)
  if (hit) return hit
  const aad =
    record.userId === undefined ? { connectionId: record.connectionId } : { connectionId: record.connectionId, userId: record.userId }
  return cache.set(key, deepFreeze(keyRing.open<CredentialSecrets>(record.sealed, aad)))
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) deepFreeze(item)
  }
  return value
}

/** Deletes every credential of a connection (shared and personal). */
export async function dropCredentials(tx: StoreTx, connectionId: string): Promise<number> {
  const records = await tx.find<CredentialRecord>('credentials', 'byConnection', { equals: [connectionId] })
  for (const record of records) await tx.delete('credentials', record.id)
  return records.length
}
