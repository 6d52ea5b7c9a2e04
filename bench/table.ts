/** One measured figure. */
export interface Row {
  name: string
  value: number
  unit: string
  note?: string
}

/**
 * Prints rows as an aligned table.
 *
 * @example
 * printTable('validator', [{ name: 'definitions/s', value: 1234, unit: '/s' }])
 */
export function printTable(title: string, rows: readonly Row[]): void {
  const cells = rows.map((r) => [r.name, format(r.value), r.unit, r.note ?? ''])
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((c) => c[i]!.length), ['measure', 'value', 'unit', 'note'][i]!.length))
  const line = (c: string[]) => `| ${c.map((v, i) => (i === 1 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ')} |`
  console.log(`\n## ${title}\n`)
  console.log(line(['measure', 'value', 'unit', 'note']))
  console.log(`|${widths.map((w, i) => (i === 1 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`)
  for (const c of cells) console.log(line(c))
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US')
  return value.toFixed(2)
}

/** Percentile of sorted numbers. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** Whether a module is being run directly (`node bin/run-ts.js bench/x.ts`). */
export function isMain(url: string): boolean {
  return process.argv[2] !== undefined && url.endsWith(process.argv[2].replace(/^\.\//, ''))
}
