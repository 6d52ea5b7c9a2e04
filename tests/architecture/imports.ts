/**
 * The runtime's import graph, read from the source: every relative `import … from`, `export … from` and
 * `import()` of every `.ts` file under `runtime/`. For the layering tests.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g

/** Repository-relative paths of every TypeScript file below `dir`. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(path))
    else if (entry.name.endsWith('.ts')) out.push(path)
  }
  return out.sort()
}

/** Each file's relative imports, as repository-relative paths. */
export function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(join(root, file), 'utf8')
    const targets = [...text.matchAll(SPECIFIER)].map((m) => relative(root, resolve(root, dirname(file), m[1]!)))
    graph.set(file, [...new Set(targets)])
  }
  return graph
}

/** Strongly connected components with more than one node (or a node importing itself): the cycles. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string) => {
    indices.set(node, index)
    low.set(node, index++)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue
      if (!indices.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!))
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort())
    }
  }
  for (const node of graph.keys()) if (!indices.has(node)) visit(node)
  return found
}

/**
 * The graph between folders: `runtime/<layer>/<folder>` for files in a layer, the file itself for the files at
 * the root of `runtime/`.
 */
export function folderGraph(graph: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const folder = (file: string) => {
    const parts = file.split('/')
    return parts.length <= 2 ? file : parts.slice(0, 3).join('/')
  }
  const out = new Map<string, Set<string>>()
  for (const [file, targets] of graph) {
    const from = folder(file)
    if (!out.has(from)) out.set(from, new Set())
    for (const target of targets) {
      const to = folder(target)
      if (to !== from && target.startsWith('runtime/')) out.get(from)!.add(to)
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]))
}
