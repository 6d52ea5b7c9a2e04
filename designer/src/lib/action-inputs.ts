import type { ActionInput, InputProperty } from '../../../schemas/types/connector.ts'
import { ApiError } from './api.ts'

/** How one input is entered: the control the form renders for it. */
export type InputKind = 'text' | 'textarea' | 'number' | 'checkbox' | 'select' | 'list' | 'json'

/** What the form holds while a person types: text for every control but checkboxes. */
export type InputDrafts = Record<string, string | boolean>

/**
 * The control for an input property, from its `type`, `enum` and `format`.
 *
 * @example
 * inputKind({ type: 'string', format: 'multiline' }) // 'textarea'
 * inputKind({ type: 'array' })                       // 'list'
 */
export function inputKind(property: InputProperty): InputKind {
  if (property.enum) return 'select'
  switch (property.type) {
    case 'string':
      return property.format === 'multiline' ? 'textarea' : 'text'
    case 'number':
    case 'integer':
      return 'number'
    case 'boolean':
      return 'checkbox'
    case 'array':
      return 'list'
    default:
      return 'json'
  }
}

/** The properties of an action's input schema in order, each with its key and whether it is required. */
export function inputProperties(schema: ActionInput | undefined): Array<{ key: string; property: InputProperty; required: boolean }> {
  return Object.entries(schema?.properties ?? {}).flatMap(([key, property]) =>
    property ? [{ key, property, required: schema?.required?.includes(key) ?? false }] : [],
  )
}

/**
 * The form's starting drafts: each input's `default`, written the way its control shows it.
 *
 * @example
 * initialDrafts({ type: 'object', properties: { labels: { type: 'array', default: ['a', 'b'] } } }) // { labels: 'a, b' }
 */
export function initialDrafts(schema: ActionInput | undefined): InputDrafts {
  const out: InputDrafts = {}
  for (const { key, property } of inputProperties(schema)) {
    const kind = inputKind(property)
    const value = property.default
    if (kind === 'checkbox') out[key] = value === true
    else if (value === undefined) out[key] = ''
    else if (kind === 'list' && Array.isArray(value)) out[key] = value.join(', ')
    else if (kind === 'json') out[key] = JSON.stringify(value, null, 2)
    else out[key] = String(value)
  }
  return out
}

/**
 * The inputs to send, typed from the drafts; empty optional ones are left out so the action's defaults
 * apply. What cannot be read (bad JSON, a word in a number) is an error at that input, sent nowhere.
 *
 * @example
 * toInputs(schema, { title: 'Hi', labels: 'bug, ui', count: '3' })
 * // { inputs: { title: 'Hi', labels: ['bug', 'ui'], count: 3 }, errors: {} }
 */
export function toInputs(
  schema: ActionInput | undefined,
  drafts: InputDrafts,
): { inputs: Record<string, unknown>; errors: Record<string, string> } {
  const inputs: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const { key, property } of inputProperties(schema)) {
    const kind = inputKind(property)
    const draft = drafts[key]
    if (kind === 'checkbox') {
      inputs[key] = draft === true
      continue
    }
    const text = typeof draft === 'string' ? draft : ''
    if (text.trim() === '') continue
    if (kind === 'select') inputs[key] = property.enum?.find((option) => String(option) === text) ?? text
    else if (kind === 'number') {
      const n = Number(text)
      if (Number.isFinite(n)) inputs[key] = n
      else errors[key] = 'Enter a number.'
    } else if (kind === 'list')
      inputs[key] = text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean)
    else if (kind === 'json') {
      try {
        inputs[key] = JSON.parse(text)
      } catch {
        errors[key] = 'This is not valid JSON.'
      }
    } else inputs[key] = text
  }
  return { inputs, errors }
}

/**
 * The runtime's `invalid_inputs` problems by input: `/inputs/labels/0` → `labels`. Problems about the
 * inputs as a whole are under `''`.
 *
 * @example
 * errorsByInput(error) // { title: 'inputs.title is required' }
 */
export function errorsByInput(error: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!(error instanceof ApiError)) return out
  for (const problem of error.problems) {
    const match = /^\/inputs(?:\/([^/]*))?/.exec(problem.path)
    if (!match) continue
    const key = (match[1] ?? '').replace(/~1/g, '/').replace(/~0/g, '~')
    out[key] ??= problem.message
  }
  return out
}
