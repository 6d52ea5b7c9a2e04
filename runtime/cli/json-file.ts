import { readFile } from 'node:fs/promises'
import { jsonErrorOffset } from './json-position.ts'

/** A file that could not be read or parsed, with a message that says where. */
export class FileProblem extends Error {
  override readonly name = 'FileProblem'
}

/**
 * Reads and parses a JSON file; a syntax error names the line and column.
 *
 * @example
 * const doc = await readJsonFile('connectors/github.json')
 */
export async function readJsonFile(file: string): Promise<unknown> {
  return parseJson(await readTextFile(file))
}

/**
 * Reads a UTF-8 file; failing, a {@link FileProblem} that says why in plain words.
 *
 * @example
 * const text = await readTextFile('providers.yaml')
 */
export async function readTextFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? error)
    throw new FileProblem(`cannot read the file: ${why}`)
  }
}

/**
 * `JSON.parse` with an error that says line and column instead of a character offset.
 *
 * @example
 * parseJson('{"a": }') // throws FileProblem('malformed JSON at line 1, column 7: Unexpected token …')
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (error) {
    const offset = jsonErrorOffset(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    const at = lineColumn(text, Math.max(offset, 0))
    const found = offset >= text.length ? 'the text ends too early' : `unexpected ${describe(text[offset]!)}`
    throw new FileProblem(`malformed JSON at line ${at.line}, column ${at.column}: ${found}`, { cause: error })
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}

function describe(char: string): string {
  return /\s/.test(char) ? 'whitespace' : `"${char}"`
}
