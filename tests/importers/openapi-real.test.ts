/**
 * Published specs of real vendors, from registry packages pinned in package.json (their licences travel
 * with them in node_modules): ReadMe (OpenAPI 3.1, bearer; 3.0, basic), USPTO (3.0, server variables),
 * SmartBear's Petstore (Swagger 2.0 in JSON and YAML, OAuth2 implicit and an API key), ShipEngine
 * (3.0, an 8.6 MB JSON and its YAML, API key) and Bump.sh's Train Travel (3.1, OAuth2 authorization
 * code). Each must become a connector with zero validation errors whose every action input compiles.
 */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { type Conversion, importOpenApi } from '../../runtime/tooling/importers/openapi.ts'
import type { Connector } from '../../schemas/types/connector.ts'
import { inputValidator } from '../../schemas/validate/index.ts'
import { type InputSchema, sample } from '../actions/samples.ts'

const require = createRequire(import.meta.url)
const examples = (path: string) => require.resolve(`@readme/oas-examples/${path}`)
const shipEngine = (file: string) => require.resolve(`shipengine-openapi/${file}`)

/** Every action's input schema compiles, and values made from it pass it. */
function expectCompilingInputs(connector: Connector): void {
  for (const action of connector.actions ?? []) {
    const check = inputValidator(action.input ?? { type: 'object' })
    const properties = (action.input?.properties ?? {}) as Record<string, InputSchema>
    const inputs = Object.fromEntries((action.input?.required ?? []).map((key) => [key, fitting(properties[key]!, key)]))
    expect(check(inputs), `${action.key}: ${JSON.stringify(check.errors)}`).toBe(true)
  }
}

/** A sample value, cut to the schema's maxLength (the sampler makes long strings from patterns). */
function fitting(schema: InputSchema, key: string): unknown {
  const value = sample(schema, key)
  return typeof value === 'string' && schema.maxLength !== undefined ? value.slice(0, schema.maxLength) : value
}

async function imported(file: string): Promise<Conversion> {
  const result = await importOpenApi(file)
  expect(result.validation.errors).toEqual([])
  expect(result.validation.valid).toBe(true)
  expectCompilingInputs(result.connector)
  return result
}

describe('real published specs', () => {
  it('ReadMe API (OpenAPI 3.1, http bearer): every operation an action, a caller GET as the test', async () => {
    const { connector, report } = await imported(examples('3.1/json/readme.json'))
    expect(report).toMatchObject({ format: 'OpenAPI 3.1.0', operations: 54, actions: 54, notMappedCount: 0 })
    expect(connector.baseUrl).toBe('https://api.readme.com/v2')
    expect(connector.auth).toEqual([expect.objectContaining({ type: 'bearer', token: '{{token}}' })])
    expect(connector.test).toMatchObject({ method: 'GET', path: '/projects/me' })
    expect(report.test.reason).toContain('names the caller')
    const keys = connector.actions!.find((a) => a.key === 'getAPIKeys')!
    expect(keys).toMatchObject({ method: 'GET', path: '/projects/{{input.subdomain}}/apikeys', query: { page: '{{input.page}}' } })
    expect(keys.input?.required).toEqual(['subdomain'])
  })

  it('ReadMe legacy API (OpenAPI 3.0, http basic): multipart uploads reported, the rest mapped', async () => {
    const { connector, report } = await imported(examples('3.0/json/readme-legacy.json'))
    expect(report).toMatchObject({ operations: 36, actions: 34, notMappedCount: 2 })
    expect(report.notMapped.map((n) => n.reason)).toEqual([
      expect.stringContaining('multipart/form-data'),
      expect.stringContaining('multipart'),
    ])
    expect(connector.auth[0]).toMatchObject({ type: 'basic', username: '{{username}}', password: '{{password}}' })
    expect(connector.test).toMatchObject({ path: '/', label: '{{body.name}}' })
  })

  it('USPTO Data Set API (OpenAPI 3.0, a server variable with an enum, a form body)', async () => {
    const { connector, report } = await imported(examples('3.0/json/uspto.json'))
    expect(connector.baseUrl).toBe('{{scheme}}://developer.uspto.gov/ds-api')
    expect(connector.fields).toEqual([
      expect.objectContaining({
        key: 'scheme',
        type: 'select',
        default: 'https',
        options: [
          { value: 'https', label: 'https' },
          { value: 'http', label: 'http' },
        ],
      }),
    ])
    expect(connector.auth).toEqual([{ type: 'none', id: 'none', label: 'No authentication' }])
    expect(report.notes).toContain('the spec declares no security scheme: the connector has no authentication')
    const search = connector.actions!.find((a) => a.key === 'performSearch')!
    expect(search).toMatchObject({ method: 'POST', bodyType: 'form', body: { criteria: '{{input.criteria}}' } })
    // The body is optional in the spec (requestBody.required is false), so its required property is too.
    expect(search.input?.required).toEqual(['dataset', 'version'])
    expect(search.input?.properties?.criteria).toMatchObject({ type: 'string', default: '*:*' })
  })

  it('Swagger Petstore (Swagger 2.0, JSON and YAML alike): API key mapped, the implicit OAuth2 flow reported', async () => {
    const json = await imported(examples('2.0/json/petstore.json'))
    const yaml = await imported(examples('2.0/yaml/petstore.yaml'))
    expect(yaml.connector).toEqual(json.connector)
    const { connector, report } = json
    expect(report).toMatchObject({ format: 'Swagger 2.0', operations: 20, actions: 20 })
    expect(connector.baseUrl).toBe('http://petstore.swagger.io/v2')
    expect(connector.auth).toEqual([
      expect.objectContaining({ type: 'apiKey', placements: [{ in: 'header', name: 'api_key', value: '{{apiKey}}' }] }),
    ])
    expect(report.schemes.find((s) => s.name === 'petstore_auth')).toMatchObject({
      methods: [],
      notMapped: expect.stringContaining('implicit'),
    })
    const add = connector.actions!.find((a) => a.key === 'addPet')!
    expect(add.body).toMatchObject({ name: '{{input.name}}', photoUrls: '{{input.photoUrls}}' })
    expect(add.input?.required).toEqual(['name', 'photoUrls'])
    expect(connector.actions!.find((a) => a.key === 'updatePetWithForm')).toMatchObject({ bodyType: 'form' })
  })

  it('ShipEngine (OpenAPI 3.0, 8.6 MB JSON and its YAML): an API key header, readOnly properties left out of inputs', async () => {
    const { connector, report } = await imported(shipEngine('openapi.json'))
    expect(report).toMatchObject({ operations: 76, actions: 76 })
    expect(connector.auth).toEqual([
      expect.objectContaining({ type: 'apiKey', placements: [{ in: 'header', name: 'API-Key', value: '{{apiKey}}' }] }),
    ])
    expect(connector.baseUrl).toBe('https://api.shipengine.com')
    expect(connector.test?.method).toBe('GET')
    const yaml = await imported(shipEngine('openapi.yaml'))
    expect(yaml.report.actions).toBe(76)
    const text = JSON.stringify(connector.actions)
    expect(text).not.toContain('"readOnly"')
  }, 60_000)

  it('Train Travel API (OpenAPI 3.1, OAuth2 authorization code): scopes with descriptions, each action its own', async () => {
    const { connector } = await imported(examples('3.1/json/train-travel.json'))
    expect(connector.auth).toEqual([
      expect.objectContaining({
        type: 'oauth2',
        grant: 'authorization_code',
        authorizeUrl: 'https://example.com/oauth/authorize',
        tokenUrl: 'https://example.com/oauth/token',
        scopes: [
          { value: 'read', description: 'Read access' },
          { value: 'write', description: 'Write access' },
        ],
      }),
    ])
    expect(connector.actions!.find((a) => a.key === 'getStations')?.scopes).toEqual(['read'])
    expect(connector.actions!.find((a) => a.key === 'createBooking')?.scopes).toEqual(['write'])
  })

  it('every scheme type at once: cookie, header and query keys, basic, bearer, both OAuth2 grants; the rest reported', async () => {
    const { connector, report } = await imported(examples('3.1/json/security.json'))
    const types = connector.auth.map((m) => m.type)
    expect(types).toEqual(['apiKey', 'apiKey', 'apiKey', 'basic', 'bearer', 'bearer', 'oauth2', 'oauth2', 'oauth2', 'oauth2'])
    expect(connector.auth[0]).toMatchObject({ placements: [{ in: 'header', name: 'Cookie', value: 'api_key={{apiKey}}' }] })
    expect(connector.auth.filter((m) => m.type === 'oauth2').map((m) => (m as { grant: string }).grant)).toEqual([
      'authorization_code',
      'client_credentials',
      'authorization_code',
      'client_credentials',
    ])
    const notMapped = Object.fromEntries(report.schemes.filter((s) => s.notMapped).map((s) => [s.name, s.notMapped]))
    expect(notMapped.mutualTLS).toContain('mutual TLS')
    expect(notMapped.oauth2_implicit).toContain('implicit flow is not supported')
    expect(notMapped.openIdConnect).toContain('--openid-config')
  })
})
