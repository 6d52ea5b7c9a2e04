import type { AuthMethod, Connector, Field } from '../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../errors.ts'
import type { KeyRing } from '../../platform/crypto/index.ts'
import type { HttpClient } from '../../platform/http/index.ts'
import type { Store, StoreTx } from '../../platform/store/index.ts'
import type { ConnectionRecord } from '../../types.ts'
import type { Catalogue } from '../catalogue/index.ts'
import { fieldDefinitions, pickAuthMethod } from '../requests/index.ts'

/** The parts the connection service is built from. */
export interface ConnectionDeps {
  store: Store
  catalogue: Catalogue
  keyRing: KeyRing
  http: HttpClient
  clock: () => Date
  /** Public base URL of the runtime, for links people open (`connectUrl`). */
  publicUrl: string
  /** New ids; injectable so tests can predict them. */
  newId: () => string
}

/** Who is acting. */
export interface Actor {
  userId: string
}

/** A connection with its connector, auth method and field definitions. */
export interface Loaded {
  record: ConnectionRecord
  connector: Connector
  method: AuthMethod
  fields: Map<string, Field>
}

/**
 * Reads a connection of an app with everything needed to use it; 404 when it is not in that app.
 *
 * @example
 * const { record, connector, method } = await loadConnection(deps, 'default', 'c_123')
 */
export async function loadConnection(deps: Pick<ConnectionDeps, 'store' | 'catalogue'>, appId: string, id: string): Promise<Loaded> {
  const record = await deps.store.get<ConnectionRecord>('connections', id, { shared: true })
  if (!record || record.appId !== appId) {
    throw new SwitchboardError(404, 'connection_not_found', `App "${appId}" has no connection "${id}".`)
  }
  const { connector } = await deps.catalogue.get(record.connectorId)
  const method = pickAuthMethod(connector, record.authMethod)
  return { record, connector, method, fields: fieldDefinitions(connector, method) }
}

/**
 * A connection name as stored: trimmed, and never blank (the schema's pattern lets spaces through).
 *
 * @example
 * connectionName('  GitHub (work) ') // 'GitHub (work)'
 */
export function connectionName(raw: string): string {
  const name = raw.trim()
  if (name === '') {
    throw new SwitchboardError(400, 'invalid_body', 'The body is not valid: name must not be blank.', {
      details: { errors: [{ path: '/name', keyword: 'minLength', message: 'name must not be blank' }] },
    })
  }
  return name
}

/**
 * The key a connection name is unique by, per app and connector: its lower-cased form (the store's `byName`
 * unique index is over it).
 *
 * @example
 * nameKey('GitHub (Work)') // 'github (work)'
 */
export function nameKey(name: string): string {
  return name.toLowerCase()
}

/**
 * Refuses a second connection with the same name for the same connector in an app (409), by the `byName`
 * index; the unique index stops a concurrent twin that gets in between.
 *
 * @example
 * await assertNameFree(tx, 'default', 'github', 'Work')
 */
export async function assertNameFree(
  tx: Pick<StoreTx, 'find'>,
  appId: string,
  connectorId: string,
  name: string,
  exceptId?: string,
): Promise<void> {
  const same = await tx.find<ConnectionRecord>('connections', 'byName', { equals: [appId, connectorId, nameKey(name)] })
  if (same.some((c) => c.id !== exceptId)) throw nameTaken(appId, connectorId, name)
}

/** 409 for a connection name that is taken. */
export function nameTaken(appId: string, connectorId: string, name: string): SwitchboardError {
  return new SwitchboardError(
    409,
    'connection_name_taken',
    `App "${appId}" already has a ${connectorId} connection named "${name}". Choose another name.`,
  )
}

/** Whether all required secret fields of the method have a value. */
export function hasAllSecrets(fields: ReadonlyMap<string, Field>, secrets: Readonly<Record<string, string>>): boolean {
  for (const [key, field] of fields) if (field.type === 'secret' && field.required && !secrets[key]) return false
  return [...fields.values()].some((f) => f.type === 'secret') ? Object.keys(secrets).length > 0 : true
}
