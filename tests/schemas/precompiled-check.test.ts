import { readdirSync, readFileSync } from 'node:fs'
import schemaCheck from 'virtual:connector-schema-check'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validateConnector as inBrowser } from '../../designer/src/lib/validate-connector.ts'
import { validateConnector } from '../../schemas/validate/index.ts'
import { loadFixtures } from './helpers.ts'

// The designer checks drafts with the schema compiled at build time (no ajv in the browser); it must answer
// exactly what the runtime answers, problems and order alike.
const connectors = new URL('../../connectors/', import.meta.url)
const documents: Array<[string, unknown]> = [
  ...loadFixtures<{ name: string; connector: unknown }>('valid').map((f) => [`valid/${f.name}`, f.connector] as [string, unknown]),
  ...loadFixtures<{ name: string; connector: unknown }>('invalid').map((f) => [`invalid/${f.name}`, f.connector] as [string, unknown]),
  ...readdirSync(connectors)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [`connectors/${file}`, JSON.parse(readFileSync(new URL(file, connectors), 'utf8'))] as [string, unknown]),
]

describe('the precompiled connector check', () => {
  it('is generated code, not ajv', () => {
    expect(typeof schemaCheck).toBe('function')
    expect(schemaCheck.toString()).not.toContain('new Ajv')
  })

  it.each(documents)('answers as the runtime does: %s', (_, doc) => {
    expect(inBrowser(doc)).toEqual(validateConnector(doc))
  })

  it('answers as the runtime does on documents with one value changed anywhere', () => {
    const github = documents.find(([name]) => name === 'connectors/github.json')![1]
    const json = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }))
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), json, (steps, value) => {
        const doc = structuredClone(github) as Record<string, unknown>
        let node: unknown = doc
        for (const step of steps) {
          const keys = node && typeof node === 'object' ? Object.keys(node) : []
          if (keys.length === 0) break
          const key = keys[step % keys.length]!
          const next = (node as Record<string, unknown>)[key]
          if (step === steps.at(-1) || !next || typeof next !== 'object') {
            ;(node as Record<string, unknown>)[key] = value
            break
          }
          node = next
        }
        expect(inBrowser(doc)).toEqual(validateConnector(doc))
      }),
      { numRuns: 300 },
    )
  })
})
