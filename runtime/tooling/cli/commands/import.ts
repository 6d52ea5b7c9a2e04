import { mkdir, writeFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isObject } from '../../../../schemas/validate/context.ts'
import { FileProblem } from '../../../platform/files/index.ts'
import { importNangoCatalogue, type NangoImportEntry, type NangoImportSummary, summarizeNangoImport } from '../../importers/nango.ts'
import { readYamlFile } from '../../importers/yaml-file.ts'
import type { Io } from '../io.ts'
import { importOpenApiCommand, usage as openApiUsage } from './import-openapi.ts'

const SCHEMA = fileURLToPath(new URL('../../../../schemas/connector.schema.json', import.meta.url))

export const usage = `switchboard import nango|openapi <file> [options]

switchboard import nango <file> [--out dir] [--json]

Converts Nango's provider catalogue (providers.yaml) into connector definitions, aliases followed:
API_KEY, BASIC, OAUTH2 (and MCP_OAUTH2 with a registered client), OAUTH2_CC, TWO_STEP (a session
login, or a signed JWT for a jwt-bearer grant), JWT, OAUTH1, APP (GitHub Apps) and NONE. Validates
every conversion and prints, per auth mode, how many entries became valid connectors and why the
others did not.
  --out dir   write each valid connector to <dir>/<id>.json
  --json      machine-readable output: { summary, providers }

${openApiUsage}`

/**
 * `switchboard import nango`: converts a Nango catalogue and reports what came of each provider.
 *
 * @example
 * await importCommand(['nango', 'providers.yaml', '--out', 'imported'], io) // 0, summary on stdout
 */
export async function importCommand(args: string[], io: Io): Promise<number> {
  if (args.find((a) => !a.startsWith('-')) === 'openapi')
    return importOpenApiCommand(
      args.filter((_, i) => i !== args.indexOf('openapi')),
      io,
    )
  const options = parseArgs(args)
  if (typeof options === 'string') return io.fail(`${options}\n\n${usage}`, 2)
  const { file, out, json } = options

  let catalogue: unknown
  try {
    catalogue = await readYamlFile(file)
  } catch (error) {
    if (error instanceof FileProblem) return io.fail(`${file}: ${error.message}`)
    throw error
  }
  if (!isObject(catalogue)) return io.fail(`${file}: expected a mapping of provider names to their definitions`)

  const entries = importNangoCatalogue(catalogue)
  const summary = summarizeNangoImport(entries)
  const written = out ? await writeConnectors(entries, out) : 0
  if (json) io.out(JSON.stringify({ file, summary, providers: entries.map(describe) }, null, 2))
  else report(file, summary, io)
  if (out && !json) io.out(`\nWrote ${written} connector${written === 1 ? '' : 's'} to ${out}`)
  return 0
}

function parseArgs(args: string[]): { file: string; out?: string; json: boolean } | string {
  const positional: string[] = []
  let out: string | undefined
  let json = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--json') json = true
    else if (arg === '--out') {
      out = args[++i]
      if (out === undefined || out.startsWith('-')) return '--out needs a directory'
    } else if (arg.startsWith('--out=')) out = arg.slice('--out='.length)
    else if (arg.startsWith('-')) return `unknown option ${arg}`
    else positional.push(arg)
  }
  const [source, file, ...extra] = positional
  if (source === undefined) return 'name the format to import from: nango or openapi'
  if (source !== 'nango') return `cannot import from "${source}": only "nango" and "openapi" are supported`
  if (file === undefined) return "name the catalogue file (Nango's providers.yaml)"
  if (extra.length > 0) return `unexpected argument ${extra[0]}`
  if (out === '') return '--out needs a directory'
  return { file, ...(out !== undefined ? { out } : {}), json }
}

/** Writes the valid conversions, each with a `$schema` that editors resolve from the file's own place. */
async function writeConnectors(entries: NangoImportEntry[], out: string): Promise<number> {
  await mkdir(out, { recursive: true })
  const schema = relative(resolve(out), SCHEMA).split(sep).join('/')
  let written = 0
  for (const entry of entries) {
    const connector = entry.result.connector
    if (!connector || !entry.validation?.valid) continue
    await writeFile(join(out, `${connector.id}.json`), `${JSON.stringify({ $schema: schema, ...connector }, null, 2)}\n`)
    written++
  }
  return written
}

function describe(entry: NangoImportEntry): Record<string, unknown> {
  const { name, authMode, alias, result, validation } = entry
  const status = result.skipped ? 'skipped' : validation?.valid ? 'valid' : 'invalid'
  return {
    name,
    authMode,
    ...(alias ? { alias } : {}),
    status,
    ...(result.connector ? { id: result.connector.id } : {}),
    ...(result.skipped ?? {}),
    ...(result.notes ? { notes: result.notes } : {}),
    ...(validation && !validation.valid ? { errors: validation.errors } : {}),
  }
}

function report(file: string, summary: NangoImportSummary, io: Io): void {
  const { overall } = summary
  io.out(`${file}: ${overall.valid} of ${overall.total} providers (${percent(overall.valid, overall.total)}) became valid connectors`)
  io.out('(alias entries count as providers of the mode they resolve to)\n')
  const rows = [
    ['auth mode', 'entries', 'imported', 'skipped', 'imported %'],
    ...[...summary.modes, overall].map((m) => [
      m.mode,
      String(m.total),
      String(m.valid),
      String(m.total - m.valid),
      percent(m.valid, m.total),
    ]),
  ]
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  for (const row of rows) io.out(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   '))
  section(io, 'Not converted', summary.skipped)
  section(io, 'Converted but rejected by the validator (error keywords)', summary.invalid)
  section(io, 'Converted with differences from Nango', summary.differences)
  if (summary.otherModes.length > 0) {
    const count = summary.otherModes.reduce((n, t) => n + t.count, 0)
    io.out(`\nAuth modes without a converter (${count}): ${summary.otherModes.map((t) => `${t.key} ${t.count}`).join(', ')}`)
  }
}

function section(io: Io, title: string, tallies: NangoImportSummary['skipped']): void {
  if (tallies.length === 0) return
  const count = tallies.reduce((n, t) => n + t.count, 0)
  io.out(`\n${title} (${count}):`)
  const width = String(tallies[0]!.count).length
  for (const t of tallies) {
    const examples = t.providers.slice(0, 3).join(', ') + (t.providers.length > 3 ? ', …' : '')
    io.out(`  ${String(t.count).padStart(width)}  ${t.key}  (${examples})`)
  }
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`
}
