import { describe, expect, it } from 'vitest'
import apiSchema from '../../schemas/api.schema.json' with { type: 'json' }
import connectorSchema from '../../schemas/connector.schema.json' with { type: 'json' }
import { compilePattern } from '../../schemas/pattern/index.ts'

// Without the validators: a pattern RE2 cannot run keeps them from compiling, and this names it.
describe('our own schemas', () => {
  it('have only patterns that run on RE2, the engine ajv compiles them on', () => {
    const found: string[] = []
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk)
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'pattern' && typeof value === 'string') found.push(value)
          else walk(value)
        }
      }
    }
    walk([connectorSchema, apiSchema])
    expect(found.length).toBeGreaterThan(10)
    for (const source of found) expect(compilePattern(source), source).toMatchObject({ ok: true })
  })
})
