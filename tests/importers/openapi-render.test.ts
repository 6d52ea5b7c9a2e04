/**
 * Connectors imported from published specs, saved as custom connectors in a real runtime and run against
 * a loopback stand-in: each sample action must send what the spec describes — method, path under the
 * server's base path, query, headers, body — with the credentials its security scheme says.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importOpenApi } from '../../runtime/tooling/importers/openapi.ts'
import type { Connector } from '../../schemas/types/connector.ts'
import { createLab, type Lab } from '../actions/harness.ts'

const require = createRequire(import.meta.url)
const examples = (path: string) => require.resolve(`@readme/oas-examples/${path}`)

interface Seen {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: string
}

let lab: Lab
let standIn: http.Server
let origin: string
const seen: Seen[] = []

beforeAll(async () => {
  lab = await createLab()
  standIn = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in')
      seen.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"ok":true}')
    })
  })
  await new Promise<void>((done) => standIn.listen(0, '127.0.0.1', () => done()))
  origin = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`
})

afterAll(async () => {
  standIn.closeAllConnections()
  await new Promise<void>((done) => standIn.close(() => done()))
  await lab.close()
})

/** Saves the connector, connects it on the stand-in under `basePath`, runs one action and returns what arrived. */
async function run(
  connector: Connector,
  connect: { authMethod: string; values: Record<string, string>; basePath: string },
  actionKey: string,
  inputs: Record<string, unknown>,
): Promise<Seen & { connection: string }> {
  const saved = await lab.api('POST', '/api/connectors', { body: connector })
  expect(saved.status, saved.text).toBe(201)
  const id = await lab.connect({
    connectorId: connector.id,
    authMethod: connect.authMethod,
    values: connect.values,
    baseUrl: `${origin}${connect.basePath}`,
  })
  const before = seen.length
  const result = await lab.api('POST', `/api/apps/default/connections/${id}/actions/${actionKey}`, { body: { inputs } })
  expect(result.status, result.text).toBe(200)
  expect(result.body).toMatchObject({ ok: true, status: 200 })
  expect(seen.length).toBe(before + 1)
  return { ...seen.at(-1)!, connection: id }
}

describe('imported actions against a loopback stand-in', () => {
  it('Swagger Petstore 2.0: GET /pet/{petId} with the api_key header; POST /pet with the JSON body the schema describes', async () => {
    const { connector } = await importOpenApi(examples('2.0/json/petstore.json'))
    const key = 'petstore-key-3f9d1c'
    const values = { apiKey: key }
    const get = await run(connector, { authMethod: 'apiKey', values, basePath: '/v2' }, 'getPetById', { petId: 42 })
    expect(get).toMatchObject({ method: 'GET', path: '/v2/pet/42' })
    expect(get.headers.api_key).toBe(key)
    const add = seen.length
    const id = get.connection
    const pet = { name: 'Rex', photoUrls: ['https://img.example/rex.png'], status: 'available', tags: [{ id: 1, name: 'good' }] }
    const result = await lab.api('POST', `/api/apps/default/connections/${id}/actions/addPet`, { body: { inputs: pet } })
    expect(result.status, result.text).toBe(200)
    const sent = seen[add]!
    expect(sent).toMatchObject({ method: 'POST', path: '/v2/pet' })
    expect(sent.headers['content-type']).toContain('application/json')
    expect(JSON.parse(sent.body)).toEqual(pet)
    const find = await lab.api('POST', `/api/apps/default/connections/${id}/actions/findPetsByStatus`, {
      body: { inputs: { status: 'available,sold' } },
    })
    expect(find.status, find.text).toBe(200)
    expect(seen.at(-1)!.query.get('status')).toBe('available,sold')
  })

  it('ReadMe API 3.1: a bearer token, a path parameter and a query with defaults filled in', async () => {
    const { connector } = await importOpenApi(examples('3.1/json/readme.json'))
    const token = 'rdme_token_8c2e4a'
    const sent = await run(connector, { authMethod: 'bearer', values: { token }, basePath: '/v2' }, 'getAPIKeys', { subdomain: 'acme' })
    expect(sent).toMatchObject({ method: 'GET', path: '/v2/projects/acme/apikeys' })
    expect(sent.headers.authorization).toBe(`Bearer ${token}`)
    expect(Object.fromEntries(sent.query)).toEqual({ page: '1', per_page: '10' })
  })

  it('ReadMe legacy API 3.0: HTTP Basic from the username and password fields', async () => {
    const { connector } = await importOpenApi(examples('3.0/json/readme-legacy.json'))
    const sent = await run(
      connector,
      { authMethod: 'apiKey', values: { username: 'key_51a0', password: 'pw-7f3a9e21' }, basePath: '/api/v1' },
      'getAPIRegistry',
      {
        uuid: 'f2c1-9ab0 x',
      },
    )
    expect(sent).toMatchObject({ method: 'GET', path: '/api/v1/api-registry/f2c1-9ab0%20x' })
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from('key_51a0:pw-7f3a9e21').toString('base64')}`)
  })

  it('API keys the spec requires together (key and token) go out together from one method', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-openapi-keys-'))
    const file = join(dir, 'keys.yaml')
    writeFileSync(
      file,
      [
        'openapi: 3.0.0',
        "info: { title: Keys Together, version: '1' }",
        "servers: [{ url: 'https://api.keys.test/1' }]",
        'security: [{ key: [], token: [] }]',
        'components:',
        '  securitySchemes:',
        '    key: { type: apiKey, in: query, name: key }',
        '    token: { type: apiKey, in: header, name: X-Token }',
        'paths:',
        '  /boards/{id}:',
        '    get:',
        '      operationId: getBoard',
        '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
        "      responses: { '200': { description: ok } }",
      ].join('\n'),
    )
    const { connector } = await importOpenApi(file)
    rmSync(dir, { recursive: true, force: true })
    expect(connector.auth[0]).toMatchObject({ type: 'apiKey', id: 'keyAndToken' })
    const values = { key: 'app-key-51c7e0', xToken: 'user-token-9d22ab' }
    const sent = await run(connector, { authMethod: 'keyAndToken', values, basePath: '/1' }, 'getBoard', { id: 'b1' })
    expect(sent).toMatchObject({ method: 'GET', path: '/1/boards/b1' })
    expect(sent.query.get('key')).toBe(values.key)
    expect(sent.headers['x-token']).toBe(values.xToken)
  })

  it('USPTO 3.0: a form body, a server variable field, path parameters with their defaults', async () => {
    const { connector } = await importOpenApi(examples('3.0/json/uspto.json'))
    const sent = await run(connector, { authMethod: 'none', values: { scheme: 'https' }, basePath: '/ds-api' }, 'performSearch', {
      dataset: 'oa_citations',
      version: 'v1',
      criteria: 'title:"widget"',
      rows: 5,
    })
    expect(sent).toMatchObject({ method: 'POST', path: '/ds-api/oa_citations/v1/records' })
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toMatchObject({ criteria: 'title:"widget"', rows: '5' })
  })
})
