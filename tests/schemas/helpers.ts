import { readdirSync, readFileSync } from 'node:fs'
import { readablePath, splitPointer, type ValidationProblem } from '../../schemas/validate/index.ts'

/** One expected problem of an invalid fixture; `message` is a part the message must contain. */
export interface ExpectedProblem {
  path: string
  keyword: string
  message?: string
}

export interface ValidFixture {
  name: string
  description: string
  connector: unknown
  /** When given, exactly these warning paths (in any order). */
  warnings?: string[]
}

export interface InvalidFixture {
  name: string
  description: string
  expect: ExpectedProblem[]
  /** The expected problems are all the errors there are. */
  only?: boolean
  /** Text from the document that no message may repeat (secrets, injected header lines). */
  notInMessages?: string[]
  connector: unknown
}

const FIXTURES = new URL('./fixtures/', import.meta.url)

/**
 * The fixtures of one kind, sorted by file name; the name is the file name without `.json`.
 *
 * @example
 * loadFixtures<ValidFixture>('valid')[0].connector
 */
export function loadFixtures<T extends { name: string }>(kind: 'valid' | 'invalid'): T[] {
  const dir = new URL(`${kind}/`, FIXTURES)
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.slice(0, -'.json'.length), ...JSON.parse(readFileSync(new URL(file, dir), 'utf8')) }) as T)
}

/**
 * Follows a JSON pointer (RFC 6901) through a document, own properties only: `found` is false when
 * some segment does not exist (an array index must be a canonical number within the array).
 *
 * @example
 * resolvePointer({ a: [1] }, '/a/0') // { found: true, value: 1 }
 */
export function resolvePointer(doc: unknown, path: string): { found: boolean; value?: unknown } {
  let value = doc
  for (const segment of splitPointer(path)) {
    if (Array.isArray(value)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment) || Number(segment) >= value.length) return { found: false }
      value = value[Number(segment)]
    } else if (typeof value === 'object' && value !== null && Object.hasOwn(value, segment)) {
      value = (value as Record<string, unknown>)[segment]
    } else {
      return { found: false }
    }
  }
  return { found: true, value }
}

/** The pointer one level up (`""` stays `""`). */
export function parentPointer(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf('/'), 0))
}

/** ajv's own wording and JavaScript's placeholders for values it could not print. */
export const LEAKS = ['must NOT', '#/', 'instancePath', 'schemaPath', '[object Object]', 'undefined', 'NaN']

/**
 * Why a problem's message does not read as plain words, or undefined when it does: it must start with
 * the readable form of its path (or of the parent, for a missing or unknown key) and contain none of
 * `leaks`. Random documents may spell "undefined" themselves; they pass a shorter list.
 *
 * @example
 * unreadable({ path: '/auth/0/id', keyword: 'pattern', message: 'auth[0].id is not valid: …' }) // undefined
 */
export function unreadable(problem: ValidationProblem, leaks: readonly string[] = LEAKS): string | undefined {
  const { path, message } = problem
  if (message.trim() === '') return 'the message is empty'
  const starts = [readablePath(path), readablePath(parentPointer(path))]
  if (!starts.some((start) => message.startsWith(start))) return `the message does not start with ${starts.join(' or ')}`
  for (const leak of leaks) {
    if (message.includes(leak)) return `the message contains "${leak}"`
  }
  return undefined
}
