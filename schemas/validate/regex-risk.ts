/**
 * Patterns from connector definitions run against what people type, on the runtime's one event loop.
 * A pattern with catastrophic backtracking (`(a+)+`, `(a|a)*`, `(\w+\s?)*`) can stall it for seconds
 * on a short input, so such shapes are refused: a group repeated without bound that contains an
 * unbounded repetition or alternatives — unless each round must start with a fixed character
 * (`(\.[a-z0-9-]+)*`, the usual domain pattern), which usually leaves one way to split the input.
 * A heuristic, tuned to refuse the classic shapes without refusing the patterns people write.
 *
 * @example
 * backtrackingRisk('^[a-z0-9-]+(\\.[a-z0-9-]+)*$') // undefined
 * backtrackingRisk('(a+)+$')                      // 'a repeated group contains a repetition, like (a+)+'
 */
export function backtrackingRisk(pattern: string): string | undefined {
  interface Group { repeats: boolean; alternation: boolean; fixedStart: boolean | undefined }
  const stack: Group[] = []
  let closed: Group | undefined
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    const top = stack.at(-1)
    const quantifier = readQuantifier(pattern, i)
    if (quantifier) {
      const group = closed
      if (group && quantifier.unbounded) {
        if (group.repeats && !group.fixedStart) return 'a repeated group contains a repetition, like (a+)+'
        if (group.alternation) return 'a repeated group contains alternatives, like (a|ab)*'
      }
      if (top) {
        if (quantifier.unbounded) top.repeats = true
        // A quantified first token is no fixed start: `(a+b)*` can begin a round in many places.
        if (top.fixedStart === true && stack.length > 0 && firstTokenJustRead(top)) top.fixedStart = false
      }
      i += quantifier.length - 1
      closed = undefined
      continue
    }
    closed = undefined
    if (top && top.fixedStart === undefined && c !== '(' && c !== '|') {
      // A fixed character: a literal or an escaped one, not a class (`\d`, `[…]`, `.`) or an anchor.
      top.fixedStart = c === '\\' ? !/[dDwWsSbBpP]/.test(pattern[i + 1] ?? '') : !'.[^$'.includes(c)
      firstToken.set(top, true)
    } else if (top) {
      firstToken.set(top, false)
    }
    if (c === '\\') {
      i++
    } else if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++
    } else if (c === '(') {
      if (top && top.fixedStart === undefined) top.fixedStart = false
      stack.push({ repeats: false, alternation: false, fixedStart: undefined })
      // `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>` open groups; their `?` is no quantifier.
      const prefix = /^\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(pattern.slice(i + 1))
      if (prefix) i += prefix[0].length
    } else if (c === ')') {
      closed = stack.pop()
      if (closed && stack.at(-1)) {
        const parent = stack.at(-1)!
        if (closed.repeats) parent.repeats = true
        if (closed.alternation) parent.alternation = true
      }
    } else if (c === '|') {
      if (top) {
        top.alternation = true
        top.fixedStart = false
      }
    }
  }
  return undefined
}

const firstToken = new WeakMap<object, boolean>()
function firstTokenJustRead(group: object): boolean {
  return firstToken.get(group) === true
}

function readQuantifier(pattern: string, i: number): { length: number; unbounded: boolean } | undefined {
  const c = pattern[i]
  let length = 0
  let unbounded = false
  if (c === '*' || c === '+') [length, unbounded] = [1, true]
  else if (c === '?') length = 1
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i))
    if (!m) return undefined
    length = m[0].length
    unbounded = m[2] !== undefined && m[3] === ''
  } else return undefined
  if (pattern[i + length] === '?') length++ // lazy
  return { length, unbounded }
}
