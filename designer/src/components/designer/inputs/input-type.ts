/**
 * An action input's type change: what only the old type could say goes (a string's format, a number's
 * bounds), what the new type needs comes (an array's items); every other key stays.
 */
import type { Obj } from '../../../lib/draft-doc.ts'

const ONLY: Record<string, string[]> = {
  string: ['format', 'minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum'],
  integer: ['minimum', 'maximum'],
  array: ['items', 'minItems', 'maxItems'],
  object: ['properties', 'required', 'additionalProperties'],
}

/**
 * Sets an input's type.
 *
 * @example
 * const p = { type: 'string', format: 'email', 'x-hint': 1 }
 * setInputType(p, 'array') // p is { type: 'array', 'x-hint': 1, items: { type: 'string' } }
 */
export function setInputType(property: Obj, type: string): void {
  const from = String(property.type ?? '')
  if (from === type) return
  const keep = new Set(ONLY[type] ?? [])
  for (const key of ONLY[from] ?? []) if (!keep.has(key)) delete property[key]
  // Choices and a default were written for the old type.
  if (!(['number', 'integer'].includes(from) && ['number', 'integer'].includes(type))) {
    delete property.enum
    delete property.default
  }
  property.type = type
  if (type === 'array' && !property.items) property.items = { type: 'string' }
  if (type === 'object' && !property.properties) property.properties = {}
}
