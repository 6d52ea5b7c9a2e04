import { pointer } from './pointer.ts'

interface Entry {
  value: unknown
  depth: number
  key?: string
  parent?: Entry
}

/**
 * The pointer of the first object or array nested more than `max` levels deep (the document itself
 * is the first level), if any. Walks without recursion, so that a document of a million nested
 * brackets is measured instead of overflowing the stack that ajv and the semantic checks (both
 * recursive) would need for it.
 *
 * @example
 * tooDeep({ a: [[1]] }, 2) // '/a/0'
 * tooDeep({ a: [1] }, 2)   // undefined
 */
export function tooDeep(doc: unknown, max: number): string | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined
  // Nearly every document is shallow enough: say so without making an entry per object. Only a document
  // that is too deep is walked again, keeping keys, to name where.
  if (!deeperThan(doc, max)) return undefined
  const stack: Entry[] = [{ value: doc, depth: 1 }]
  while (stack.length > 0) {
    const entry = stack.pop()!
    if (entry.depth > max) return pointerOf(entry)
    for (const [key, value] of Object.entries(entry.value as object)) {
      if (typeof value === 'object' && value !== null) stack.push({ value, depth: entry.depth + 1, key, parent: entry })
    }
  }
  return undefined
}

function deeperThan(doc: object, max: number): boolean {
  const values: object[] = [doc]
  const depths: number[] = [1]
  while (values.length > 0) {
    const value = values.pop()!
    const depth = depths.pop()!
    if (depth > max) return true
    for (const child of Object.values(value)) {
      if (typeof child === 'object' && child !== null) {
        values.push(child)
        depths.push(depth + 1)
      }
    }
  }
  return false
}

function pointerOf(entry: Entry): string {
  const keys: string[] = []
  for (let at: Entry | undefined = entry; at?.key !== undefined; at = at.parent) keys.unshift(at.key)
  return pointer(...keys)
}
