/**
 * Reading JSON text with positions: where a text stops being JSON (line, column, what was found), for the CLI,
 * the store loader, the importers and the designer alike. The value itself comes from `JSON.parse`; the
 * position, when it fails, from jsonc-parser's scanner in strict mode (no comments, no trailing commas), so
 * the answer never depends on the wording of one JavaScript engine's message.
 */
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser'

/** Where and why a text is not JSON. Quotes at most one character of the text. */
export interface JsonTextProblem {
  /** 0-based offset into the text. */
  offset: number
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** Plain words: `unexpected ","`, `the text ends too early`. */
  found: string
}

/**
 * Parses JSON text (a leading byte-order mark is ignored), or says where it stops being JSON.
 *
 * @example
 * parseJsonText('{"a": }') // { ok: false, problem: { offset: 6, line: 1, column: 7, found: 'unexpected "}"' } }
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; problem: JsonTextProblem } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  try {
    return { ok: true, value: JSON.parse(body) }
  } catch {
    return { ok: false, problem: jsonTextProblem(text) }
  }
}

/**
 * Where a text that `JSON.parse` refused stops being JSON.
 *
 * @example
 * const { line, column, found } = jsonTextProblem(text)
 */
export function jsonTextProblem(text: string): JsonTextProblem {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const errors: ParseError[] = []
  parse(text.slice(bom), errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
  const first = errors[0]
  let offset = first ? first.offset + bom : text.length
  let found: string
  const code = first && printParseErrorCode(first.error)
  if (first && code && STRING_ERRORS.has(code)) {
    // The scanner names the string; point at the character inside it that is wrong.
    offset = badCharacterIn(text, offset, first.offset + bom + first.length)
    found =
      code === 'InvalidCharacter'
        ? 'a control character inside a string'
        : `an invalid escape ${JSON.stringify(text.slice(offset, offset + 2))}`
  } else if (offset >= text.length || code === 'UnexpectedEndOfString') {
    found = 'the text ends too early'
  } else {
    const char = text[offset]!
    found = `unexpected ${/\s/.test(char) ? 'whitespace' : JSON.stringify(char)}`
  }
  return { offset, ...lineColumn(text, offset), found }
}

const STRING_ERRORS = new Set(['InvalidCharacter', 'InvalidEscapeCharacter', 'InvalidUnicode'])

/** The first control character or bad escape of the string token between `start` (its quote) and `end`. */
function badCharacterIn(text: string, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20) return i
    if (code !== 0x5c) continue
    const next = text[i + 1] ?? ''
    if (next === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : !'"\\/bfnrt'.includes(next)) return i
    i += next === 'u' ? 5 : 1
  }
  return start
}

/**
 * 1-based line and column of an offset.
 *
 * @example
 * lineColumn('{\n  "a": x', 9) // { line: 2, column: 8 }
 */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}
