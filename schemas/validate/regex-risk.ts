/**
 * Patterns from connector definitions run against what people type, on the runtime's one event loop.
 * A pattern with catastrophic backtracking (`(a+)+`, `(a|a)*`) can stall it for seconds on a short
 * input, so such shapes are refused: a quantified group that itself contains a quantifier or an
 * alternation. Conservative by design — field patterns rarely need either.
 *
 * @example
 * backtrackingRisk('^[a-z0-9-]+$') // undefined
 * backtrackingRisk('(a+)+$')       // 'a quantified group contains a quantifier'
 */
export function backtrackingRisk(pattern: string): string | undefined {
  // Each open group: whether it contains a quantifier or an alternation so far.
  const stack: Array<{ quantifier: boolean; alternation: boolean }> = []
  let last: { quantifier: boolean; alternation: boolean } | undefined
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '\\') {
      i++
      last = undefined
      continue
    }
    if (c === '[') {
      // Skip a character class whole: nothing in it is a quantifier or a group.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++
      last = undefined
      continue
    }
    if (c === '(') {
      stack.push({ quantifier: false, alternation: false })
      // `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>` open groups; their `?` is no quantifier.
      const prefix = /^\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(pattern.slice(i + 1))
      if (prefix) i += prefix[0].length
      last = undefined
      continue
    }
    if (c === ')') {
      last = stack.pop()
      continue
    }
    const top = stack.at(-1)
    if (c === '|') {
      if (top) top.alternation = true
      continue
    }
    const quantifier = c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)))
    if (!quantifier) {
      last = undefined
      continue
    }
    const unbounded = c === '*' || c === '+' || (c === '{' && /^\{\d+,\d*\}/.test(pattern.slice(i)) && !/^\{\d+,\d+\}/.test(pattern.slice(i)))
    if (last && unbounded) {
      if (last.quantifier) return 'a repeated group contains a repetition, like (a+)+'
      if (last.alternation) return 'a repeated group contains alternatives, like (a|ab)*'
    }
    if (top) top.quantifier = true
    last = undefined
  }
  return undefined
}
