/**
 * The JSON view and the form edit one document. The form edits it in place; the JSON view shows it as
 * text and, while the person types there, keeps their text (formatting, half-typed parts) as long as the
 * document is the one that text produced. Text that does not parse leaves the last good document alone.
 * Plain functions over a state object, so they work on a `$state` proxy and in tests alike.
 */
import { parseJsonText } from '../../../schemas/json-text/index.ts'
import { splitPointer } from '../../../schemas/validate/pointer.ts'

/** A connector document as JSON: possibly invalid, possibly with keys no form models. */
export type Doc = Record<string, unknown>

/** Where a JSON text stops being valid, in words and as a place. */
export interface JsonProblem {
  message: string
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  offset: number
}

/** Text typed into the JSON view, and the document it produced (`base`, canonical JSON). */
export interface JsonEdit {
  text: string
  base: string
  error?: JsonProblem | undefined
}

/** The draft and the JSON view's pending text. */
export interface SyncState {
  doc: Doc
  edit?: JsonEdit | undefined
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; error: JsonProblem }

/**
 * The document as the JSON view and exported files show it.
 *
 * @example
 * formatJson({ id: 'acme' }) // '{\n  "id": "acme"\n}\n'
 */
export function formatJson(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`
}

/** Compact JSON, for comparing documents (unsaved changes, pending text). */
export function canonical(doc: unknown): string {
  return JSON.stringify(doc) ?? ''
}

/**
 * Parses JSON text; a failure says where, with line and column.
 *
 * @example
 * parseJson('{\n  "a": }')
 * // { ok: false, error: { line: 2, column: 8, message: 'Not valid JSON at line 2, column 8: unexpected "}"', … } }
 */
export function parseJson(text: string): ParseResult {
  const parsed = parseJsonText(text)
  if (parsed.ok) return parsed
  const { line, column, offset, found } = parsed.problem
  return { ok: false, error: { message: `Not valid JSON at line ${line}, column ${column}: ${found}`, line, column, offset } }
}

/** A plain JSON object (what a connector document must be). */
export function isPlainObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Applies text typed into the JSON view: when it parses to an object it becomes the document;
 * otherwise the document stays as it was and the problem is kept beside the text.
 *
 * @example
 * const state = { doc: { id: 'a' } }
 * editJson(state, '{"id": "b", "x-notes": "kept"}') // state.doc is now { id: 'b', 'x-notes': 'kept' }
 * editJson(state, '{"id": ') // state.doc unchanged, state.edit.error says line 1, column 8
 */
export function editJson(state: SyncState, text: string): void {
  const parsed = parseJson(text)
  let error: JsonProblem | undefined
  if (!parsed.ok) error = parsed.error
  else if (!isPlainObject(parsed.value)) {
    error = { message: 'A connector is a JSON object: the text must start with { and end with }', line: 1, column: 1, offset: 0 }
  } else state.doc = parsed.value
  state.edit = { text, base: canonical(state.doc), error }
}

/**
 * What the JSON view shows: the person's own text while the document is still the one it produced,
 * else the document freshly formatted (the form changed it since).
 */
export function jsonView(state: SyncState): { text: string; error?: JsonProblem | undefined } {
  const { edit } = state
  if (edit && edit.base === canonical(state.doc)) return { text: edit.text, error: edit.error }
  return { text: formatJson(state.doc) }
}

/**
 * Where the value at `pointer` starts and its line ends in the formatted document; for a pointer to
 * something missing (a required property), the nearest part that exists.
 *
 * @example
 * pointerRange({ auth: [{ id: 'a' }] }, '/auth/0/id') // the range of `"id": "a"` on its line
 */
export function pointerRange(doc: Doc, pointer: string): { start: number; end: number } {
  const text = formatJson(doc)
  const segments = splitPointer(pointer)
  const copy = JSON.parse(canonical(doc)) as Doc
  let parent: unknown
  let node: unknown = copy
  let last: string | undefined
  for (const segment of segments) {
    if (!isPlainObject(node) && !Array.isArray(node)) break
    const next = (node as Record<string, unknown>)[segment]
    if (next === undefined) break
    parent = node
    node = next
    last = segment
  }
  if (parent === undefined || last === undefined) return { start: 0, end: text.indexOf('\n') }
  const marker = `\u0000marker${Math.random().toString(36).slice(2)}`
  ;(parent as Record<string, unknown>)[last] = marker
  const marked = formatJson(copy)
  const at = marked.indexOf(JSON.stringify(marker))
  const lineStart = marked.lastIndexOf('\n', at) + 1
  const start = lineStart + (marked.slice(lineStart, at).length - marked.slice(lineStart, at).trimStart().length)
  const end = text.indexOf('\n', start)
  return { start, end: end < 0 ? text.length : end }
}
