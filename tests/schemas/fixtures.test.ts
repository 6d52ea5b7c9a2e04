import { describe, expect, it } from 'vitest'
import { compileSchema, connectorSchema, type ValidationProblem, validateConnector } from '../../schemas/validate/index.ts'
import { type InvalidFixture, loadFixtures, parentPointer, resolvePointer, unreadable, type ValidFixture } from './helpers.ts'

const valid = loadFixtures<ValidFixture>('valid')
const invalid = loadFixtures<InvalidFixture>('invalid')

const show = (problems: ValidationProblem[]) => problems.map((p) => `${p.path || '/'} ${p.keyword}: ${p.message}`).join('\n')

describe('valid fixtures', () => {
  it('are many enough to cover the realistic patterns', () => {
    expect(valid.length).toBeGreaterThanOrEqual(10)
  })

  it.each(valid.map((f) => [f.name, f] as const))('%s', (_, fixture) => {
    const { valid: ok, errors, warnings } = validateConnector(fixture.connector)
    expect(errors, show(errors)).toEqual([])
    expect(ok).toBe(true)
    if (fixture.warnings) expect(warnings.map((w) => w.path).sort()).toEqual([...fixture.warnings].sort())
    for (const warning of warnings) expect(unreadable(warning), warning.message).toBeUndefined()
  })
})

describe('invalid fixtures', () => {
  it('are many enough to cover every auth type and semantic rule', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(40)
  })

  it('each name at least one expected problem', () => {
    for (const fixture of invalid) expect(fixture.expect.length, fixture.name).toBeGreaterThan(0)
  })

  it.each(invalid.map((f) => [f.name, f] as const))('%s', (_, fixture) => {
    const { valid: ok, errors } = validateConnector(fixture.connector)
    expect(ok).toBe(false)
    for (const expected of fixture.expect) {
      const match = errors.find((e) => e.path === expected.path && e.keyword === expected.keyword)
      expect(match, `expected ${expected.keyword} at "${expected.path}" among:\n${show(errors)}`).toBeDefined()
      if (expected.message) expect(match!.message).toContain(expected.message)
    }
    if (fixture.only) {
      const key = (p: { path: string; keyword: string }) => `${p.path} ${p.keyword}`
      expect(errors.map(key).sort(), show(errors)).toEqual(fixture.expect.map(key).sort())
    }
    for (const error of errors) {
      expect(unreadable(error), `${error.path}: ${error.message}`).toBeUndefined()
      // The place exists, or its parent does for a key that is missing (required) or unknown.
      const at = resolvePointer(fixture.connector, error.path).found ? error.path : parentPointer(error.path)
      expect(resolvePointer(fixture.connector, at).found, `${error.path} is nowhere in the document`).toBe(true)
      for (const text of fixture.notInMessages ?? []) expect(error.message).not.toContain(text)
    }
  })
})

type Examples = { examples?: unknown[]; 'x-anti-examples'?: unknown[] }

/**
 * Every sub-schema that carries examples or anti-examples, by JSON pointer into the schema. Walks the
 * schema keywords only, so that a property *named* `examples` (InputProperty has one) is a schema, not data.
 */
function schemasWithExamples(schema: unknown, at = ''): Array<[string, Examples]> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return []
  const node = schema as Record<string, unknown>
  const found: Array<[string, Examples]> = at !== '' && (node.examples || node['x-anti-examples']) ? [[at, node as Examples]] : []
  for (const key of ['$defs', 'properties']) {
    for (const [name, sub] of Object.entries((node[key] as object | undefined) ?? {}))
      found.push(...schemasWithExamples(sub, `${at}/${key}/${name}`))
  }
  for (const key of ['items', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else'])
    found.push(...schemasWithExamples(node[key], `${at}/${key}`))
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(node[key])) node[key].forEach((sub, i) => found.push(...schemasWithExamples(sub, `${at}/${key}/${i}`)))
  }
  return found
}

describe("the schema's own examples and anti-examples", () => {
  const schemas = schemasWithExamples(connectorSchema)
  it('cover every $defs entry that carries any, through the shared ajv instance', () => {
    expect(schemas.filter(([at]) => at.startsWith('/$defs/')).length).toBeGreaterThanOrEqual(20)
  })

  for (const [at, node] of schemas) {
    const validate = compileSchema({ $ref: `${connectorSchema.$id}#${at}` })
    for (const example of node.examples ?? []) {
      const title = `${at} accepts ${JSON.stringify(example).slice(0, 80)}`
      it(title, () => {
        expect(validate(example), JSON.stringify(validate.errors)).toBe(true)
      })
    }
    for (const anti of node['x-anti-examples'] ?? []) {
      const title = `${at} ${JSON.stringify(anti).slice(0, 80)} is rejected`
      it(title, () => {
        expect(validate(anti)).toBe(false)
      })
    }
  }

  it('the Key anti-example "body" is caught where it matters: as a field key', () => {
    const { errors } = validateConnector({ ...(valid[0]!.connector as object), fields: [{ key: 'body', label: 'Body', type: 'text' }] })
    expect(errors.map((e) => e.keyword)).toContain('reservedKey')
  })

  it.each((connectorSchema.examples as unknown[]).map((e, i) => [i, e] as const))('root example %i is a valid connector', (_, example) => {
    const { errors } = validateConnector(example)
    expect(errors, show(errors)).toEqual([])
  })
})
