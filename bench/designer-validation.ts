import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { placeProblems } from '../designer/src/lib/draft-places.ts'
import { checkConnector } from '../schemas/validate/check-connector.ts'
import { validateConnector } from '../schemas/validate/index.ts'
import type { SchemaCheck } from '../schemas/validate/messages.ts'
import { connectorCheckSource } from '../schemas/validate/standalone.ts'
import { isMain, percentile, printTable, type Row } from './table.ts'

/**
 * What the designer does on every keystroke in a 50-field connector — copy the draft out of its state,
 * validate it (the schema check compiled at build time, then the semantic rules) and place each problem at
 * its field — timed per keystroke, against the runtime's validator (ajv compiled at start) on the same edits.
 * Target: ≤ 2 ms per keystroke.
 *
 * @example
 * printTable('designer validation', await benchDesignerValidation())
 */
export async function benchDesignerValidation(keystrokes = 3000): Promise<Row[]> {
  const precompiled = await loadPrecompiledCheck()
  const doc = fiftyFields()
  const inDesigner = (draft: unknown) => placeProblems(checkConnector(precompiled, draft), draft as Record<string, unknown>)
  const atStart = (draft: unknown) => placeProblems(validateConnector(draft), draft as Record<string, unknown>)
  // Typing into one label, then another: a new document each time, as the designer's snapshot is.
  const type = (validate: (draft: unknown) => unknown, count: number) => {
    const wall: number[] = []
    const cpu: number[] = []
    for (let i = 0; i < count; i++) {
      const started = performance.now()
      const used = process.cpuUsage()
      const fields = doc.fields as Array<Record<string, unknown>>
      fields[i % 50]!.label = `${String(fields[i % 50]!.label)}x`.slice(-60)
      validate(structuredClone(doc))
      const spent = process.cpuUsage(used)
      cpu.push((spent.user + spent.system) / 1000)
      wall.push(performance.now() - started)
    }
    return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) }
  }
  type(inDesigner, 300) // warm-up: let V8 optimise
  type(atStart, 300)
  const designer = type(inDesigner, keystrokes)
  const runtime = type(atStart, keystrokes)
  const { errors: e, warnings: w } = checkConnector(precompiled, doc)
  const errors = e.length + w.length
  return [
    {
      name: 'runtime validator per keystroke p50 (baseline)',
      value: percentile(runtime.wall, 50),
      unit: 'ms',
      note: `ajv compiled at start; ${keystrokes} keystrokes each`,
    },
    {
      name: 'designer validator per keystroke p50',
      value: percentile(designer.wall, 50),
      unit: 'ms',
      note: `precompiled check + semantic rules + placing problems; ${errors} problems`,
    },
    { name: 'designer validator per keystroke p90', value: percentile(designer.wall, 90), unit: 'ms', note: 'target ≤ 2 ms' },
    {
      name: 'designer validator per keystroke p99',
      value: percentile(designer.wall, 99),
      unit: 'ms',
      note: `${percentile(designer.cpu, 99).toFixed(2)} ms of this process's CPU time: the rest is waiting for a core`,
    },
    { name: 'designer / runtime (p50)', value: percentile(designer.wall, 50) / percentile(runtime.wall, 50), unit: 'ratio' },
  ]
}

/** The designer's precompiled check, generated as the build does and loaded from a temp file. */
async function loadPrecompiledCheck(): Promise<SchemaCheck> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-bench-check-'))
  try {
    const file = join(dir, 'connector-check.mjs')
    await writeFile(
      file,
      connectorCheckSource((s) => (isAbsolute(s) ? pathToFileURL(s).href : import.meta.resolve(s))),
    )
    return ((await import(pathToFileURL(file).href)) as { default: SchemaCheck }).default
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A connector with 50 fields of every kind, each used by a header, the test or an action. */
function fiftyFields(): Record<string, unknown> {
  const kinds = ['text', 'secret', 'url', 'select', 'number', 'boolean'] as const
  const fields = Array.from({ length: 50 }, (_, i) => {
    const type = kinds[i % kinds.length]!
    return {
      key: `field${i}`,
      label: `Field ${i}`,
      help: `What field ${i} is for, and where to find it.`,
      type,
      required: i % 3 === 0,
      ...(type === 'text' ? { pattern: '^[a-z0-9-]+$', placeholder: 'acme' } : {}),
      ...(type === 'select'
        ? {
            options: [
              { value: 'eu', label: 'Europe' },
              { value: 'us', label: 'United States' },
            ],
          }
        : {}),
    }
  })
  const plain = fields.filter((f) => f.type !== 'secret')
  const secrets = fields.filter((f) => f.type === 'secret')
  return {
    id: 'fifty-fields',
    name: 'Fifty fields',
    baseUrl: 'https://{{field0}}.example.com/api',
    fields,
    auth: [{ id: 'key', type: 'apiKey', placements: secrets.map((f, i) => ({ in: 'header', name: `X-Key-${i}`, value: `{{${f.key}}}` })) }],
    headers: Object.fromEntries(plain.slice(1, 6).map((f) => [`X-${f.key}`, `{{${f.key}}}`])),
    test: { method: 'GET', path: '/me', query: { region: `{{${plain[6]!.key}}}` }, successStatus: [200] },
    actions: plain.slice(7).map((f, i) => ({
      key: `action${i}`,
      name: `Action ${i}`,
      method: 'GET',
      path: `/things/{{${f.key}}}`,
    })),
  }
}

if (isMain(import.meta.url)) printTable('Designer validation per keystroke', await benchDesignerValidation())
