/**
 * A strict reader of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): every line is a `# HELP`, a `# TYPE`, another
 * comment, a sample or empty; anything else throws with its line number. Also checks what a scraper relies on: a family's
 * TYPE comes before its samples and once, no series twice, histogram buckets cumulative with `+Inf` equal to
 * `_count`.
 */

/** One sample line. */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** A metric family: its TYPE, HELP and samples (histograms: `_bucket`, `_sum`, `_count`). */
export interface Family {
  name: string
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
  help?: string
  samples: Sample[]
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*'
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*'
const VALUE = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?Inf|NaN`
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (${VALUE})(?: (-?\\d+))?$`)
const PAIR = new RegExp(`^(${LABEL})="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"(,|$)`)
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count', ''] }

/**
 * Parses an exposition into its families, by name.
 *
 * @example
 * const families = parsePrometheusText(await res.text())
 * sampleValue(families, 'switchboard_http_requests_total', { route: '/api/me', method: 'GET', status: '200' })
 */
export function parsePrometheusText(text: string): Map<string, Family> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a newline')
  const families = new Map<string, Family>()
  const seen = new Set<string>()
  const typed = new Set<string>()
  const lines = text.split('\n')
  lines.pop()
  lines.forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`)
    }
    // Empty lines are ignored (prom-client puts one between families).
    if (line === '') return
    if (line.startsWith('#')) {
      const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line)
      if (!meta) {
        if (/^# (HELP|TYPE)\b/.test(line)) fail('malformed HELP or TYPE')
        return
      }
      const [, kind, name, rest] = meta as unknown as [string, 'HELP' | 'TYPE', string, string]
      const family = families.get(name)
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) fail(`unknown type ${rest}`)
        if (typed.has(name)) fail('a second TYPE')
        if (family?.samples.length) fail('TYPE after samples of its family')
        typed.add(name)
        families.set(name, { ...(family ?? { name, samples: [] }), type: rest as Family['type'] })
      } else {
        if (family?.help !== undefined) fail('a second HELP')
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) fail('HELP with an unknown escape')
        families.set(name, { ...(family ?? { name, type: 'untyped', samples: [] }), help: rest })
      }
      return
    }
    const match = SAMPLE.exec(line) ?? fail('not a sample')
    const [, name, rawLabels = '', rawValue] = match as unknown as [string, string, string | undefined, string]
    const labels: Record<string, string> = {}
    let rest = rawLabels.replace(/,$/, '')
    while (rest !== '') {
      const pair = PAIR.exec(rest) ?? fail('malformed labels')
      if (pair[1]! in labels) fail(`label ${pair[1]} twice`)
      labels[pair[1]!] = pair[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c))
      rest = rest.slice(pair[0].length)
      if (pair[3] === '' && rest !== '') fail('malformed labels')
    }
    const value = rawValue === '+Inf' || rawValue === 'Inf' ? Infinity : rawValue === '-Inf' ? -Infinity : Number(rawValue)
    const family = familyOf(families, name)
    if (!family || !typed.has(family.name)) return fail('a sample before the TYPE of its family')
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`
    if (seen.has(key)) fail('the same series twice')
    seen.add(key)
    family.samples.push({ name, labels, value })
  })
  for (const family of families.values()) {
    if (family.type === 'histogram') checkHistogram(family)
  }
  return families
}

/** The family a sample name belongs to: its own, or a histogram's or summary's by suffix. */
function familyOf(families: Map<string, Family>, name: string): Family | undefined {
  const own = families.get(name)
  if (own && !SUFFIXES[own.type]) return own
  for (const family of families.values()) {
    const suffixes = SUFFIXES[family.type]
    if (suffixes?.some((suffix) => `${family.name}${suffix}` === name)) return family
  }
  return undefined
}

function checkHistogram(family: Family): void {
  const series = new Map<string, Sample[]>()
  for (const sample of family.samples) {
    const { le: _le, ...rest } = sample.labels
    const key = JSON.stringify(Object.entries(rest).sort())
    series.set(key, [...(series.get(key) ?? []), sample])
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name.endsWith('_bucket'))
    if (buckets.some((b) => b.labels.le === undefined)) throw new Error(`${family.name}${key}: a bucket without le`)
    for (let i = 1; i < buckets.length; i++) {
      if (Number(buckets[i]!.labels.le) < Number(buckets[i - 1]!.labels.le) || buckets[i]!.value < buckets[i - 1]!.value)
        throw new Error(`${family.name}${key}: buckets are not cumulative`)
    }
    const inf = buckets.find((b) => b.labels.le === '+Inf')
    const count = samples.find((s) => s.name.endsWith('_count'))
    if (!inf || !count || inf.value !== count.value) throw new Error(`${family.name}${key}: the +Inf bucket must equal _count`)
  }
}

/**
 * The value of the one sample of `name` whose labels include `labels` (0 when there is none yet).
 *
 * @example
 * sampleValue(families, 'switchboard_upstream_request_duration_seconds_count', { connector: 'github' })
 */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = familyOf(families, name)
  const matching = (family?.samples ?? []).filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  )
  if (matching.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${matching.length} series`)
  return matching[0]?.value ?? 0
}
