/**
 * The one template syntax of connector definitions: `{{name}}` or `{{namespace.path.to.value}}`.
 * Replacement only — there is no expression language, no helpers, nothing is evaluated.
 */

/** A literal run of text or a placeholder, in the order they appear. */
export type TemplatePart = string | Placeholder

/** One `{{…}}` occurrence. */
export interface Placeholder {
  /** Dotted path split into segments: `{{input.owner}}` → `['input', 'owner']`. */
  path: string[]
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

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_$-]+)*$/

/**
 * Splits a template into literal text and placeholders, reporting malformed ones.
 *
 * @example
 * parseTemplate('Bearer {{token}}').parts // ['Bearer ', { path: ['token'], start: 7, raw: '{{token}}' }]
 */
export function parseTemplate(template: string): { parts: TemplatePart[]; errors: TemplateSyntaxError[] } {
  const parts: TemplatePart[] = []
  const errors: TemplateSyntaxError[] = []
  let last = 0
  for (const match of template.matchAll(PLACEHOLDER)) {
    const start = match.index
    const inner = (match[1] ?? '').trim()
    if (start > last) parts.push(template.slice(last, start))
    if (PATH.test(inner)) {
      parts.push({ path: inner.split('.'), start, raw: match[0] })
    } else {
      errors.push({
        offset: start,
        message:
          inner === ''
            ? 'has an empty placeholder "{{}}"'
            : `has a placeholder "${match[0]}" that is not a name: use letters, digits and "_", with dots between parts, like ` +
              `{{apiKey}} or {{input.owner}}`,
      })
      parts.push(match[0])
    }
    last = start + match[0].length
  }
  if (last < template.length) parts.push(template.slice(last))
  const rest = template.replace(PLACEHOLDER, '')
  const stray = rest.search(/\{\{|\}\}/)
  if (stray !== -1) errors.push({ offset: stray, message: 'has an unclosed "{{" or a stray "}}"' })
  return { parts, errors }
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
 * When the whole template is exactly one placeholder, its path; a JSON body string like that takes the
 * value with its own type (a number stays a number).
 *
 * @example
 * wholePlaceholder('{{input.labels}}') // ['input', 'labels']
 * wholePlaceholder('#{{input.n}}')     // undefined
 */
export function wholePlaceholder(template: string): string[] | undefined {
  const { parts, errors } = parseTemplate(template)
  const [only] = parts
  return errors.length === 0 && parts.length === 1 && typeof only !== 'string' ? only!.path : undefined
}
