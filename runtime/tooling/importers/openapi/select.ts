import type { Operation } from './operations.ts'

/**
 * Which operations to import: `--include`/`--exclude` globs (`*` any run of characters, `?` one) matched,
 * case-insensitively, against the `operationId`, `METHOD /path` and the path alone. No include means all.
 *
 * @example
 * const wanted = operationFilter(['GET /repos/*'], ['*delete*'])
 * wanted({ method: 'get', path: '/repos/{owner}', operationId: 'repos/get' }) // true
 */
export function operationFilter(
  include: readonly string[] = [],
  exclude: readonly string[] = [],
): (op: Pick<Operation, 'method' | 'path' | 'operationId'>) => boolean {
  const including = include.map(globRegExp)
  const excluding = exclude.map(globRegExp)
  return (op) => {
    const names = [`${op.method.toUpperCase()} ${op.path}`, op.path, ...(op.operationId ? [op.operationId] : [])]
    const matches = (patterns: RegExp[]) => patterns.some((re) => names.some((name) => re.test(name)))
    return (including.length === 0 || matches(including)) && !matches(excluding)
  }
}

/** A glob as an anchored regular expression; runs of `*` collapse, so matching stays linear enough. */
function globRegExp(glob: string): RegExp {
  const source = glob
    .slice(0, 512)
    .replace(/\*+/g, '*')
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`, 'is')
}
