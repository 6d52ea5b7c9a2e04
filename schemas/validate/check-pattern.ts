import { type ConnectorPattern, compilePattern } from '../pattern/index.ts'
import type { Checker } from './context.ts'
import { readablePath } from './pointer.ts'

/**
 * Reports a pattern at `path` that does not run — not a regular expression, or one the linear-time engine
 * cannot run (backreferences, lookaround, too large) — and returns the one that does.
 *
 * @example
 * const pattern = checkPattern(check, field.pattern, '/fields/0/pattern')
 * if (pattern && !pattern.matches(field.default)) …
 */
export function checkPattern(check: Checker, source: unknown, path: string): ConnectorPattern | undefined {
  if (typeof source !== 'string') return undefined
  const pattern = compilePattern(source)
  if (pattern.ok) return pattern
  check.error(path, pattern.keyword, `${readablePath(path)} ${pattern.reason}`)
  return undefined
}
