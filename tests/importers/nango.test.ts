import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../runtime/tooling/cli/main.ts'
import type { NangoImportSummary } from '../../runtime/tooling/importers/nango.ts'
import { readYamlFile } from '../../runtime/tooling/importers/yaml-file.ts'
import type { ApiKeyAuth, BasicAuth, Connector, OAuth2Auth } from '../../schemas/types/connector.ts'
import { captureIo, useTempDir } from './helpers.ts'

// Nango's provider catalogue (Elastic License 2.0) is test data kept outside the repository; it is read
// where it lies and nothing of it is copied here. Expected values below are derived from it at run time.
const repo = fileURLToPath(new URL('../..', import.meta.url))
const corpus = resolve(repo, '../shared/corpus/nango-providers.yaml')
const exists = existsSync(corpus)

/** What the import reached when this was written, less a little slack for changes to the corpus. */
const PINNED = { API_KEY: 315, BASIC: 87, OAUTH2: 305, OAUTH2_CC: 81 }

type Raw = Record<string, any>

describe(`import nango on the corpus (skipped when ${corpus} is absent)`, () => {
  const out = useTempDir()
  let summary: NangoImportSummary
  let providers: Array<{ name: string; status: string; id?: string; alias?: string }>
  let raw: Raw
  let exitCode: number

  beforeAll(async () => {
    if (!exists) return
    const io = captureIo()
    exitCode = await main(['import', 'nango', corpus, '--out', out, '--json'], io)
    ;({ summary, providers } = JSON.parse(io.stdout.join('\n')))
    raw = (await readYamlFile(corpus)) as Raw
  })

  const connector = (name: string): Connector => {
    const entry = providers.find((p) => p.name === name)
    expect(entry?.status, `${name} should convert`).toBe('valid')
    return JSON.parse(readFileSync(join(out, `${entry!.id}.json`), 'utf8'))
  }

  it.skipIf(!exists)('converts at least the pinned number of valid connectors per auth mode, 90 % overall', () => {
    expect(exitCode).toBe(0)
    for (const [mode, pinned] of Object.entries(PINNED)) {
      const figures = summary.modes.find((m) => m.mode === mode)!
      expect(figures.valid, mode).toBeGreaterThanOrEqual(pinned)
    }
    expect(summary.overall.valid / summary.overall.total).toBeGreaterThanOrEqual(0.9)
    expect(summary.invalid).toEqual([])
  })

  it.skipIf(!exists)('writes only valid connectors, which the validate command accepts', async () => {
    const files = readdirSync(out).filter((f) => f.endsWith('.json'))
    expect(files).toHaveLength(summary.overall.valid)
    const io = captureIo()
    expect(await main(['validate', join(out, '*.json'), '--quiet'], io)).toBe(0)
    expect(io.stdout).toEqual([])
    expect(JSON.parse(readFileSync(join(out, files[0]!), 'utf8')).$schema).toMatch(/\/schemas\/connector\.schema\.json$/)
  })

  it.skipIf(!exists)('API_KEY with a prefixed Authorization header (callrail)', () => {
    const c = connector('callrail')
    const header = raw.callrail.proxy.headers.authorization as string
    expect(c.baseUrl).toBe(raw.callrail.proxy.base_url)
    expect(c.auth).toHaveLength(1)
    const auth = c.auth[0] as ApiKeyAuth
    expect(auth.type).toBe('apiKey')
    expect(auth.placements).toEqual([{ in: 'header', name: 'authorization', value: header.replace('${apiKey}', '{{apiKey}}') }])
    expect(auth.fields).toMatchObject([{ key: 'apiKey', type: 'secret', required: true, label: raw.callrail.credentials.apiKey.title }])
  })

  it.skipIf(!exists)('BASIC with a hidden constant password (freshdesk) and a templated username (zendesk-api-key)', () => {
    const freshdesk = connector('freshdesk').auth[0] as BasicAuth
    expect(freshdesk.password).toBe(raw.freshdesk.credentials.password.default_value)
    expect(freshdesk.username).toBe('{{username}}')
    expect(freshdesk.fields?.map((f) => f.key)).toEqual(['username'])
    const zendesk = connector('zendesk-api-key')
    expect(zendesk.baseUrl).toBe('https://{{subdomain}}.zendesk.com')
    expect(zendesk.auth[0]).toMatchObject({ type: 'basic', username: '{{username}}/token', password: '{{password}}' })
    expect(zendesk.headers?.authorization).toBeUndefined()
  })

  it.skipIf(!exists)('OAUTH2 with a templated authorize URL whose fallback becomes a default (salesforce)', () => {
    const c = connector('salesforce')
    const [templated, fallback] = (raw.salesforce.authorization_url as string).split(' || ')
    const auth = c.auth[0] as OAuth2Auth
    expect(auth).toMatchObject({
      grant: 'authorization_code',
      clientAuth: 'client_secret_post',
      defaultScopes: raw.salesforce.default_scopes,
    })
    expect(auth.authorizeUrl).toBe(templated!.replace('${connectionConfig.hostname}', '{{hostname}}'))
    expect(auth.scopes).toEqual(raw.salesforce.default_scopes.map((value: string) => ({ value })))
    expect(c.fields?.find((f) => f.key === 'hostname')).toMatchObject({ required: false, default: new URL(fallback!).host })
  })

  it.skipIf(!exists)('OAUTH2_CC with Basic client authentication and per-connection client credentials (1password-users)', () => {
    const c = connector('1password-users')
    const p = raw['1password-users']
    expect(c.id).toBe('one-password-users')
    expect(p.token_request_auth_method).toBe('basic')
    const auth = c.auth[0] as OAuth2Auth
    expect(auth).toMatchObject({
      grant: 'client_credentials',
      clientAuth: 'client_secret_basic',
      tokenUrl: p.token_url.replace('${connectionConfig.domain}', '{{domain}}'),
    })
    expect(auth.authorizeUrl).toBeUndefined()
    expect(auth.fields?.map((f) => [f.key, f.type])).toEqual([
      ['clientId', 'text'],
      ['clientSecret', 'secret'],
    ])
    expect(c.fields?.find((f) => f.key === 'domain')?.options?.map((o) => o.value)).toEqual(p.connection_config.domain.enum)
  })

  it.skipIf(!exists)("an alias takes its target's auth with its own name (zoho-crm)", () => {
    const entry = providers.find((p) => p.name === 'zoho-crm')!
    expect(entry.alias).toBe(raw['zoho-crm'].alias)
    const alias = connector('zoho-crm')
    const target = connector(entry.alias!)
    expect(alias.name).toBe(raw['zoho-crm'].display_name)
    expect(alias.auth).toEqual(target.auth)
  })
})
