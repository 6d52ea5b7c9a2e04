import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { compile, type JSONSchema } from 'json-schema-to-typescript'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** Each hand-written schema and the TypeScript file generated from it. */
export const GENERATED = [
  { schema: 'schemas/connector.schema.json', out: 'schemas/types/connector.ts', name: 'Connector' },
  { schema: 'schemas/api.schema.json', out: 'schemas/types/api.ts', name: 'Api' },
] as const

const BANNER = `// This file is generated from {schema} by \`npm run generate\`. Do not edit it by hand.`

/**
 * Generates the TypeScript types of every schema. With `check`, compares instead of writing and
 * returns the files that are stale.
 *
 * @example
 * const stale = await generateTypes({ check: true }) // [] when the committed types are current
 */
export async function generateTypes({ check = false } = {}): Promise<string[]> {
  const stale: string[] = []
  for (const { schema, out, name } of GENERATED) {
    const json = JSON.parse(await readFile(root + schema, 'utf8')) as JSONSchema
    const imports = [...new Set(externalRefs(json))].map((ref) => {
      const other = otherSchema(ref)
      return `import type { ${other.name} } from './${other.out.split('/').pop()}'`
    })
    const source = await compile(typeShape(json, true) as JSONSchema, name, {
      bannerComment: [BANNER.replace('{schema}', schema), ...imports].join('\n'),
      additionalProperties: false,
      unreachableDefinitions: true,
      strictIndexSignatures: true,
      // Array length limits are validation, not shape: keep `Field[]` instead of tuples of every length.
      maxItems: -1,
      style: { semi: false, singleQuote: true, printWidth: 120 },
    })
    const current = await readFile(root + out, 'utf8').catch(() => '')
    if (current === source) continue
    stale.push(out)
    if (!check) await writeFile(root + out, source)
  }
  return stale
}

const VALIDATION_ONLY = ['allOf', 'if', 'then', 'else', 'not', 'x-anti-examples']
const SHAPE_KEYS = ['type', '$ref', 'enum', 'const', 'properties', 'items', 'oneOf', 'anyOf', 'additionalProperties']

/**
 * The schema as the type generator should see it. Conditional rules (`if`/`then`, `not`, a `oneOf`
 * of `required` lists) constrain values but not their shape; inline titles and `$ref` siblings would
 * make the generator invent names like `Template1`. Titles stay on `$defs`, which name the types.
 */
function typeShape(schema: unknown, isDef = false): unknown {
  if (Array.isArray(schema)) return schema.map((item) => typeShape(item))
  if (typeof schema !== 'object' || schema === null) return schema
  const source = schema as Record<string, unknown>
  if (typeof source.$ref === 'string')
    return source.$ref.startsWith('#') ? { $ref: source.$ref } : { tsType: otherSchema(source.$ref).name }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(source)) {
    if (VALIDATION_ONLY.includes(key)) continue
    if (key === 'title' && !isDef) continue
    // Only a schema's `oneOf` of sub-schemas; a property or an example value named `oneOf` (BodyRule's) is data.
    if (key === 'oneOf' && Array.isArray(value) && value.every((b) => isSchemaWithoutShape(b))) continue
    if (key === '$defs' || key === 'properties') {
      const isDefs = key === '$defs'
      out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, typeShape(v, isDefs)]))
    } else {
      out[key] = typeShape(value)
    }
  }
  // A schema that allows any JSON value (an action's body) is `unknown`, not an empty object type.
  if (!SHAPE_KEYS.some((k) => k in out) && !('$defs' in out)) out.tsType = 'unknown'
  return out
}

function isSchemaWithoutShape(branch: unknown): boolean {
  return typeof branch === 'object' && branch !== null && !SHAPE_KEYS.some((k) => k in branch)
}

/** A `$ref` to another schema's root (`connector.schema.json`): its type is imported, not generated again. */
function otherSchema(ref: string): (typeof GENERATED)[number] {
  const found = GENERATED.find((g) => g.schema.endsWith(`/${ref}`))
  if (!found)
    throw new Error(`generate-types: "${ref}" is not one of our schemas; only #/$defs/… and another schema's root can be referenced`)
  return found
}

function externalRefs(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return []
  const own =
    typeof (schema as { $ref?: unknown }).$ref === 'string' && !(schema as { $ref: string }).$ref.startsWith('#')
      ? [(schema as { $ref: string }).$ref]
      : []
  return [...own, ...Object.values(schema).flatMap(externalRefs)]
}
