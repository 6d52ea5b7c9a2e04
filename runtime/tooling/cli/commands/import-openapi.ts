import { mkdir, writeFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isObject } from '../../../../schemas/validate/context.ts'
import { FileProblem, readJsonFile } from '../../../platform/files/index.ts'
import { type Conversion, importOpenApi, OpenApiProblem, type OpenApiReport } from '../../importers/openapi.ts'
import type { Io } from '../io.ts'

const SCHEMA = fileURLToPath(new URL('../../../../schemas/connector.schema.json', import.meta.url))

export const usage = `switchboard import openapi <file> [--out dir] [--include glob] [--exclude glob] [--openid-config file] [--json]

Converts an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML; $refs to files beside it are
followed, nothing is fetched) into one connector: auth methods from its security schemes, base URL and
fields from its servers, an action per operation, a test request. Prints what could not be mapped.
  --out dir              write the connector to <dir>/<id>.json
  --include glob         import only matching operations (operationId, "METHOD /path" or the path;
  --exclude glob         * and ? as wildcards); both may be repeated or comma-separated
  --openid-config file   an OpenID Connect discovery document, to map openIdConnect schemes as OAuth2
  --json                 machine-readable output: { file, report, validation, connector, seconds, maxRssMb }`

interface Options {
  file: string
  out?: string
  include: string[]
  exclude: string[]
  openIdConfig?: string
  json: boolean
}

/**
 * `switchboard import openapi`: converts a spec into a connector and reports what came of it.
 *
 * @example
 * await importOpenApiCommand(['openapi.yaml', '--out', 'connectors'], io) // 0, report on stdout
 */
export async function importOpenApiCommand(args: string[], io: Io): Promise<number> {
  const options = parseArgs(args)
  if (typeof options === 'string') return io.fail(`${options}\n\n${usage}`, 2)
  let openIdConfig: Record<string, unknown> | undefined
  if (options.openIdConfig) {
    try {
      const config = await readJsonFile(options.openIdConfig)
      if (!isObject(config)) return io.fail(`${options.openIdConfig}: expected an OpenID Connect discovery document (a JSON object)`)
      openIdConfig = config
    } catch (error) {
      if (error instanceof FileProblem) return io.fail(`${options.openIdConfig}: ${error.message}`)
      throw error
    }
  }
  const started = performance.now()
  let result: Conversion
  try {
    io.progress?.(`reading ${options.file}…`)
    result = await importOpenApi(options.file, {
      include: options.include,
      exclude: options.exclude,
      ...(openIdConfig ? { openIdConfig } : {}),
      fallbackId: 'imported-api',
      onProgress: (done, total) => io.progress?.(`converting operations: ${done} of ${total}`),
    })
  } catch (error) {
    io.progress?.('', true)
    if (error instanceof OpenApiProblem) return io.fail(error.message)
    throw error
  }
  const seconds = (performance.now() - started) / 1000
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  io.progress?.(`converted ${result.report.operations} operations in ${seconds.toFixed(1)} s`, true)
  const { connector, report, validation } = result
  const written = options.out && validation.valid ? await writeConnector(connector, options.out) : undefined
  if (options.json) {
    io.out(JSON.stringify({ file: options.file, report, validation, connector, seconds: Number(seconds.toFixed(3)), maxRssMb }, null, 2))
  } else {
    printReport(options.file, report, io)
    io.out(
      `\nValidation: ${validation.valid ? 'valid' : 'INVALID'} ` +
        `(${validation.errors.length} errors, ${validation.warnings.length} warnings)`,
    )
    for (const e of validation.errors.slice(0, 20)) io.out(`  ${e.path}: ${e.message}`)
    io.out(`Imported in ${seconds.toFixed(2)} s, at most ${maxRssMb} MB of memory`)
    if (written) io.out(`Wrote ${written}`)
  }
  return validation.valid ? 0 : 1
}

function parseArgs(args: string[]): Options | string {
  const positional: string[] = []
  const options: Omit<Options, 'file'> = { include: [], exclude: [], json: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg]
    const value = (): string | undefined => (inline !== undefined ? inline : args[++i])
    if (flag === '--json') options.json = true
    else if (flag === '--out' || flag === '--openid-config') {
      const v = value()
      if (v === undefined || v === '' || v.startsWith('-')) return `${flag} needs a ${flag === '--out' ? 'directory' : 'file'}`
      if (flag === '--out') options.out = v
      else options.openIdConfig = v
    } else if (flag === '--include' || flag === '--exclude') {
      const v = value()
      if (v === undefined || v === '') return `${flag} needs a glob, like "GET /users/*"`
      const globs = v
        .split(',')
        .map((g) => g.trim())
        .filter((g) => g !== '')
      options[flag === '--include' ? 'include' : 'exclude'].push(...globs)
    } else if (arg.startsWith('-')) return `unknown option ${arg}`
    else positional.push(arg)
  }
  const [file, ...extra] = positional
  if (file === undefined) return 'name the OpenAPI or Swagger file (JSON or YAML)'
  if (extra.length > 0) return `unexpected argument ${extra[0]}`
  return { file, ...options }
}

async function writeConnector(connector: Conversion['connector'], out: string): Promise<string> {
  await mkdir(out, { recursive: true })
  const schema = relative(resolve(out), SCHEMA).split(sep).join('/')
  const file = join(out, `${connector.id}.json`)
  await writeFile(file, `${JSON.stringify({ $schema: schema, ...connector }, null, 2)}\n`)
  return file
}

function printReport(file: string, report: OpenApiReport, io: Io): void {
  io.out(`${file}: ${report.format} "${report.title}": ${report.operations} operations, ${report.actions} actions made`)
  if (report.selected !== report.operations) io.out(`(${report.selected} operations selected by --include/--exclude)`)
  io.out(`Base URL: ${report.baseUrl}${report.fields.length > 0 ? ` (fields: ${report.fields.join(', ')})` : ''}`)
  io.out(`\nSecurity schemes (${report.schemes.length}):`)
  for (const s of report.schemes) {
    const made = s.methods.length > 0 ? `→ ${s.methods.join(', ')}` : '→ not mapped'
    io.out(`  ${s.name}: ${s.type} ${made}${s.notMapped ? ` (${s.methods.length > 0 ? 'partly: ' : ''}${s.notMapped})` : ''}`)
  }
  io.out(`Auth methods: ${report.authMethods.join(', ')}`)
  io.out(`\nTest request: ${report.test.path ? report.test.reason : `none: ${report.test.reason}`}`)
  tally(
    io,
    `Operations not mapped (${report.notMappedCount})`,
    report.notMapped.map((n) => ({ key: n.reason, example: n.operation })),
  )
  tally(
    io,
    `Actions made with something left out (${report.partial.length})`,
    report.partial.flatMap((p) => p.notes.map((note) => ({ key: note.replace(/"[^"]*"/g, '"…"'), example: p.action }))),
  )
  if (report.notes.length > 0) {
    io.out('\nNotes:')
    for (const note of report.notes) io.out(`  ${note}`)
  }
}

/** Counts by reason, most frequent first, with up to three examples each. */
function tally(io: Io, title: string, entries: Array<{ key: string; example: string }>): void {
  if (entries.length === 0) return
  const groups = new Map<string, string[]>()
  for (const { key, example } of entries) groups.set(key, [...(groups.get(key) ?? []), example])
  io.out(`\n${title}:`)
  const sorted = [...groups].sort((a, b) => b[1].length - a[1].length)
  const width = String(sorted[0]![1].length).length
  for (const [key, examples] of sorted.slice(0, 30)) {
    const shown = [...new Set(examples)].slice(0, 3).join(', ') + (new Set(examples).size > 3 ? ', …' : '')
    io.out(`  ${String(examples.length).padStart(width)}  ${key}  (${shown})`)
  }
  if (sorted.length > 30) io.out(`  … and ${sorted.length - 30} other reasons (see --json)`)
}
