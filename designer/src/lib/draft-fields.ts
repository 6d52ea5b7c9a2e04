/**
 * Edits across a draft that follow a field: moving it between the connection fields and an auth method's
 * credential fields, and renaming its uses in every template when its key changes.
 */
import { parseTemplate } from '../../../schemas/template/index.ts'
import { splitPointer } from '../../../schemas/validate/pointer.ts'
import { objects } from './draft-doc.ts'
import { type Doc, isPlainObject } from './draft-sync.ts'

type Obj = Record<string, unknown>

/** The pointer of the list a field would move to: `/fields` ↔ `/auth/<i>/fields`; undefined when there is none. */
export function otherFieldList(doc: Doc, listPointer: string): string | undefined {
  if (listPointer !== '/fields') return /^\/auth\/\d+\/fields$/.test(listPointer) ? '/fields' : undefined
  // Credentials belong to one method: offered when there is exactly one to move to.
  const methods = objects(doc.auth)
  return methods.length === 1 ? '/auth/0/fields' : undefined
}

/**
 * Moves the field at `from` (`/fields/2`, `/auth/0/fields/1`) to the end of the list at `to`, and answers its new
 * pointer (or undefined when either is not there).
 *
 * @example
 * moveField(doc, '/auth/0/fields/0', '/fields') // '/fields/3': the account SID is a connection field now
 */
export function moveField(doc: Doc, from: string, to: string): string | undefined {
  const source = listAt(doc, from.slice(0, from.lastIndexOf('/')), false)
  const index = Number(from.slice(from.lastIndexOf('/') + 1))
  const target = listAt(doc, to, true)
  if (!source || !target || !isPlainObject(source[index])) return undefined
  const [field] = source.splice(index, 1)
  target.push(field)
  return `${to}/${target.length - 1}`
}

function listAt(doc: Doc, pointer: string, create: boolean): unknown[] | undefined {
  const segments = splitPointer(pointer)
  const name = segments.pop()!
  let owner: unknown = doc
  for (const segment of segments) owner = Array.isArray(owner) ? owner[Number(segment)] : isPlainObject(owner) ? owner[segment] : undefined
  if (!isPlainObject(owner)) return undefined
  if (!Array.isArray(owner[name]) && create) owner[name] = []
  return Array.isArray(owner[name]) ? (owner[name] as unknown[]) : undefined
}

/** The credential fields' keys that the template at `pointer` uses, with where each is declared. */
export function credentialUses(doc: Doc, pointer: string): Array<{ key: string; at: string }> {
  let value: unknown = doc
  for (const segment of splitPointer(pointer))
    value = Array.isArray(value) ? value[Number(segment)] : isPlainObject(value) ? value[segment] : undefined
  if (typeof value !== 'string') return []
  const used = new Set(parseTemplate(value).parts.flatMap((p) => (typeof p === 'string' ? [] : [p.path[0]!])))
  const found: Array<{ key: string; at: string }> = []
  objects(doc.auth).forEach((method, i) =>
    objects(method.fields).forEach((field, j) => {
      if (typeof field.key === 'string' && used.has(field.key) && !found.some((f) => f.key === field.key))
        found.push({ key: field.key, at: `/auth/${i}/fields/${j}` })
    }),
  )
  return found
}

/**
 * Renames `{{from}}` (with or without filters) to `{{to}}` in every string of the draft but field definitions
 * themselves, and answers how many uses changed. `{{input.from}}`, `{{body.from}}` and literal text stay.
 *
 * @example
 * renameFieldUses(doc, 'sid', 'accountSid') // 2: the test path and a header now say {{accountSid}}
 */
export function renameFieldUses(doc: Doc, from: string, to: string): number {
  let count = 0
  const visit = (value: unknown, inFields: boolean): unknown => {
    if (typeof value === 'string') {
      if (inFields || !value.includes('{{')) return value
      const { parts } = parseTemplate(value)
      let out = value
      // From the end, so earlier offsets stay right.
      for (const part of [...parts].reverse()) {
        if (typeof part === 'string' || part.path.length !== 1 || part.path[0] !== from) continue
        out = out.slice(0, part.start) + part.raw.replace(from, to) + out.slice(part.start + part.raw.length)
        count++
      }
      return out
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const next = visit(item, inFields)
        if (next !== item) value[i] = next
      })
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        // A field's own key, label and default are not templates.
        const next = visit(item, inFields || key === 'fields')
        if (next !== item) (value as Obj)[key] = next
      }
    }
    return value
  }
  visit(doc, false)
  return count
}
