/**
 * `POST /api/connectors/import/openapi`: the designer's "Import OpenAPI" sends a spec's text and gets a draft
 * connector and its report back; nothing is stored, and a spec that cannot be read is a 400 that says why.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLab, type Lab } from '../actions/harness.ts'

const require = createRequire(import.meta.url)
const petstoreYaml = readFileSync(require.resolve('@readme/oas-examples/2.0/yaml/petstore.yaml'), 'utf8')

let lab: Lab
beforeAll(async () => {
  lab = await createLab()
})
afterAll(async () => {
  await lab.close()
})

describe('POST /api/connectors/import/openapi', () => {
  it('answers the draft connector, its validation and the report, and stores nothing', async () => {
    const before = (await lab.api('GET', '/api/connectors')).body.connectors.length
    const res = await lab.api('POST', '/api/connectors/import/openapi', {
      body: { spec: petstoreYaml, fileName: 'petstore.yaml', include: ['GET *'] },
    })
    expect(res.status, res.text).toBe(200)
    expect(res.body.validation).toMatchObject({ valid: true, errors: [] })
    expect(res.body.connector).toMatchObject({ id: 'swagger-petstore', baseUrl: 'http://petstore.swagger.io/v2' })
    expect(res.body.report).toMatchObject({ format: 'Swagger 2.0', operations: 20, selected: 8, actions: 8 })
    expect((await lab.api('GET', '/api/connectors')).body.connectors.length).toBe(before)
  })

  it('a spec that cannot be read is a 400 invalid_spec with the reason, never the server path', async () => {
    const missing = await lab.api('POST', '/api/connectors/import/openapi', {
      body: {
        spec:
          'openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths:\n' +
          '  /a: {get: {parameters: [{$ref: "other.yaml#/P"}], responses: {}}}\n',
      },
    })
    expect(missing.status).toBe(400)
    expect(missing.body.error).toMatchObject({ code: 'invalid_spec', details: { reason: 'ref_not_found' } })
    expect(missing.body.error.message).not.toMatch(/switchboard-openapi-|\/tmp\//)
    const junk = await lab.api('POST', '/api/connectors/import/openapi', { body: { spec: '{"hello": "world"}' } })
    expect(junk.body.error).toMatchObject({ code: 'invalid_spec', details: { reason: 'spec_unsupported' } })
    const empty = await lab.api('POST', '/api/connectors/import/openapi', { body: { spec: '' } })
    expect(empty.status).toBe(400)
    expect(empty.body.error.code).toBe('invalid_body')
  })

  it('takes a spec larger than the app-wide body limit (a 3 MB one), up to its own', async () => {
    const paths = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [
        `/r${i}`,
        { get: { description: 'x'.repeat(1000), responses: { '200': { description: 'ok' } } } },
      ]),
    )
    const spec = JSON.stringify({ openapi: '3.0.3', info: { title: 'Big', version: '1' }, paths })
    expect(spec.length).toBeGreaterThan(3_000_000)
    const res = await lab.api('POST', '/api/connectors/import/openapi', { body: { spec } })
    expect(res.status, res.text.slice(0, 300)).toBe(200)
    expect(res.body.report).toMatchObject({ operations: 3000, actions: 200, notMappedCount: 2800 })
  }, 60_000)
})
