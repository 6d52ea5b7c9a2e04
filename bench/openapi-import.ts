import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { generateSpec } from '../tests/importers/openapi-generate.ts'
import { isMain, printTable, type Row } from './table.ts'

const run = promisify(execFile)
const CLI = new URL('../bin/switchboard.js', import.meta.url).pathname
const TARGET_SECONDS = 10
const TARGET_MB = 500

/**
 * `switchboard import openapi` on a generated 10 MB spec of 1,000 operations, in a process of its own so
 * that its peak memory is its own: wall time and peak RSS against the targets (≤ 10 s, ≤ 500 MB), and
 * against a bare `node` that only reads and parses the same file (the baseline).
 *
 * @example
 * printTable('OpenAPI import', await benchOpenApiImport())
 */
export async function benchOpenApiImport(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-openapi-'))
  try {
    const file = join(dir, 'generated.json')
    await writeFile(file, generateSpec({ operations: 1000, targetBytes: 10 * 1024 * 1024 }))
    const size = (await readFile(file)).length
    const started = performance.now()
    const { stdout } = await run(process.execPath, [CLI, 'import', 'openapi', file, '--json'], { maxBuffer: 256 * 1024 * 1024 })
    const wall = (performance.now() - started) / 1000
    const result = JSON.parse(stdout) as { seconds: number; maxRssMb: number; report: { operations: number; actions: number } }
    const bare =
      `const t=performance.now();JSON.parse(require('fs').readFileSync(${JSON.stringify(file)},'utf8'));` +
      `console.log(JSON.stringify({s:(performance.now()-t)/1000,mb:process.resourceUsage().maxRSS/1024}))`
    const baseline = JSON.parse((await run(process.execPath, ['-e', bare])).stdout) as { s: number; mb: number }
    const spec = `${(size / 1024 / 1024).toFixed(1)} MB, ${result.report.operations} operations → ${result.report.actions} actions`
    return [
      { name: 'read + JSON.parse only (baseline)', value: baseline.s, unit: 's', note: `peak ${Math.round(baseline.mb)} MB` },
      {
        name: 'import (load, resolve, convert, validate)',
        value: result.seconds,
        unit: 's',
        note: `${spec}; target ≤ ${TARGET_SECONDS} s`,
      },
      { name: 'whole command, process start included', value: wall, unit: 's' },
      { name: 'import peak memory (RSS)', value: result.maxRssMb, unit: 'MB', note: `target ≤ ${TARGET_MB} MB` },
    ]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

if (isMain(import.meta.url)) printTable('OpenAPI import', await benchOpenApiImport())
