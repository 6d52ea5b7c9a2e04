import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main } from '../../runtime/tooling/cli/main.ts'
import { captureIo, useTempDir } from './helpers.ts'

const require = createRequire(import.meta.url)
const petstore = require.resolve('@readme/oas-examples/2.0/json/petstore.json')

/** A small spec with an OpenID Connect scheme, servers with a URL-valued variable, and YAML. */
const OIDC_SPEC = `openapi: 3.0.3
info: { title: Acme Cloud, version: '2' }
servers:
  - url: '{origin}/api'
    variables: { origin: { default: 'https://eu.acme.test' } }
components:
  securitySchemes:
    oidc: { type: openIdConnect, openIdConnectUrl: 'https://id.acme.test/.well-known/openid-configuration' }
paths:
  /me:
    get: { security: [{ oidc: [profile] }], responses: { '200': { description: ok } } }
`

describe('switchboard import openapi', () => {
  const dir = useTempDir()

  it('prints what was mapped and not, and writes the connector with a $schema relative to --out', async () => {
    const out = join(dir, 'out')
    const io = captureIo()
    expect(await main(['import', 'openapi', petstore, '--out', out], io)).toBe(0)
    const text = io.stdout.join('\n')
    expect(text).toContain('Swagger 2.0 "Swagger Petstore": 20 operations, 20 actions made')
    expect(text).toContain('petstore_auth: oauth2 (implicit) → not mapped (the implicit flow is not supported')
    expect(text).toContain('Test request: GET /store/inventory')
    expect(text).toMatch(/Validation: valid \(0 errors, 1 warnings\)/)
    expect(text).toMatch(/Imported in \d+\.\d\d s, at most \d+ MB of memory/)
    const written = JSON.parse(readFileSync(join(out, 'swagger-petstore.json'), 'utf8'))
    expect(resolve(out, written.$schema)).toBe(fileURLToPath(new URL('../../schemas/connector.schema.json', import.meta.url)))
    expect(written.actions).toHaveLength(20)
  })

  it('--include and --exclude choose operations by operationId, method and path', async () => {
    const io = captureIo()
    expect(await main(['import', 'openapi', petstore, '--include', 'GET /pet/*,*Order*', '--exclude=deleteOrder', '--json'], io)).toBe(0)
    const { report, connector } = JSON.parse(io.stdout.join('\n'))
    expect(connector.actions.map((a: { key: string }) => a.key).sort()).toEqual([
      'findPetsByStatus',
      'findPetsByTags',
      'getOrderById',
      'getPetById',
      'placeOrder',
    ])
    expect(report).toMatchObject({ operations: 20, selected: 5, actions: 5 })
  })

  it('maps OpenID Connect from a discovery file, and a URL-valued server variable as one URL field', async () => {
    const file = join(dir, 'acme.yaml')
    writeFileSync(file, OIDC_SPEC)
    const config = join(dir, 'openid-configuration.json')
    writeFileSync(
      config,
      JSON.stringify({
        issuer: 'https://id.acme.test',
        authorization_endpoint: 'https://id.acme.test/authorize',
        token_endpoint: 'https://id.acme.test/token',
        scopes_supported: ['openid', 'profile'],
      }),
    )
    const without = captureIo()
    expect(await main(['import', 'openapi', file, '--json'], without)).toBe(0)
    const plain = JSON.parse(without.stdout.join('\n'))
    expect(plain.report.schemes[0].notMapped).toContain('--openid-config')
    expect(plain.connector.baseUrl).toBe('{{baseUrl}}')
    expect(plain.connector.fields[0]).toMatchObject({ key: 'baseUrl', type: 'url', default: 'https://eu.acme.test/api' })
    const io = captureIo()
    expect(await main(['import', 'openapi', file, '--openid-config', config, '--json'], io)).toBe(0)
    const { connector } = JSON.parse(io.stdout.join('\n'))
    expect(connector.auth[0]).toMatchObject({
      type: 'oauth2',
      grant: 'authorization_code',
      authorizeUrl: 'https://id.acme.test/authorize',
      tokenUrl: 'https://id.acme.test/token',
      issuer: 'https://id.acme.test',
    })
    expect(connector.test).toMatchObject({ path: '/me' })
    expect(connector.actions[0].scopes).toEqual(['profile'])
  })

  it('fails clearly: exit 1 for a spec it cannot read, 2 for bad arguments', async () => {
    const io = captureIo()
    expect(await main(['import', 'openapi', join(dir, 'missing.yaml')], io)).toBe(1)
    expect(io.stderr.join('\n')).toContain('no such file')
    for (const args of [
      ['import', 'openapi'],
      ['import', 'openapi', petstore, '--bogus'],
      ['import', 'openapi', petstore, '--include'],
    ]) {
      const bad = captureIo()
      expect(await main(args, bad)).toBe(2)
      expect(bad.stderr.join('\n')).toContain('switchboard import openapi <file>')
    }
  })
})
