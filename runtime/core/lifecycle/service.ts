import type { CloneConnection, Connection, CreateConnection, SetCredentials, UpdateConnection } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import type { StoreTx } from '../../platform/store/index.ts'
import type { ConnectionRecord, CredentialRecord } from '../../types.ts'
import { endSession } from '../auth/session/index.ts'
import {
  type Actor,
  assertNameFree,
  type ConnectionDeps,
  checkValues,
  connectionName,
  credentialId,
  credentialOwner,
  dropCredentials,
  hasAllSecrets,
  type Loaded,
  loadConnection,
  nameKey,
  nameTaken,
  putCredentials,
  toView,
} from '../connections/index.ts'
import { keepsCredentials } from '../connections/origin.ts'
import { aboutConnection, type ConnectionEvent, type ConnectionEvents } from '../events/index.ts'
import { effectiveValues, fieldDefinitions, pickAuthMethod, resolveBaseUrl } from '../requests/index.ts'
import { needsCredentials } from '../use/index.ts'
import { assertTestUrlOnOrigin } from './test-url.ts'

/**
 * Everything a person or a workflow does with connections: add, list, read, rename, change base URL
 * and fields, connect and reconnect, unauthorize, delete, clone and test.
 *
 * @example
 * const connections = createConnectionService(deps)
 * const view = await connections.create('default', { connectorId: 'github', name: 'Work', values: { token } }, actor)
 */
export function createConnectionService(deps: ConnectionDeps & { events?: ConnectionEvents }) {
  const now = () => deps.clock().toISOString()
  /** Tells listeners (webhooks) what happened; a connection's events carry its ids and name, never a value. */
  const emit = (type: ConnectionEvent['type'], record: Parameters<typeof aboutConnection>[0]) =>
    deps.events?.emit({ type, at: now(), data: aboutConnection(record) })

  /** The API view, with which secrets have a value for this actor. */
  async function view(loaded: Pick<Loaded, 'record' | 'connector'>, actor: Actor): Promise<Connection> {
    const owner = credentialOwner(loaded.record, actor.userId)
    const credential = await deps.store.get<CredentialRecord>('credentials', credentialId(loaded.record.id, owner))
    return toView(personalView(loaded.record, credential), loaded.connector, new Set(credential?.secretKeys ?? []), deps.publicUrl)
  }

  async function update(appId: string, id: string, change: (loaded: Loaded, tx: StoreTx) => Promise<ConnectionRecord>): Promise<Loaded> {
    const loaded = await loadConnection(deps, appId, id)
    const record = await deps.store.transaction(async (tx) => {
      const current = await tx.get<ConnectionRecord>('connections', id)
      if (!current || current.appId !== appId)
        throw new SwitchboardError(404, 'connection_not_found', `App "${appId}" has no connection "${id}".`)
      const next = await change({ ...loaded, record: current }, tx)
      return putConnection(tx, { ...next, updatedAt: now() })
    })
    return { ...loaded, record }
  }

  return {
    view,
    async list(appId: string, actor: Actor): Promise<Connection[]> {
      const records = await deps.store.find<ConnectionRecord>('connections', 'byApp', { equals: [appId] })
      const views: Connection[] = []
      for (const record of records) {
        const entry = await deps.catalogue.get(record.connectorId).catch(() => undefined)
        if (entry) views.push(await view({ record, connector: entry.connector }, actor))
      }
      return views
    },

    async get(appId: string, id: string, actor: Actor): Promise<Connection> {
      return view(await loadConnection(deps, appId, id), actor)
    },

    async create(appId: string, body: CreateConnection, actor: Actor): Promise<Connection> {
      const { connector } = await deps.catalogue.get(body.connectorId)
      const method = pickAuthMethod(connector, body.authMethod)
      const fields = fieldDefinitions(connector, method)
      const sharing = body.sharing ?? 'shared'
      // On a personal connection the auth method's plain fields are each member's own (see setCredentials):
      // not required of the person creating it, and theirs alone when they give them.
      const own = new Set(sharing === 'personal' ? (method.fields ?? []).filter((f) => f.type !== 'secret').map((f) => f.key) : [])
      const required = new Map([...fields].filter(([key]) => !own.has(key)))
      checkValues(required, Object.fromEntries(Object.entries(body.values ?? {}).filter(([key]) => required.has(key))), {
        require: 'plain',
      })
      const split = checkValues(fields, body.values ?? {})
      if (method.type === 'oauth2' && Object.keys(split.secrets).length > 0) {
        throw new SwitchboardError(
          400,
          'oauth2_values',
          'OAuth2 connections get their tokens by authorizing, not as values. Create the connection, then start the OAuth2 flow.',
        )
      }
      const plain = effectiveValues(fields, split.plain)
      assertTestUrlOnOrigin(connector, fields, plain, resolveBaseUrl(connector, plain, body.baseUrl))
      const at = now()
      const record: ConnectionRecord = {
        id: deps.newId(),
        appId,
        connectorId: connector.id,
        name: connectionName(body.name),
        authMethod: method.id,
        sharing,
        status: 'not_connected',
        fields: Object.fromEntries(Object.entries(split.plain).filter(([key]) => !own.has(key))),
        ...(body.baseUrl === undefined ? {} : { baseUrl: body.baseUrl }),
        createdAt: at,
        updatedAt: at,
        createdBy: actor.userId,
      }
      const connect = Object.keys(split.secrets).length > 0 && hasAllSecrets(fields, split.secrets)
      if (Object.keys(split.secrets).length > 0) checkValues(fields, body.values ?? {}, { require: connect ? 'all' : 'secrets' })
      const mine = Object.fromEntries(Object.entries(split.plain).filter(([key]) => own.has(key)))
      // Typed credentials are usable but unchecked until a test (or a health check) speaks for them.
      if (connect) record.status = 'untested'
      else if (!needsCredentials({ method, fields })) record.status = 'connected'
      await deps.store.transaction(async (tx) => {
        await assertNameFree(tx, appId, connector.id, record.name)
        await putConnection(tx, record)
        if (connect) {
          const owner = credentialOwner(record, actor.userId)
          await putCredentials(tx, deps.keyRing, record, owner, { values: split.secrets, fields: mine }, at, {
            untested: owner !== undefined,
          })
        }
      })
      await emit('connection.created', record)
      if (connect) await emit('connection.untested', record)
      return view({ record, connector }, actor)
    },

    async update(appId: string, id: string, body: UpdateConnection, actor: Actor): Promise<Connection> {
      const loaded = await update(appId, id, async ({ record, connector, fields }, tx) => {
        const next: ConnectionRecord = { ...record }
        if (body.name !== undefined) {
          next.name = connectionName(body.name)
          await assertNameFree(tx, appId, record.connectorId, next.name, id)
        }
        if (body.values !== undefined) next.fields = { ...record.fields, ...checkValues(fields, body.values, { only: 'plain' }).plain }
        if (body.baseUrl !== undefined) {
          if (body.baseUrl === null) delete next.baseUrl
          else next.baseUrl = body.baseUrl
        }
        let drop = body.sharing !== undefined && body.sharing !== record.sharing
        if (body.sharing !== undefined) next.sharing = body.sharing
        const before = baseUrlOrUndefined(connector, effectiveValues(fields, record.fields), record.baseUrl)
        const after = resolveBaseUrl(connector, effectiveValues(fields, next.fields), next.baseUrl)
        if (body.values !== undefined || body.baseUrl !== undefined)
          assertTestUrlOnOrigin(connector, fields, effectiveValues(fields, next.fields), after)
        // Credentials go only to the origin they were entered for: another scheme, host or port needs
        // connecting again unless the connector declares that exact origin, so a shared key can be
        // neither aimed elsewhere nor downgraded to clear text.
        if (!keepsCredentials(before, after, connector.allowedHosts)) drop = true
        if (drop) {
          await dropCredentials(tx, id)
          next.status = 'not_connected'
          delete next.accountLabel
          delete next.grantedScopes
          delete next.lastTest
        }
        return next
      })
      return view(loaded, actor)
    },

    async setCredentials(appId: string, id: string, body: SetCredentials, actor: Actor): Promise<Connection> {
      const loaded = await update(appId, id, async ({ record, connector }, tx) => {
        const method = pickAuthMethod(connector, body.authMethod ?? record.authMethod)
        if (method.type === 'oauth2') {
          throw new SwitchboardError(
            400,
            'oauth2_values',
            `"${method.id}" is an OAuth2 method: connect it through GET …/connections/${id}/oauth/authorize.`,
          )
        }
        const fields = fieldDefinitions(connector, method)
        const owner = credentialOwner(record, actor.userId)
        // On a personal connection the auth method's plain fields (the email of Basic auth) are each
        // member's own, kept with their credentials; the connection's fields stay shared.
        const own = new Set(owner === undefined ? [] : (method.fields ?? []).filter((f) => f.type !== 'secret').map((f) => f.key))
        const mine = owner === undefined ? undefined : (await tx.get<CredentialRecord>('credentials', credentialId(id, owner)))?.fields
        // A switch of method can bring required plain fields without a value yet (Jira: OAuth2 → email and API token).
        const known = Object.fromEntries(Object.entries({ ...record.fields, ...mine }).filter(([key]) => fields.has(key)))
        const split = checkValues(fields, { ...known, ...body.values }, { require: 'all' })
        const shared = Object.fromEntries(Object.entries(split.plain).filter(([key]) => !own.has(key)))
        const personal = Object.fromEntries(Object.entries(split.plain).filter(([key]) => own.has(key)))
        const next: ConnectionRecord = { ...record, authMethod: method.id, fields: { ...record.fields, ...shared }, status: 'untested' }
        if (Object.keys(shared).some((key) => shared[key] !== record.fields[key])) {
          const values = effectiveValues(fields, next.fields)
          assertTestUrlOnOrigin(connector, fields, values, resolveBaseUrl(connector, values, next.baseUrl))
        }
        delete next.accountLabel
        delete next.lastTest
        if (method.id !== record.authMethod) await dropCredentials(tx, id)
        await putCredentials(tx, deps.keyRing, next, owner, { values: split.secrets, fields: personal }, now(), {
          untested: owner !== undefined,
        })
        return next
      })
      // Not `connection.connected` yet: that is told when a test first passes (see connection-tests).
      await emit('connection.untested', loaded.record)
      return view(loaded, actor)
    },

    async unauthorize(appId: string, id: string, actor: Actor): Promise<Connection> {
      // A session method may end its session on the API first (its `logout`); the credentials go regardless.
      const current = await loadConnection(deps, appId, id)
      await endSession(deps, current, credentialOwner(current.record, actor.userId))
      const loaded = await update(appId, id, async ({ record }, tx) => {
        if (record.sharing === 'personal') await tx.delete('credentials', credentialId(id, actor.userId))
        else await dropCredentials(tx, id)
        const next: ConnectionRecord = { ...record, status: record.sharing === 'personal' ? record.status : 'not_connected' }
        // What was learnt with the dropped credentials (the account, the last test's success) goes with them.
        // A personal connection keeps these with each member's credential record, deleted above.
        if (record.sharing !== 'personal') {
          delete next.accountLabel
          delete next.grantedScopes
          delete next.lastTest
        }
        return next
      })
      return view(loaded, actor)
    },

    async delete(appId: string, id: string): Promise<void> {
      const { record } = await loadConnection(deps, appId, id)
      await deps.store.transaction(async (tx) => {
        await tx.delete('connections', id)
        await dropCredentials(tx, id)
      })
      await emit('connection.deleted', { id, appId, connectorId: record.connectorId, name: record.name })
    },

    async clone(appId: string, id: string, body: CloneConnection, actor: Actor): Promise<Connection> {
      const { record, connector, method, fields } = await loadConnection(deps, appId, id)
      const at = now()
      const copy: ConnectionRecord = {
        ...structuredClone(record),
        id: deps.newId(),
        name: connectionName(body.name),
        status: needsCredentials({ method, fields }) ? 'not_connected' : 'connected',
        createdAt: at,
        updatedAt: at,
        createdBy: actor.userId,
      }
      delete copy.accountLabel
      delete copy.grantedScopes
      delete copy.lastTest
      await deps.store.transaction(async (tx) => {
        await assertNameFree(tx, appId, record.connectorId, copy.name)
        await putConnection(tx, copy)
      })
      await emit('connection.created', copy)
      return view({ record: copy, connector }, actor)
    },
  }
}

/**
 * Writes a connection with its name key; a name a concurrent request took meanwhile (the unique index) is
 * the same 409 as one taken before.
 */
async function putConnection(tx: StoreTx, record: ConnectionRecord): Promise<ConnectionRecord> {
  try {
    return await tx.put<ConnectionRecord>('connections', { ...record, nameKey: nameKey(record.name) })
  } catch (error) {
    if (error instanceof SwitchboardError && error.code === 'conflict') throw nameTaken(record.appId, record.connectorId, record.name)
    throw error
  }
}

/** The base URL a stored connection had, or undefined when it no longer renders (a field was emptied). */
function baseUrlOrUndefined(...args: Parameters<typeof resolveBaseUrl>): URL | undefined {
  try {
    return resolveBaseUrl(...args)
  } catch {
    return undefined
  }
}

/** The service's type. */
export type ConnectionService = ReturnType<typeof createConnectionService>

/**
 * A personal connection as one person sees it: their own status, last test and account, never
 * another member's (which the connection record may hold from before the scope changed).
 */
function personalView(record: ConnectionRecord, credential: CredentialRecord | undefined): ConnectionRecord {
  if (record.sharing !== 'personal') return record
  const view: ConnectionRecord = { ...record }
  delete view.accountLabel
  delete view.lastTest
  if (credential?.fields) view.fields = { ...record.fields, ...credential.fields }
  view.status = !credential
    ? 'not_connected'
    : credential.oauthExpiredAt
      ? 'expired'
      : credential.lastTest && !credential.lastTest.ok
        ? 'error'
        : credential.untested
          ? 'untested'
          : 'connected'
  if (credential?.lastTest) view.lastTest = credential.lastTest
  if (credential?.accountLabel) view.accountLabel = credential.accountLabel
  return view
}
