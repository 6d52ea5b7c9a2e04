import { IMPORTED_MODES, type NangoImportEntry } from './types.ts'

/** The figures of one auth mode. */
export interface ModeFigures {
  mode: string
  /** Providers of the mode (aliases that resolve to it included). */
  total: number
  /** Converted into a definition. */
  converted: number
  /** Converted and accepted by the validator. */
  valid: number
}

/** How often one reason or validator keyword occurred, and for which providers. */
export interface Tally {
  key: string
  count: number
  providers: string[]
}

/** What an import of the catalogue came to. */
export interface NangoImportSummary {
  /** Every auth mode of the catalogue: the imported ones first, then the others by size. */
  modes: ModeFigures[]
  /** The whole catalogue. */
  overall: ModeFigures
  /** Why providers were not converted (those of modes without a converter included), most frequent first. */
  skipped: Tally[]
  /** Validator keywords of conversions that failed validation, most frequent first. */
  invalid: Tally[]
  /** Where converted providers behave differently from Nango, most frequent first. */
  differences: Tally[]
  /** Providers of auth modes the importer has no converter for, by mode. */
  otherModes: Tally[]
}

/**
 * Counts an import per auth mode and groups the reasons for everything that did not become a valid
 * connector.
 *
 * @example
 * summarizeNangoImport(importNangoCatalogue(catalogue)).overall // { mode: 'all', total: 981, converted: …, valid: … }
 */
export function summarizeNangoImport(entries: readonly NangoImportEntry[]): NangoImportSummary {
  const converted = (mode: string) => (IMPORTED_MODES as readonly string[]).includes(mode)
  const figures = (mode: string, list: readonly NangoImportEntry[]): ModeFigures => ({
    mode,
    total: list.length,
    converted: list.filter((e) => e.result.connector).length,
    valid: list.filter((e) => e.validation?.valid).length,
  })
  const skipped = new Tallies()
  const invalid = new Tallies()
  const other = new Tallies()
  const differences = new Tallies()
  for (const entry of entries) {
    for (const note of entry.result.notes ?? []) differences.add(note, entry.name)
    if (!converted(entry.authMode)) other.add(entry.authMode, entry.name)
    if (entry.result.skipped) skipped.add(entry.result.skipped.reason, entry.name)
    else if (entry.validation && !entry.validation.valid) {
      for (const keyword of new Set(entry.validation.errors.map((e) => e.keyword))) invalid.add(keyword, entry.name)
    }
  }
  const others = other.list().map((t) => t.key)
  return {
    modes: [...IMPORTED_MODES, ...others].map((mode) =>
      figures(
        mode,
        entries.filter((e) => e.authMode === mode),
      ),
    ),
    overall: figures('all', entries),
    skipped: skipped.list(),
    invalid: invalid.list(),
    differences: differences.list(),
    otherModes: other.list(),
  }
}

class Tallies {
  private readonly map = new Map<string, string[]>()
  add(key: string, provider: string): void {
    const list = this.map.get(key) ?? []
    list.push(provider)
    this.map.set(key, list)
  }
  list(): Tally[] {
    return [...this.map]
      .map(([key, providers]) => ({ key, count: providers.length, providers }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
  }
}
