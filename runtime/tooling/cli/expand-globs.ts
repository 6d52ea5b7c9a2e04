import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Expands `*`, `?` and `**` in the arguments (for shells that pass them through, and for Windows);
 * an argument without wildcards is kept as it is, so a missing file is reported, not dropped.
 *
 * @example
 * await expandGlobs(['connectors/*.json']) // ['connectors/datadog.json', 'connectors/freshdesk.json', …]
 */
export async function expandGlobs(args: readonly string[]): Promise<string[]> {
  const files: string[] = []
  for (const arg of args) {
    if (!/[*?]/.test(arg)) files.push(arg)
    else files.push(...(await match(arg.split('/'), arg.startsWith('/') ? '/' : '.')).sort())
  }
  return files
}

async function match(segments: string[], dir: string): Promise<string[]> {
  const [head, ...rest] = segments
  if (head === undefined) return []
  if (head === '') return match(rest, dir)
  const here = async (name: string) => (rest.length === 0 ? [join(dir, name)] : match(rest, join(dir, name)))
  if (!/[*?]/.test(head)) {
    const exists = await stat(join(dir, head)).then(
      () => true,
      () => false,
    )
    return exists ? here(head) : []
  }
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const out: string[] = []
  if (head === '**') {
    out.push(...(await match(rest, dir)))
    for (const entry of entries)
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
        out.push(...(await match(segments, join(dir, entry.name))))
    return out
  }
  const pattern = new RegExp(
    '^' +
      head
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]') +
      '$',
  )
  for (const entry of entries) {
    if (!pattern.test(entry.name) || (entry.name.startsWith('.') && !head.startsWith('.'))) continue
    if (rest.length > 0 && !entry.isDirectory()) continue
    out.push(...(await here(entry.name)))
  }
  return out
}
