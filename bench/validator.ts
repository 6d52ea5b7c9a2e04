import { readdir, readFile } from 'node:fs/promises'
import { validateConnectorSchema } from '../schemas/validate/compile.ts'
import { validateConnector } from '../schemas/validate/index.ts'
import { isMain, printTable, type Row } from './table.ts'

/**
 * Validator throughput: full validation (schema + semantic pass) of the built-in catalogue, against
 * the schema check alone in the same run, so the ratio shows what the semantic pass costs.
 *
 * @example
 * printTable('validator', await benchValidator())
 */
export async function benchValidator(durationMs = 3000): Promise<Row[]> {
  const dir = new URL('../connectors/', import.meta.url)
  const docs = await Promise.all(
    (await readdir(dir))
      .filter((f) => f.endsWith('.json'))
      .map(async (f) => JSON.parse(await readFile(new URL(f, dir), 'utf8')) as unknown),
  )
  const warm = (fn: (doc: unknown) => unknown) => {
    for (let i = 0; i < 200; i++) fn(docs[i % docs.length]) // warm-up: let V8 optimise
  }
  const schemaOnly = (doc: unknown) => validateConnectorSchema(doc)
  const full = (doc: unknown) => validateConnector(doc)
  warm(schemaOnly)
  warm(full)
  // The two are measured in turns of about 50 ms each rather than one after the other, so that load from other
  // processes on a shared machine, which comes and goes, weighs on both alike and the ratio stays meaningful.
  // CPU time is kept beside wall time: what this process itself spent, however busy the machine.
  const totals = { schema: { count: 0, wall: 0, cpu: 0 }, full: { count: 0, wall: 0, cpu: 0 } }
  const turn = (fn: (doc: unknown) => unknown, total: { count: number; wall: number; cpu: number }) => {
    const cpu = process.cpuUsage()
    const started = performance.now()
    do {
      for (const doc of docs) fn(doc)
      total.count += docs.length
    } while (performance.now() - started < 50)
    total.wall += performance.now() - started
    const used = process.cpuUsage(cpu)
    total.cpu += (used.user + used.system) / 1000
  }
  const started = performance.now()
  while (performance.now() - started < 2 * durationMs) {
    turn(schemaOnly, totals.schema)
    turn(full, totals.full)
  }
  const rate = (t: { count: number; wall: number }) => t.count / (t.wall / 1000)
  const cpuRate = (t: { count: number; cpu: number }) => Math.round(t.count / (t.cpu / 1000)).toLocaleString('en-US')
  return [
    {
      name: 'schema check only (baseline)',
      value: rate(totals.schema),
      unit: 'definitions/s',
      note: `${docs.length} built-in connectors, cycled; ${cpuRate(totals.schema)}/s of this process's CPU time`,
    },
    {
      name: 'full validation (schema + semantic pass)',
      value: rate(totals.full),
      unit: 'definitions/s',
      note: `${cpuRate(totals.full)}/s of this process's CPU time`,
    },
    { name: 'full / baseline', value: rate(totals.full) / rate(totals.schema), unit: 'ratio', note: 'measured in alternating turns' },
  ]
}

if (isMain(import.meta.url)) printTable('Validator throughput', await benchValidator())
