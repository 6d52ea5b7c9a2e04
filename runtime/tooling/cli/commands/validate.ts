import { type ValidationProblem, validateConnector } from '../../../../schemas/validate/index.ts'
import { FileProblem, readJsonFile } from '../../../platform/files/index.ts'
import { expandGlobs } from '../expand-globs.ts'
import type { Io } from '../io.ts'

interface FileResult {
  file: string
  valid: boolean
  errors: ValidationProblem[]
  warnings: ValidationProblem[]
}

export const usage = `switchboard validate <files or globs…> [--json] [--quiet]

Validates connector definitions. Prints "file  /json/pointer  message" for every problem,
exits 1 when any file has an error, 0 otherwise.
  --json    machine-readable output: [{ file, valid, errors, warnings }]
  --quiet   errors only, no warnings and no summary`

/**
 * `switchboard validate`: checks connector files and reports every problem with file and JSON pointer.
 *
 * @example
 * await validateCommand(['connectors/*.json'], io) // 0 when all are valid
 */
export async function validateCommand(args: string[], io: Io): Promise<number> {
  const json = args.includes('--json')
  const quiet = args.includes('--quiet')
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json' && a !== '--quiet')
  if (unknown.length > 0) return io.fail(`unknown option ${unknown[0]}\n\n${usage}`, 2)
  const patterns = args.filter((a) => !a.startsWith('-'))
  if (patterns.length === 0) return io.fail(`name at least one file\n\n${usage}`, 2)
  const files = await expandGlobs(patterns)
  if (files.length === 0) return io.fail(`no files match ${patterns.join(' ')}`)

  const results: FileResult[] = []
  for (const file of files) {
    try {
      results.push({ file, ...validateConnector(await readJsonFile(file)) })
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error
      results.push({ file, valid: false, errors: [{ path: '', keyword: 'file', message: error.message }], warnings: [] })
    }
  }

  if (json) io.out(JSON.stringify(results, null, 2))
  else report(results, quiet, io)
  return results.every((r) => r.valid) ? 0 : 1
}

function report(results: FileResult[], quiet: boolean, io: Io): void {
  for (const { file, errors, warnings } of results) {
    for (const e of errors) io.out(`${file}  ${e.path || '/'}  ${e.message}`)
    if (!quiet) for (const w of warnings) io.out(`${file}  ${w.path || '/'}  warning: ${w.message}`)
  }
  if (quiet) return
  const bad = results.filter((r) => !r.valid).length
  const errorCount = results.reduce((n, r) => n + r.errors.length, 0)
  const warningCount = results.reduce((n, r) => n + r.warnings.length, 0)
  const files = `${results.length} file${results.length === 1 ? '' : 's'}`
  io.out(
    bad === 0
      ? `${files} valid${warningCount ? ` (${warningCount} warning${warningCount === 1 ? '' : 's'})` : ''}`
      : `${files}: ${bad} with errors (${errorCount} error${errorCount === 1 ? '' : 's'}, ${warningCount} ` +
          `warning${warningCount === 1 ? '' : 's'})`,
  )
}
