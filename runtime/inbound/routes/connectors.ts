import { Hono } from 'hono'
import type { ConnectorSummary, TestDraft } from '../../../schemas/types/api.ts'
import type { Connector } from '../../../schemas/types/connector.ts'
import type { Catalogue } from '../../core/catalogue/index.ts'
import type { ConnectionTests } from '../../core/connection-tests/index.ts'
import type { AuthVariables } from '../callers/index.ts'
import { idParam, readBody } from './body.ts'

/** What the catalogue list shows of a connector. */
function summary(connector: Connector, builtIn: boolean): ConnectorSummary {
  return {
    id: connector.id,
    name: connector.name,
    ...(connector.description === undefined ? {} : { description: connector.description }),
    ...(connector.icon === undefined ? {} : { icon: connector.icon }),
    categories: connector.categories ?? [],
    authTypes: [...new Set(connector.auth.map((m) => m.type))],
    actions: (connector.actions ?? []).length,
    builtIn,
  }
}

/**
 * The catalogue routes: list, read, validate, create, update, delete custom connectors, and test a draft.
 *
 * @example
 * app.route('/api/connectors', connectorRoutes({ catalogue, tests }))
 */
export function connectorRoutes(deps: { catalogue: Catalogue; tests: Pick<ConnectionTests, 'draft'> }) {
  const { catalogue } = deps
  return new Hono<{ Variables: AuthVariables }>()
    .get('/', async (c) => {
      const q = (c.req.query('q') ?? '').toLowerCase()
      const category = c.req.query('category')
      const entries = (await catalogue.list()).filter(({ connector }) =>
        (!q || `${connector.name} ${connector.id} ${connector.description ?? ''}`.toLowerCase().includes(q)) &&
        (!category || (connector.categories ?? []).includes(category as never)))
      return c.json({ connectors: entries.map((e) => summary(e.connector, e.builtIn)) })
    })
    .post('/validate', async (c) => {
      const doc = await readBody<unknown>(c, 'ConnectorDocument')
      return c.json(catalogue.validate(doc))
    })
    .post('/test', async (c) => c.json(await deps.tests.draft(await readBody<TestDraft>(c, 'TestDraft'))))
    .get('/:id', async (c) => {
      const entry = await catalogue.get(idParam(c, 'id', 'connector'))
      return c.json(entry)
    })
    .post('/', async (c) => {
      const connector = await catalogue.create(await readBody<unknown>(c, 'ConnectorDocument'), c.get('user').id)
      return c.json({ connector, builtIn: false }, 201)
    })
    .put('/:id', async (c) => {
      const connector = await catalogue.update(idParam(c, 'id', 'connector'), await readBody<unknown>(c, 'ConnectorDocument'))
      return c.json({ connector, builtIn: false })
    })
    .delete('/:id', async (c) => {
      await catalogue.delete(idParam(c, 'id', 'connector'))
      return c.body(null, 204)
    })
}
