/**
 * The closed set of template filters: pure string functions, no code, no network, linear in the input.
 * `{{apiKey | after:"-"}}` takes Mailchimp's data centre from the end of its key; `{{email | lower}}`;
 * `{{region | default:"us"}}`. A value that is missing stays missing through every filter but `default`.
 */

/** One filter as written: `replace:"a":"b"` → `{ name: 'replace', args: ['a', 'b'] }`. */
export interface Filter {
  name: string
  args: string[]
}

interface FilterDefinition {
  /** Argument names, for messages: `after:"<separator>"`. */
  args: string[]
  /** What it does, for messages and docs. */
  does: string
  apply(value: string | undefined, args: string[]): string | undefined
}

/** Base64 of the UTF-8 bytes, with what both Node and browsers have (the designer parses templates too). */
function base64(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

const present = (value: string | undefined, f: (v: string) => string) => (value === undefined ? undefined : f(value))

/** Every filter by name. Adding one is adding an entry; the validator and the docs list them from here. */
export const FILTERS: Readonly<Record<string, FilterDefinition>> = {
  lower: { args: [], does: 'lower-cases', apply: (v) => present(v, (s) => s.toLowerCase()) },
  upper: { args: [], does: 'upper-cases', apply: (v) => present(v, (s) => s.toUpperCase()) },
  trim: { args: [], does: 'removes spaces at both ends', apply: (v) => present(v, (s) => s.trim()) },
  base64: { args: [], does: 'encodes the UTF-8 bytes as base64', apply: (v) => present(v, base64) },
  base64url: {
    args: [],
    does: 'encodes the UTF-8 bytes as unpadded base64url',
    apply: (v) => present(v, (s) => base64(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')),
  },
  urlencode: { args: [], does: 'percent-encodes (encodeURIComponent)', apply: (v) => present(v, encodeURIComponent) },
  after: {
    args: ['separator'],
    does: 'keeps what follows the first separator (empty when there is none)',
    apply: (v, [sep]) => present(v, (s) => (s.includes(sep!) ? s.slice(s.indexOf(sep!) + sep!.length) : '')),
  },
  before: {
    args: ['separator'],
    does: 'keeps what precedes the first separator (empty when there is none)',
    apply: (v, [sep]) => present(v, (s) => (s.includes(sep!) ? s.slice(0, s.indexOf(sep!)) : '')),
  },
  replace: {
    args: ['search', 'replacement'],
    does: 'replaces every occurrence of a text',
    apply: (v, [search, replacement]) => present(v, (s) => s.split(search!).join(replacement!)),
  },
  default: { args: ['value'], does: 'gives a value when there is none or it is empty', apply: (v, [fallback]) => (v ? v : fallback) },
}

/**
 * What is wrong with a filter as written (unknown name, wrong number or empty arguments), or undefined.
 *
 * @example
 * checkFilter({ name: 'after', args: [] }) // 'filter "after" takes 1 argument: after:"<separator>"'
 */
export function checkFilter(filter: Filter): string | undefined {
  const definition = Object.hasOwn(FILTERS, filter.name) ? FILTERS[filter.name] : undefined
  if (!definition) return `"${filter.name}" is not a filter; use one of ${Object.keys(FILTERS).join(', ')}`
  if (filter.args.length !== definition.args.length) {
    const usage = [filter.name, ...definition.args.map((a) => `"<${a}>"`)].join(':')
    const n = definition.args.length
    return `filter "${filter.name}" takes ${n === 0 ? 'no arguments' : `${n} argument${n === 1 ? '' : 's'}`}: ${usage}`
  }
  if ((filter.name === 'after' || filter.name === 'before' || filter.name === 'replace') && filter.args[0] === '') {
    return `filter "${filter.name}" needs a non-empty ${definition.args[0]}`
  }
  return undefined
}

/**
 * Applies filters in order; `undefined` is a missing value.
 *
 * @example
 * applyFilters('abc-us21', [{ name: 'after', args: ['-'] }]) // 'us21'
 */
export function applyFilters(value: string | undefined, filters: readonly Filter[]): string | undefined {
  let current = value
  for (const filter of filters) current = FILTERS[filter.name]!.apply(current, filter.args)
  return current
}
