import type { ConnectorEntry as CatalogueEntry } from '../../../schemas/types/api.ts'
import type { Connector } from '../../../schemas/types/connector.ts'
import { validateConnector } from '../../../schemas/validate/index.ts'
import { SwitchboardError } from '../../errors.ts'
import { readAll, type Store } from '../../platform/store/index.ts'
import type { ConnectorRecord } from '../../types.ts'

/** A connector as listed: the definition, and whether it ships with Switchboard (the API's ConnectorEntry). */
export type { CatalogueEntry }

/**
 * Built-in connectors (read-only, from `connectors/`) and custom ones (kept in the store), behind one
 * lookup. Custom ids never shadow built-in ones.
 *
 * @example
 * const catalogue = createCatalogue({ builtIns, store })
 * const { connector } = await catalogue.get('github')
 */
/** Definitions are read on every call through a connection, and only read: shared, not copied. */
const SHARED = { shared: true } as const

export function createCatalogue(options: { builtIns: ReadonlyMap<string, Connector>; store: Store; clock?: () => Date }) {
  const { store } = options
  // Frozen once, handed out as they are: a definition is read on every request through a connection, and copying
  // one (GitHub's has dozens of actions) on each cost more than the request's own work.
  const builtIns = new Map([...options.builtIns].map(([id, connector]) => [id, deepFreeze(structuredClone(connector))]))
  const now = () => (options.clock ?? (() => new Date()))().toISOString()

  async function get(id: string): Promise<CatalogueEntry> {
    const builtIn = builtIns.get(id)
    if (builtIn) return { connector: builtIn, builtIn: true }
    const record = await store.get<ConnectorRecord>('connectors', id, SHARED)
    if (!record) throw new SwitchboardError(404, 'connector_not_found', `There is no connector "${id}". GET /api/connectors lists them.`)
    return { connector: record.definition, builtIn: false }
  }

  function checkDefinition(doc: unknown): Connector {
    const result = validateConnector(doc)
    if (!result.valid) {
      throw new SwitchboardError(
        400,
        'invalid_connector',
        `The connector definition has ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}: ` +
          `${result.errors[0]!.message}${result.errors.length > 1 ? ' …' : ''}`,
        { details: result },
      )
    }
    const connector = structuredClone(doc) as Connector
    delete connector.$schema
    return connector
  }

  return {
    get,
    /** Every connector, built-in first, then custom ones by name. */
    async list(): Promise<CatalogueEntry[]> {
      const custom = await readAll<ConnectorRecord>(store, 'connectors')
      return [
        ...[...builtIns.values()].map((connector) => ({ connector, builtIn: true })),
        ...custom
          .sort((a, b) => a.definition.name.localeCompare(b.definition.name))
          .map((r) => ({ connector: r.definition, builtIn: false })),
      ]
    },
    /** Validates and stores a new custom connector. */
    async create(doc: unknown, userId: string): Promise<Connector> {
      const connector = checkDefinition(doc)
      if (builtIns.has(connector.id)) {
        throw new SwitchboardError(
          409,
          'connector_id_reserved',
          `"${connector.id}" is a built-in connector. Choose another id, such as "${connector.id}-custom".`,
        )
      }
      const at = now()
      try {
        await store.insert<ConnectorRecord>('connectors', {
          id: connector.id,
          definition: connector,
          createdAt: at,
          updatedAt: at,
          createdBy: userId,
        })
      } catch (error) {
        if (error instanceof SwitchboardError && error.code === 'conflict') {
          throw new SwitchboardError(
            409,
            'connector_exists',
            `A custom connector "${connector.id}" exists already. Update it with PUT /api/connectors/${connector.id}, or choose ` +
              `another id.`,
          )
        }
        throw error
      }
      return connector
    },
    /** Replaces a custom connector's definition; its id cannot change. */
    async update(id: string, doc: unknown): Promise<Connector> {
      if (builtIns.has(id))
        throw new SwitchboardError(
          409,
          'connector_read_only',
          `"${id}" is a built-in connector and cannot be changed. Duplicate it as a custom connector instead.`,
        )
      const connector = checkDefinition(doc)
      if (connector.id !== id)
        throw new SwitchboardError(
          400,
          'id_mismatch',
          `The definition's id "${connector.id}" differs from "${id}" in the URL; ids cannot change.`,
        )
      const updated = await store.update<ConnectorRecord>(
        'connectors',
        id,
        (current) => current && { ...current, definition: connector, updatedAt: now() },
      )
      if (!updated) throw new SwitchboardError(404, 'connector_not_found', `There is no custom connector "${id}".`)
      return connector
    },
    /** Deletes a custom connector that no connection uses. */
    async delete(id: string): Promise<void> {
      if (builtIns.has(id)) throw new SwitchboardError(409, 'connector_read_only', `"${id}" is a built-in connector and cannot be deleted.`)
      await store.transaction(async (tx) => {
        if (!(await tx.get('connectors', id)))
          throw new SwitchboardError(404, 'connector_not_found', `There is no custom connector "${id}".`)
        const used = (await tx.find('connections', 'byConnector', { equals: [id] })).length
        if (used > 0)
          throw new SwitchboardError(
            409,
            'connector_in_use',
            `${used} connection${used === 1 ? ' uses' : 's use'} "${id}". Delete ${used === 1 ? 'it' : 'them'} first.`,
            { details: { connections: used } },
          )
        await tx.delete('connectors', id)
      })
    },
    validate: validateConnector,
  }
}

/** The catalogue's type. */
export type Catalogue = ReturnType<typeof createCatalogue>

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) deepFreeze(item)
  }
  return value
}
