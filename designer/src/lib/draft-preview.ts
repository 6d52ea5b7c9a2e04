/**
 * The draft as the connection form sees it. A draft being edited can be half-made (two fields with the
 * same key, a method without an id); the preview shows the parts that make sense instead of failing.
 */

import { EDITABLE_AUTH, type Obj, objects } from './draft-doc.ts'
import type { Doc } from './draft-sync.ts'
import type { Connector, FieldValue } from './types.ts'

const FIELD_TYPES = ['text', 'secret', 'url', 'select', 'number', 'boolean']

function cleanFields(list: unknown, taken: Set<string>): Obj[] {
  const out: Obj[] = []
  for (const field of objects(list)) {
    if (typeof field.key !== 'string' || field.key === '' || taken.has(field.key)) continue
    taken.add(field.key)
    const seen = new Set<string>()
    const options = objects(field.options)
      .filter((o) => typeof o.value === 'string' && !seen.has(o.value) && seen.add(o.value))
      .map((o) => ({ value: o.value, label: typeof o.label === 'string' && o.label ? o.label : o.value }))
    out.push({
      ...field,
      label: typeof field.label === 'string' && field.label ? field.label : field.key,
      type: FIELD_TYPES.includes(field.type as string) ? field.type : 'text',
      required: field.required === true,
      ...(field.type === 'select' ? { options } : {}),
    })
  }
  return out
}

/**
 * A connector the connection form can render from any draft: fields with unique keys, methods with
 * unique ids and a known type.
 *
 * @example
 * previewConnector({ name: 'Acme', auth: [{ type: 'bearer', id: 't', fields: [{ key: 'token', label: 'Token', type: 'secret' }] }] })
 */
export function previewConnector(doc: Doc): Connector {
  const connectorKeys = new Set<string>()
  const fields = cleanFields(doc.fields, connectorKeys)
  const ids = new Set<string>()
  const auth = objects(doc.auth)
    .filter((m) => typeof m.id === 'string' && m.id !== '' && !ids.has(m.id) && ids.add(m.id))
    .filter((m) => [...EDITABLE_AUTH, 'oauth2'].includes(m.type as never))
    .map((m) => ({ ...m, fields: cleanFields(m.fields, new Set(connectorKeys)) }))
  return {
    ...doc,
    id: typeof doc.id === 'string' && doc.id ? doc.id : 'draft',
    name: typeof doc.name === 'string' && doc.name ? doc.name : 'this tool',
    baseUrl: typeof doc.baseUrl === 'string' ? doc.baseUrl : '',
    fields,
    auth,
  } as unknown as Connector
}

/**
 * The values a draft test sends: what was typed, without empty inputs (an optional field left empty is
 * absent, as when connecting for real).
 */
export function testValues(values: Record<string, FieldValue | undefined>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {}
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') out[key] = value
  }
  return out
}
