import { apiSchema, connectorSchema } from '../../../schemas/validate/index.ts'

/** A JSON Schema as the document carries it. */
export type Schema = Record<string, unknown>

/** Where a component schema is referenced from: `#/components/schemas/<name>`. */
export const componentRef = (name: string) => `#/components/schemas/${name}`

/**
 * Every named definition of `api.schema.json` (but `Routes`, which becomes the paths) and of
 * `connector.schema.json` (its root as `Connector`), as OpenAPI 3.1 component schemas: the same JSON
 * Schemas, with `#/$defs/X` and `connector.schema.json` references pointing at the components. Names of the
 * two files never collide; if they ever did, building the document says so rather than dropping one.
 *
 * @example
 * componentSchemas().Connection // { title: 'Connection', type: 'object', … }
 */
export function componentSchemas(): Record<string, Schema> {
  const api = (apiSchema as unknown as { $defs: Record<string, Schema> }).$defs
  const {
    $defs: connectorDefs,
    $id: _id,
    $schema: _schema,
    ...connectorRoot
  } = connectorSchema as unknown as Schema & {
    $defs: Record<string, Schema>
  }
  const out: Record<string, Schema> = {}
  const add = (name: string, schema: Schema) => {
    if (name in out) throw new TypeError(`openapi: "${name}" is defined in both api.schema.json and connector.schema.json; rename one`)
    out[name] = rewriteRefs(schema) as Schema
  }
  for (const [name, schema] of Object.entries(api)) if (name !== 'Routes') add(name, schema)
  add('Connector', connectorRoot)
  for (const [name, schema] of Object.entries(connectorDefs)) add(name, schema)
  return out
}

/**
 * A copy of a schema with its references pointing at the components.
 *
 * @example
 * rewriteRefs({ $ref: '#/$defs/Id' }) // { $ref: '#/components/schemas/Id' }
 */
export function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs)
  if (value === null || typeof value !== 'object') return value
  const out: Schema = {}
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') out[key] = refTarget(item)
    else out[key] = rewriteRefs(item)
  }
  return out
}

function refTarget(ref: string): string {
  if (ref === 'connector.schema.json') return componentRef('Connector')
  const local = /^(?:connector\.schema\.json)?#\/\$defs\/([^/]+)$/.exec(ref)
  if (local) return componentRef(local[1]!)
  throw new TypeError(`openapi: cannot place the reference "${ref}" in the document; refer to a named definition (#/$defs/Name)`)
}
