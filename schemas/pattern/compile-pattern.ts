import { RE2JS, RE2JSSyntaxException } from 're2js'
import { LinearDfa } from './dfa.ts'
import { toRe2Syntax, unsupportedConstruct } from './js-syntax.ts'

/**
 * Patterns come from connector definitions anyone may write and run against what anyone enters, on the
 * one event loop. A backtracking engine can take exponential time (`(a+)+$`) or polynomial time
 * (`(.*a){12}`) on a short value, so every pattern runs on RE2, whose time grows with the value's
 * length only. RE2 has no backreferences or lookaround, which is what makes that guarantee possible.
 */

/** Longest pattern source compiled at all; the schema allows 500 characters. */
export const MAX_PATTERN_LENGTH = 1000

/**
 * Largest compiled program. RE2's time is linear in the value, with a factor up to the program's size
 * (when its automaton has too many states and it falls back to simulating the program), so the size is
 * bounded too; `^.{1,255}$` is about 500, the patterns people write are mostly under 100.
 */
export const MAX_PROGRAM_SIZE = 1000

/**
 * Most work one match may take, as program size × value length: every field value (at most 8,192
 * characters) can be checked against every accepted pattern, while a megabyte-long action input
 * checked against a large pattern is refused rather than matched for seconds.
 */
export const MAX_MATCH_COST = 2 ** 23

/** A pattern that runs: in linear time, never throwing. */
export interface ConnectorPattern {
  ok: true
  /** The pattern as written. */
  source: string
  /** Whether the whole value matches, as a field's `pattern` is read. */
  matches(value: string): boolean
  /** Whether some part of the value matches, as JSON Schema's `pattern` is read. */
  test(value: string): boolean
}

/** A pattern that does not run, and why, in words that follow "the pattern …". */
export interface PatternRefusal {
  ok: false
  source: string
  /** `regex` when it is no regular expression at all, `regexUnsupported` when RE2 cannot run it. */
  keyword: 'regex' | 'regexUnsupported'
  reason: string
}

const WHY = 'patterns run on a linear-time engine (RE2 syntax), without backreferences or lookaround'
const cache = new Map<string, ConnectorPattern | PatternRefusal>()
const CACHE_SIZE = 500

/**
 * Compiles a connector-supplied pattern (JavaScript syntax, as JSON Schema's `pattern`) for RE2, or says
 * why it cannot run. Kept in a small cache: the same few patterns are checked on every request.
 *
 * @example
 * const pattern = compilePattern('^[a-z0-9-]+$')
 * if (pattern.ok) pattern.matches('acme') // true
 * compilePattern('(a)\\1') // { ok: false, keyword: 'regexUnsupported', reason: 'uses a backreference (\\1, \\k<name>): …' }
 */
export function compilePattern(source: string): ConnectorPattern | PatternRefusal {
  let compiled = cache.get(source)
  if (compiled) {
    // Refreshed on use, so the oldest entry is the one dropped.
    cache.delete(source)
  } else {
    compiled = compile(source)
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!)
  }
  cache.set(source, compiled)
  return compiled
}

function compile(source: string): ConnectorPattern | PatternRefusal {
  const refuse = (keyword: PatternRefusal['keyword'], reason: string): PatternRefusal => ({ ok: false, source, keyword, reason })
  if (source.length > MAX_PATTERN_LENGTH) return refuse('regexUnsupported', `is longer than ${MAX_PATTERN_LENGTH} characters`)
  try {
    // Only parsed, never run: the syntax people write must also mean something to JSON Schema tools.
    new RegExp(source, 'u')
  } catch {
    return refuse('regex', 'is not a valid regular expression')
  }
  const construct = unsupportedConstruct(source)
  if (construct === 'backreference')
    return refuse('regexUnsupported', `uses a backreference (\\1, \\k<name>), which is not supported: ${WHY}`)
  if (construct === 'lookaround')
    return refuse('regexUnsupported', `uses lookaround ((?=…), (?!…), (?<=…), (?<!…)), which is not supported: ${WHY}`)
  let re2: RE2JS
  try {
    re2 = RE2JS.compile(toRe2Syntax(source))
  } catch (error) {
    if (!(error instanceof RE2JSSyntaxException)) throw error
    return refuse('regexUnsupported', re2Reason(error))
  }
  const size = re2.programSize()
  if (size > MAX_PROGRAM_SIZE) {
    return refuse(
      'regexUnsupported',
      `is too large once its repetitions are expanded (${size} steps, at most ${MAX_PROGRAM_SIZE}): use smaller counts in {n,m}, ` +
        `since ${WHY}`,
    )
  }
  // Too long a value for this program is refused as not matching: fail closed, never slow.
  const affordable = (value: string) => value.length * size <= MAX_MATCH_COST
  // RE2's answers, from a table per character once built; RE2 itself answers what the tables cannot.
  let exact: LinearDfa | undefined | null = null
  let anywhere: LinearDfa | undefined | null = null
  return {
    ok: true,
    source,
    matches: (value) => {
      if (!affordable(value)) return false
      if (exact === null) exact = LinearDfa.of(re2, true)
      return exact?.run(value) ?? re2.testExact(value)
    },
    test: (value) => {
      if (!affordable(value)) return false
      if (anywhere === null) anywhere = LinearDfa.of(re2, false)
      return anywhere?.run(value) ?? re2.test(value)
    },
  }
}

function re2Reason(error: RE2JSSyntaxException): string {
  const what = error.getDescription()
  if (what === 'invalid repeat count')
    return `repeats something more than 1000 times (counts multiply when nested), which is not supported: ${WHY}`
  const where = error.getPattern()
  return `uses ${where ? `"${where}"` : 'syntax'} that RE2 does not support (${what}): ${WHY}`
}
