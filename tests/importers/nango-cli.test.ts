import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main } from '../../runtime/tooling/cli/main.ts'
import { captureIo, useTempDir } from './helpers.ts'

// A made-up catalogue: one provider per key, password and OAuth2 mode, one that cannot be converted, one of a
// mode without a converter.
const CATALOGUE = `
acme-key:
  display_name: Acme (API key)
  categories: [crm]
  auth_mode: API_KEY
  proxy: { base_url: 'https://api.acme.test', headers: { x-api-key: '\${apiKey}' } }
acme-basic:
  display_name: Acme (Basic)
  categories: [crm]
  auth_mode: BASIC
  proxy: { base_url: 'https://api.acme.test' }
acme-json:
  display_name: Acme (JSON token request)
  categories: [crm]
  auth_mode: OAUTH2
  authorization_url: https://acme.test/authorize
  token_url: https://acme.test/token
  body_format: json
  proxy: { base_url: 'https://api.acme.test' }
acme-cc:
  alias: acme-json
  display_name: Acme (client credentials)
  auth_mode: OAUTH2_CC
  body_format: form
acme-two-step:
  display_name: Acme (two step)
  categories: [crm]
  auth_mode: TWO_STEP
acme-bill:
  display_name: Acme (Bill)
  auth_mode: BILL
  proxy: { base_url: 'https://api.acme.test' }
`

describe('switchboard import nango', () => {
  const dir = useTempDir()
  const file = join(dir, 'providers.yaml')
  writeFileSync(file, CATALOGUE)

  it('prints figures per auth mode and the grouped reasons', async () => {
    const io = captureIo()
    expect(await main(['import', 'nango', file], io)).toBe(0)
    const text = io.stdout.join('\n')
    expect(text).toContain('4 of 6 providers (66.7 %) became valid connectors')
    expect(text).toMatch(/auth mode\s+entries\s+imported\s+skipped\s+imported %/)
    expect(text).toMatch(/OAUTH2\s+1\s+1\s+0\s+100\.0 %/)
    expect(text).toMatch(/TWO_STEP\s+1\s+0\s+1\s+0\.0 %/)
    expect(text).toMatch(/BILL\s+1\s+0\s+1\s+0\.0 %/)
    expect(text).toMatch(/all\s+6\s+4\s+2\s+66\.7 %/)
    expect(text).toContain('1  no base URL  (acme-two-step)')
    expect(text).toContain('Auth modes without a converter (1): BILL 1')
  })

  it('writes valid connectors with a $schema relative to the output directory', async () => {
    const out = join(dir, 'nested', 'out')
    const io = captureIo()
    expect(await main(['import', 'nango', file, `--out=${out}`], io)).toBe(0)
    expect(io.stdout.at(-1)).toBe(`\nWrote 4 connectors to ${out}`)
    const written = JSON.parse(readFileSync(join(out, 'acme-cc.json'), 'utf8'))
    expect(resolve(out, written.$schema)).toBe(fileURLToPath(new URL('../../schemas/connector.schema.json', import.meta.url)))
    expect(written.$schema).toMatch(/^\.\.\/.*\/schemas\/connector\.schema\.json$/)
    expect(Object.keys(written)[0]).toBe('$schema')
    expect(written.auth[0]).toMatchObject({ grant: 'client_credentials', tokenUrl: 'https://acme.test/token' })
  })

  it('answers --json with the summary and one line per provider', async () => {
    const io = captureIo()
    expect(await main(['import', 'nango', file, '--json'], io)).toBe(0)
    const { summary, providers } = JSON.parse(io.stdout.join('\n'))
    expect(summary.overall).toEqual({ mode: 'all', total: 6, converted: 4, valid: 4 })
    expect(summary.modes.find((m: { mode: string }) => m.mode === 'BILL')).toEqual({ mode: 'BILL', total: 1, converted: 0, valid: 0 })
    expect(providers.find((p: { name: string }) => p.name === 'acme-two-step')).toEqual({
      name: 'acme-two-step',
      authMode: 'TWO_STEP',
      status: 'skipped',
      reason: 'no base URL',
    })
  })

  it('fails clearly on a missing file, malformed YAML, a non-mapping and bad arguments', async () => {
    const run = async (args: string[]) => {
      const io = captureIo()
      return { code: await main(args, io), message: io.stderr.join('\n') }
    }
    expect(await run(['import', 'nango', join(dir, 'absent.yaml')])).toEqual({
      code: 1,
      message: expect.stringContaining('absent.yaml: cannot read the file: no such file'),
    })
    const broken = join(dir, 'broken.yaml')
    writeFileSync(broken, 'acme:\n  auth_mode: API_KEY\n  proxy: { base_url: [\n')
    expect((await run(['import', 'nango', broken])).message).toMatch(/broken\.yaml: malformed YAML at line \d+, column \d+: /)
    writeFileSync(broken, 'acme:\n  auth_mode: API_KEY\nacme:\n  auth_mode: BASIC\n')
    expect((await run(['import', 'nango', broken])).message).toContain(
      'broken.yaml: malformed YAML at line 3, column 1: the key "acme" appears twice',
    )
    const list = join(dir, 'list.yaml')
    writeFileSync(list, '- acme\n')
    expect((await run(['import', 'nango', list])).message).toContain('expected a mapping of provider names')
    expect(await run(['import', 'airbyte', file])).toMatchObject({
      code: 2,
      message: expect.stringContaining('only "nango" and "openapi" are supported'),
    })
    expect(await run(['import', 'nango'])).toMatchObject({ code: 2 })
    expect(await run(['import', 'nango', file, '--out'])).toMatchObject({
      code: 2,
      message: expect.stringContaining('--out needs a directory'),
    })
  })
})
