/**
 * What the connector schema says about a property — title, description, examples, enum — so that the
 * designer's labels, help, placeholders and choices come from the one contract.
 */
import connectorSchema from '../../../schemas/connector.schema.json' with { type: 'json' }

/** The documentation parts of a (sub-)schema. */
export interface SchemaInfo {
  title?: string
  description?: string
  examples?: unknown[]
  enum?: string[]
  default?: unknown
}

type Node = SchemaInfo & { $ref?: string; properties?: Record<string, Node>; const?: unknown }
const defs = (connectorSchema as unknown as { $defs: Record<string, Node> }).$defs

function resolve(node: Node | undefined): Node {
  if (!node) return {}
  if (!node.$ref) return node
  const target = resolve(defs[node.$ref.replace('#/$defs/', '')])
  // A property's own words win over the definition it refers to (`test.label` describes itself).
  const { $ref: _, ...own } = node
  return { ...target, ...own }
}

/**
 * The documentation of a definition, or of one of its properties; `null` is the connector itself.
 *
 * @example
 * info(null, 'docsUrl').title          // 'Documentation link'
 * info('Field', 'type').enum           // ['text', 'secret', 'url', 'select', 'number', 'boolean']
 * info('ApiKeyPlacement', 'name').description // 'Header or parameter name.'
 */
export function info(definition: string | null, property?: string): SchemaInfo {
  const node = definition === null ? (connectorSchema as unknown as Node) : resolve(defs[definition])
  const target = property === undefined ? node : resolve(node.properties?.[property])
  return { title: target.title, description: target.description, examples: target.examples, enum: target.enum, default: target.default }
}

/** The first string example, for a placeholder. */
export function example(schema: SchemaInfo): string | undefined {
  const first = schema.examples?.find((e) => typeof e === 'string')
  return typeof first === 'string' ? first : undefined
}
