/**
 * Patterns are written in the JavaScript syntax JSON Schema names (ECMA-262, `u` flag) and run on RE2.
 * The two agree on the escapes people use, except that RE2 spells code points `\x{…}`: this rewrites
 * `\uXXXX`, surrogate pairs and `\u{…}` that way and leaves everything else as it is.
 *
 * @example
 * toRe2Syntax('^[^\\u0000-\\u001f]+$') // '^[^\\x{0}-\\x{1f}]+$'
 */
export function toRe2Syntax(source: string): string {
  let out = ''
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    if (c !== '\\') {
      out += c
      continue
    }
    const escape = codePointEscape(source, i)
    if (escape) {
      out += `\\x{${escape.codePoint.toString(16)}}`
      i += escape.length - 1
    } else {
      // Any other escape is copied whole, so that `\\u0041` stays a backslash and the letters u0041.
      out += c + (source[i + 1] ?? '')
      i++
    }
  }
  return out
}

function codePointEscape(source: string, at: number): { codePoint: number; length: number } | undefined {
  if (source[at + 1] !== 'u') return undefined
  const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(source.slice(at + 2, at + 10))
  if (braced) return { codePoint: parseInt(braced[1]!, 16), length: 2 + braced[0].length }
  const high = hex4(source, at + 2)
  if (high === undefined) return undefined
  // In `u` mode a surrogate pair written as two escapes is one code point, as RE2 needs it.
  const low = source.startsWith('\\u', at + 6) ? hex4(source, at + 8) : undefined
  if (high >= 0xd800 && high <= 0xdbff && low !== undefined && low >= 0xdc00 && low <= 0xdfff) {
    return { codePoint: 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00), length: 12 }
  }
  return { codePoint: high, length: 6 }
}

function hex4(source: string, at: number): number | undefined {
  const digits = source.slice(at, at + 4)
  return /^[0-9A-Fa-f]{4}$/.test(digits) ? parseInt(digits, 16) : undefined
}

/**
 * What RE2 cannot run of a valid JavaScript pattern and people do write: backreferences and lookaround.
 * Classes are skipped (`[(?=]` is three characters), as are escaped characters.
 *
 * @example
 * unsupportedConstruct('(a)\\1')  // 'backreference'
 * unsupportedConstruct('^(?!x)') // 'lookaround'
 */
export function unsupportedConstruct(source: string): 'backreference' | 'lookaround' | undefined {
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    if (c === '\\') {
      const next = source[i + 1] ?? ''
      if (!inClass && (/[1-9]/.test(next) || source.startsWith('k<', i + 1))) return 'backreference'
      i++
    } else if (inClass) {
      if (c === ']') inClass = false
    } else if (c === '[') {
      inClass = true
    } else if (c === '(' && /^\?(=|!|<=|<!)/.test(source.slice(i + 1, i + 4))) {
      return 'lookaround'
    }
  }
  return undefined
}
