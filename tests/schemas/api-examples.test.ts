import { describe, expect, it } from 'vitest'
import { apiSchema, compileSchema, connectorSchema } from '../../schemas/validate/index.ts'

type Defs = Record<string, { title?: string; description?: string; examples?: unknown[] }>

describe.each([
  ['api.schema.json', apiSchema as unknown as { $id: string; $defs: Defs }],
  ['connector.schema.json', connectorSchema as unknown as { $id: string; $defs: Defs }],
])('%s', (_file, schema) => {
  it.each(Object.keys(schema.$defs))('$defs/%s has a title, a description and examples that validate', (name) => {
    const def = schema.$defs[name]!
    expect(def.title).toBe(name)
    expect(def.description?.length).toBeGreaterThan(10)
    expect(def.examples?.length).toBeGreaterThan(0)
    const validate = compileSchema({ $ref: `${schema.$id}#/$defs/${name}` })
    for (const example of def.examples!) expect(validate(example), JSON.stringify(validate.errors)).toBe(true)
  })
})
