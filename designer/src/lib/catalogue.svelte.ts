import { call } from './api.ts'
import type { ConnectorEntry, ConnectorSummary } from './types.ts'

export type { ConnectorEntry }

/**
 * The catalogue list, shared by the catalogue, the connector picker and the connections table (for
 * icons and names). Pages call `load()` on arrival: the last list shows at once while a fresh one
 * loads, so custom connectors saved in the designer appear without a reload.
 */
class CatalogueState {
  connectors = $state<ConnectorSummary[] | undefined>(undefined)
  error = $state('')
  /** The catalogue's search and filters, kept while a person visits a connector and comes back. */
  filters = $state({ q: '', category: '', auth: '' })

  #loading: Promise<void> | undefined

  /** Loads the list; a call while a load is under way shares it (the first page starts one before it shows). */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        this.connectors = (await call('GET /api/connectors')).connectors
        this.error = ''
      } catch (error) {
        this.error = (error as Error).message
      } finally {
        this.#loading = undefined
      }
    })()
    return this.#loading
  }

  /** The summary of a connector, once the list has loaded. */
  find(id: string): ConnectorSummary | undefined {
    return this.connectors?.find((c) => c.id === id)
  }
}

/** The one catalogue state. */
export const catalogue = new CatalogueState()

/**
 * Reads one connector's full definition.
 *
 * @example
 * const { connector, builtIn } = await getConnector('github')
 */
export function getConnector(id: string): Promise<ConnectorEntry> {
  return call('GET /api/connectors/:id', { params: { id } })
}
