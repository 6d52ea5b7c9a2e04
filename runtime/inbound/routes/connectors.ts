import { Hono } from 'hono'
import type {
  ConnectorEntry,
  ConnectorList,
  ConnectorSummary,
  ImportOpenApi,
  OpenApiImportResult,
  TestDraft,
  TestResult,
  ValidationResult,
} from '../../../schemas/types/api.ts'
import type { Connector } from '../../../schemas/types/connector.ts'
import type { Catalogue } from '../../core/catalogue/index.ts'
import type { ConnectionTests } from '../../core/connection-tests/index.ts'
import { idParam, type Policy, type RouteEnv } from '../access/index.ts'
import { readBody } from './body.ts'

/** A spec of 10 MB as a JSON string, escapes included. */
const MAX_SPEC_BODY = 12 * 1024 * 1024

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
 * The catalogue routes: everyone signed in reads and validates; the workspace owner creates, updates and
 * deletes custom connectors; testing a draft, which sends requests to upstream hosts (allow-listed ones
 * included), needs a role in some app, and so does converting an OpenAPI spec into a draft (`importOpenApi`,
 * given by the composition: the importer is tooling, which this layer does not import).
 *
 * @example
 * app.route('/api/connectors', connectorRoutes({ policy, catalogue, tests }))
 */
export function connectorRoutes(deps: {
  policy: Policy
  catalogue: Catalogue
  tests: Pick<ConnectionTests, 'draft'>
  importOpenApi: (body: ImportOpenApi) => Promise<OpenApiImportResult>
}) {
  const { catalogue, policy } = deps
  return new Hono<RouteEnv>()
    .get('/', policy({ role: 'signed-in', what: 'read the catalogue' }), async (c) => {
      const q = (c.req.query('q') ?? '').toLowerCase()
      const category = c.req.query('category')
      const entries = (await catalogue.list()).filter(
        ({ connector }) =>
          (!q || `${connector.name} ${connector.id} ${connector.description ?? ''}`.toLowerCase().includes(q)) &&
          (!category || (connector.categories ?? []).includes(category as never)),
      )
      return c.json<ConnectorList>({ connectors: entries.map((e) => summary(e.connector, e.builtIn)) })
    })
    .post('/validate', policy({ role: 'signed-in', what: 'validate connectors' }), async (c) => {
      const doc = await readBody<unknown>(c, 'ConnectorDocument')
      return c.json<ValidationResult>(catalogue.validate(doc))
    })
    .post('/test', policy({ role: 'member-anywhere', what: 'test draft connectors' }), async (c) =>
      c.json<TestResult>(await deps.tests.draft(await readBody<TestDraft>(c, 'TestDraft'))),
    )
    .post('/import/openapi', policy({ role: 'member-anywhere', what: 'import OpenAPI specs', maxBodyBytes: MAX_SPEC_BODY }), async (c) => {
      return c.json<OpenApiImportResult>(await deps.importOpenApi(await readBody<ImportOpenApi>(c, 'ImportOpenApi')))
    })
    .get('/:id', policy({ role: 'signed-in', what: 'read connectors' }), async (c) =>
      c.json<ConnectorEntry>(await catalogue.get(idParam(c, 'id', 'connector'))),
    )
    .post('/', policy({ role: 'owner', what: 'create custom connectors' }), async (c) => {
      const connector = await catalogue.create(await readBody<unknown>(c, 'ConnectorDocument'), c.get('user').id)
      return c.json<ConnectorEntry>({ connector, builtIn: false }, 201)
    })
    .put('/:id', policy({ role: 'owner', what: 'change custom connectors' }), async (c) => {
      const connector = await catalogue.update(idParam(c, 'id', 'connector'), await readBody<unknown>(c, 'ConnectorDocument'))
      return c.json<ConnectorEntry>({ connector, builtIn: false })
    })
    .delete('/:id', policy({ role: 'owner', what: 'delete custom connectors' }), async (c) => {
      await catalogue.delete(idParam(c, 'id', 'connector'))
      return c.body(null, 204)
    })
}
