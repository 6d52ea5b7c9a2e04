import { applyFilters } from './filters.ts'
import { type Placeholder, parseTemplate } from './parse.ts'

/** Looks up a placeholder's value; `undefined` when there is none. */
export type Resolve = (path: string[]) => unknown

/** How a rendered value is written into its surrounding text. */
export interface RenderOptions {
  /** Applied to every substituted value (not to literal text), e.g. `encodeURIComponent` in a path. */
  encode?: (value: string) => string
  /** Called for a placeholder without a value; its return value is substituted (default: empty string). */
  missing?: (placeholder: Placeholder) => string
}

/**
 * Renders a template. Objects and arrays are written as JSON, `null`/`undefined` as nothing. Filters apply to
 * the value as text before it is encoded; a value they leave missing (or empty, for `default`) counts as missing.
 *
 * @example
 * renderTemplate('{{email}}/token', ([key]) => ({ email: 'a@b.c' })[key!]) // 'a@b.c/token'
 */
export function renderTemplate(template: string, resolve: Resolve, options: RenderOptions = {}): string {
  const encode = options.encode ?? ((value: string) => value)
  let out = ''
  for (const part of parseTemplate(template).parts) {
    if (typeof part === 'string') {
      out += part
      continue
    }
    const value = placeholderValue(part, resolve)
    if (value === undefined) out += options.missing ? options.missing(part) : ''
    else out += encode(value)
  }
  return out
}

/**
 * One placeholder's value as text, its filters applied; `undefined` when it has none.
 *
 * @example
 * placeholderValue(placeholders('{{key | after:"-"}}')[0]!, () => 'abc-us21') // 'us21'
 */
export function placeholderValue(part: Placeholder, resolve: Resolve): string | undefined {
  const value = resolve(part.path)
  const text = value === undefined || value === null ? undefined : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return part.filters.length === 0 ? text : applyFilters(text, part.filters)
}

/**
 * Resolves a dotted path inside a nested value with own properties only, so that `__proto__` or
 * `constructor` in a template can never reach anything but data.
 *
 * @example
 * lookup({ body: { user: { login: 'octo' } } }, ['body', 'user', 'login']) // 'octo'
 */
export function lookup(root: unknown, path: readonly string[]): unknown {
  let current: unknown = root
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined
      current = current[Number(segment)]
    } else {
      if (!Object.hasOwn(current, segment)) return undefined
      current = (current as Record<string, unknown>)[segment]
    }
  }
  return current
}
