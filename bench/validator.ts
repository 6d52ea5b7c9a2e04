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
  const measure = (fn: (doc: unknown) => unknown) => {
    for (let i = 0; i < 200; i++) fn(docs[i % docs.length]) // warm-up: let V8 optimise
    let count = 0
    const started = performance.now()
    while (performance.now() - started < durationMs) {
      for (const doc of docs) fn(doc)
      count += docs.length
    }
    return count / ((performance.now() - started) / 1000)
  }
  const schemaOnly = measure((doc) => validateConnectorSchema(doc))
  const full = measure((doc) => validateConnector(doc))
  return [
    { name: 'schema check only (baseline)', value: schemaOnly, unit: 'definitions/s', note: `${docs.length} built-in connectors, cycled` },
    { name: 'full validation (schema + semantic pass)', value: full, unit: 'definitions/s' },
    { name: 'full / baseline', value: full / schemaOnly, unit: 'ratio' },
  ]
}

if (isMain(import.meta.url)) printTable('Validator throughput', await benchValidator())
