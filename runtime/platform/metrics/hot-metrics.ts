import type { Registry } from 'prom-client'

/** One label set's series: what a hot path keeps (from a label cache) and adds to. */
export interface HotSeries {
  /** Adds one observation (a histogram) or `value` (a counter, default 1). */
  add(value?: number): void
}

/** What a registry asks of a metric: prom-client's own shape, so the text exposition is the library's. */
interface Exported {
  name: string
  help: string
  type: 'counter' | 'histogram'
  values: Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>
  aggregator: 'sum'
}

/**
 * A counter or histogram for the paths every request takes, registered in a prom-client registry and exposed in
 * the same text. prom-client checks and hashes the label set on every `inc`/`observe`; here a label set's series is
 * looked up once (callers keep it in a label cache) and each observation is a few additions.
 *
 * @example
 * const seconds = hotMetric(registry, { name: 'x_seconds', help: '…', type: 'histogram', buckets: [0.01, 0.1, 1] })
 * const series = seconds.series({ route: '/api/health' })
 * series.add(0.004)
 */
export function hotMetric(
  registry: Registry,
  options: { name: string; help: string; type: 'counter' | 'histogram'; buckets?: readonly number[] },
): { series(labels: Readonly<Record<string, string>>): HotSeries } {
  const { name, help, type } = options
  const bounds = [...(options.buckets ?? [])].sort((a, b) => a - b)
  const all: Array<{ labels: Readonly<Record<string, string>>; counts: number[]; sum: number; count: number }> = []
  const made = new Map<string, HotSeries>()
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum' as const,
    get(): Exported {
      const values: Exported['values'] = []
      for (const s of all) {
        if (type === 'counter') {
          values.push({ labels: s.labels, value: s.sum })
          continue
        }
        let cumulative = 0
        bounds.forEach((le, i) => {
          cumulative += s.counts[i]!
          values.push({ labels: { ...s.labels, le }, value: cumulative, metricName: `${name}_bucket` })
        })
        values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${name}_bucket` })
        values.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` })
        values.push({ labels: s.labels, value: s.count, metricName: `${name}_count` })
      }
      return { name, help, type, values, aggregator: 'sum' }
    },
  }
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0])
  return {
    series(labels) {
      const key = Object.entries(labels).join('\u0000')
      const existing = made.get(key)
      if (existing) return existing
      const s = { labels: { ...labels }, counts: bounds.map(() => 0), sum: 0, count: 0 }
      all.push(s)
      const series: HotSeries =
        type === 'counter'
          ? { add: (value = 1) => void (s.sum += value) }
          : {
              add(value = 0) {
                s.sum += value
                s.count++
                for (let i = 0; i < bounds.length; i++) {
                  if (value <= bounds[i]!) {
                    s.counts[i]!++
                    return
                  }
                }
              },
            }
      made.set(key, series)
      return series
    },
  }
}
