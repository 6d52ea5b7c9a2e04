import { isMap, isScalar, LineCounter, parseDocument, visit, YAMLParseError } from 'yaml'
import { FileProblem, readTextFile } from '../../platform/files/index.ts'

/**
 * Reads and parses a YAML file; a syntax error names the line and column.
 *
 * @example
 * const catalogue = await readYamlFile('providers.yaml')
 */
export async function readYamlFile(file: string): Promise<unknown> {
  return parseYaml(await readTextFile(file))
}

/**
 * Parses YAML with an error that says where, in the same shape as malformed JSON. Duplicate keys are
 * errors too; they are found here with a set per mapping, because `yaml`'s own check compares every
 * key with every other and takes seconds on a catalogue of a thousand entries.
 *
 * @example
 * parseYaml('a: [1,\n') // throws FileProblem('malformed YAML at line 2, column 1: …')
 */
export function parseYaml(text: string): unknown {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter })
  const [error] = doc.errors
  if (error) throw problem(error.message, error instanceof YAMLParseError ? error.linePos?.[0] : undefined, error)
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return
      const seen = new Set<unknown>()
      for (const { key } of map.items) {
        const value = isScalar(key) ? key.value : key
        if (seen.has(value))
          throw problem(
            `the key "${String(value)}" appears twice`,
            isScalar(key) && key.range ? lineCounter.linePos(key.range[0]) : undefined,
          )
        seen.add(value)
      }
    },
  })
  try {
    return doc.toJS()
  } catch (error) {
    // Aliases are resolved here: an unknown anchor, or too many aliases (a "billion laughs" document).
    throw problem(error instanceof Error ? error.message : String(error), undefined, error instanceof Error ? error : undefined)
  }
}

function problem(message: string, at: { line: number; col: number } | undefined, cause?: Error): FileProblem {
  const what = message.split(/ at line \d+, column \d+/)[0] ?? message
  return new FileProblem(`malformed YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${what}`, cause ? { cause } : undefined)
}
