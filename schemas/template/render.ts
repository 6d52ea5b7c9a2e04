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
 * Renders a template. Objects and arrays are written as JSON, `null`/`undefined` as nothing.
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
    const value = resolve(part.path)
    if (value === undefined || value === null) out += options.missing ? options.missing(part) : ''
    else out += encode(typeof value === 'object' ? JSON.stringify(value) : String(value))
  }
  return out
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
