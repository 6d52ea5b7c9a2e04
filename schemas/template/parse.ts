/**
 * The one template syntax of connector definitions: `{{name}}` or `{{namespace.path.to.value}}`, optionally
 * followed by filters from a closed set (`{{apiKey | after:"-"}}`, see `filters.ts`). Replacement only —
 * there is no expression language, nothing is evaluated, nothing reaches the network. `\{{` writes a literal
 * `{{` (and the `}}` that closes it is literal too).
 */
import { checkFilter, type Filter } from './filters.ts'

/** A literal run of text or a placeholder, in the order they appear. */
export type TemplatePart = string | Placeholder

/** One `{{…}}` occurrence. */
export interface Placeholder {
  /** Dotted path split into segments: `{{input.owner}}` → `['input', 'owner']`. */
  path: string[]
  /** Filters applied in order to the value: `{{key | trim | lower}}`. Empty for most placeholders. */
  filters: Filter[]
  /** Offset of `{{` in the template. */
  start: number
  /** The placeholder as written, e.g. `{{ input.owner }}`. */
  raw: string
}

/** A problem with the template text itself (not with what it refers to). */
export interface TemplateSyntaxError {
  offset: number
  message: string
}

const FILTER_NAME = /\s*([A-Za-z][A-Za-z0-9]*)\s*/y
const ARGUMENT = /:\s*"((?:[^"\\]|\\["\\])*)"\s*/y

/**
 * Splits a template into literal text and placeholders, reporting malformed ones.
 *
 * @example
 * parseTemplate('Bearer {{token}}').parts // ['Bearer ', { path: ['token'], filters: [], start: 7, raw: '{{token}}' }]
 * parseTemplate('\\{{literal}}').parts    // ['{{literal}}']
 */
export function parseTemplate(template: string): { parts: TemplatePart[]; errors: TemplateSyntaxError[] } {
  const parts: TemplatePart[] = []
  const errors: TemplateSyntaxError[] = []
  let text = ''
  let i = 0
  // After an escaped `{{`, the next `}}` belongs to the literal.
  let escapedOpen = false
  while (i < template.length) {
    if (template.startsWith('\\{{', i)) {
      text += '{{'
      i += 3
      escapedOpen = true
      continue
    }
    if (template.startsWith('}}', i)) {
      if (!escapedOpen) errors.push({ offset: i, message: 'has a stray "}}": write \\{{ … }} for literal braces' })
      escapedOpen = false
      text += '}}'
      i += 2
      continue
    }
    if (!template.startsWith('{{', i)) {
      // Literal text runs to the next brace or backslash, the only characters that can start anything else.
      let next = i + 1
      while (next < template.length) {
        const c = template.charCodeAt(next)
        if (c === 0x7b || c === 0x7d || c === 0x5c) break
        next++
      }
      text += template.slice(i, next)
      i = next
      continue
    }
    const end = template.indexOf('}}', i + 2)
    const inner = end === -1 ? undefined : template.slice(i + 2, end)
    if (inner === undefined || inner.includes('{')) {
      errors.push({ offset: i, message: 'has an unclosed "{{" (write \\{{ for a literal "{{")' })
      text += '{{'
      i += 2
      continue
    }
    if (text !== '') parts.push(text)
    text = ''
    const raw = template.slice(i, end + 2)
    const parsed = parseInner(inner)
    if ('error' in parsed) {
      errors.push({ offset: i, message: parsed.error.replace('%s', raw) })
      parts.push(raw)
    } else parts.push({ path: parsed.path, filters: parsed.filters, start: i, raw })
    escapedOpen = false
    i = end + 2
  }
  if (text !== '') parts.push(text)
  return { parts, errors }
}

/** `path | filter:"arg" | …`, or what is wrong with it (`%s` stands for the placeholder as written). */
function parseInner(inner: string): { path: string[]; filters: Filter[] } | { error: string } {
  const bar = inner.indexOf('|')
  const name = (bar === -1 ? inner : inner.slice(0, bar)).trim()
  if (name === '') return { error: bar === -1 ? 'has an empty placeholder "{{}}"' : 'has a placeholder "%s" with filters but no name' }
  const path = pathOf(name)
  if (!path) {
    return {
      error:
        'has a placeholder "%s" that is not a name: use letters, digits and "_", with dots between parts, like ' +
        '{{apiKey}} or {{input.owner}}',
    }
  }
  const filters: Filter[] = []
  let at = bar
  while (at !== -1 && at < inner.length) {
    // `at` is on a `|`.
    FILTER_NAME.lastIndex = at + 1
    const head = FILTER_NAME.exec(inner)
    if (!head) return { error: 'has a placeholder "%s" with an empty or malformed filter after "|"' }
    const filter: Filter = { name: head[1]!, args: [] }
    at = FILTER_NAME.lastIndex
    for (;;) {
      ARGUMENT.lastIndex = at
      const arg = ARGUMENT.exec(inner)
      if (!arg) break
      filter.args.push(arg[1]!.replace(/\\(["\\])/g, '$1'))
      at = ARGUMENT.lastIndex
    }
    if (at < inner.length && inner[at] !== '|') {
      return { error: `has a placeholder "%s" whose filter "${filter.name}" is followed by something that is not a quoted argument or "|"` }
    }
    const problem = checkFilter(filter)
    if (problem) return { error: `has a placeholder "%s": ${problem}` }
    filters.push(filter)
  }
  return { path, filters }
}

/**
 * The segments of a placeholder's name, or undefined when it is not one: what
 * `/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_$-]+)*$/` accepts, split at the dots, read in one pass since every
 * placeholder of every template goes through here.
 */
function pathOf(name: string): string[] | undefined {
  const segments: string[] = []
  let start = 0
  for (let i = 0; i <= name.length; i++) {
    const c = i < name.length ? name.charCodeAt(i) : 0x2e
    const first = segments.length === 0
    if (c === 0x2e) {
      if (i === start) return undefined
      segments.push(name.slice(start, i))
      start = i + 1
      continue
    }
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f
    const digit = c >= 0x30 && c <= 0x39
    // The first segment is an identifier; later ones may also hold digits first, `$` and `-`.
    const ok = first ? letter || (digit && i > start) : letter || digit || c === 0x24 || c === 0x2d
    if (!ok) return undefined
  }
  return segments
}

/**
 * The placeholders of a template (malformed ones left out).
 *
 * @example
 * placeholders('{{email}}/token').map((p) => p.path.join('.')) // ['email']
 */
export function placeholders(template: string): Placeholder[] {
  return parseTemplate(template).parts.filter((part): part is Placeholder => typeof part !== 'string')
}

/**
 * When the whole template is exactly one placeholder without filters, its path; a JSON body string like that
 * takes the value with its own type (a number stays a number).
 *
 * @example
 * wholePlaceholder('{{input.labels}}') // ['input', 'labels']
 * wholePlaceholder('#{{input.n}}')     // undefined
 */
export function wholePlaceholder(template: string): string[] | undefined {
  const { parts, errors } = parseTemplate(template)
  const [only] = parts
  return errors.length === 0 && parts.length === 1 && typeof only !== 'string' && only!.filters.length === 0 ? only!.path : undefined
}
