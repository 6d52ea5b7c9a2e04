import { readFile } from 'node:fs/promises'
import { parseJsonText } from '../../../schemas/json-text/index.ts'

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
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String(code ?? error)
    throw new FileProblem(`cannot read the file: ${why}`)
  }
}

/**
 * `JSON.parse` with an error that says line and column instead of a character offset.
 *
 * @example
 * parseJson('{"a": }') // throws FileProblem('malformed JSON at line 1, column 7: unexpected "}"')
 */
export function parseJson(text: string): unknown {
  const parsed = parseJsonText(text)
  if (parsed.ok) return parsed.value
  const { line, column, found } = parsed.problem
  throw new FileProblem(`malformed JSON at line ${line}, column ${column}: ${found}`)
}
