import { isObject } from '../../../../schemas/validate/context.ts'

/** A chain of `$ref`s to `$ref`s longer than this is treated as broken. */
const MAX_HOPS = 32

/**
 * Follows local `$ref`s (`#/components/schemas/Pet`) until a value that is not one; siblings of a `$ref`
 * (OpenAPI 3.1 allows `description` beside it) override what it points to. `undefined` when a pointer
 * leads nowhere or the chain loops. `seen` collects the references followed.
 *
 * @example
 * deref(doc, { $ref: '#/components/parameters/limit' }) // { name: 'limit', in: 'query', … }
 */
export function deref(doc: unknown, value: unknown, seen?: string[]): unknown {
  let current = value
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops >= MAX_HOPS) return undefined
    const { $ref, ...siblings } = current
    seen?.push($ref)
    const target = pointerValue(doc, $ref)
    if (target === undefined) return undefined
    current = Object.keys(siblings).length > 0 && isObject(target) ? { ...target, ...siblings } : target
  }
  return current
}

/**
 * The value at a local reference (`#/a/b~1c`), own properties only; `undefined` for anything else.
 *
 * @example
 * pointerValue({ a: { 'b/c': 1 } }, '#/a/b~1c') // 1
 */
export function pointerValue(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined
  let text: string
  try {
    text = decodeURIComponent(ref.slice(1))
  } catch {
    return undefined
  }
  if (text === '') return doc
  if (!text.startsWith('/')) return undefined
  let current = doc
  for (const raw of text.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(current)) current = /^(0|[1-9][0-9]*)$/.test(key) ? current[Number(key)] : undefined
    else if (isObject(current) && Object.hasOwn(current, key)) current = current[key]
    else return undefined
  }
  return current
}

/** The last part of a reference, for messages: `#/components/schemas/Pet` → `Pet`. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1).slice(0, 80)
}
