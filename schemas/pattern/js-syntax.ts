/**
 * Patterns are written in the JavaScript syntax JSON Schema names (ECMA-262, `u` flag) and run on RE2.
 * The two agree on the escapes people use, except that RE2 spells code points `\x{…}` and Unicode
 * properties by their short value only: this rewrites `\uXXXX`, surrogate pairs and `\u{…}` that way,
 * `\p{Script=Greek}` as `\p{Greek}` and `\p{Letter}` as `\p{L}`, and leaves everything else as it is.
 *
 * @example
 * toRe2Syntax('^[^\\u0000-\\u001f]+$') // '^[^\\x{0}-\\x{1f}]+$'
 * toRe2Syntax('\\p{sc=Greek}+')          // '\\p{Greek}+'
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
    const property = escape ? undefined : propertyEscape(source, i)
    if (escape) {
      out += `\\x{${escape.codePoint.toString(16)}}`
      i += escape.length - 1
    } else if (property) {
      out += property.text
      i += property.length - 1
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

/** General categories by their long names, which JavaScript takes and RE2 does not. */
const CATEGORIES: Record<string, string> = {
  Letter: 'L',
  Cased_Letter: 'LC',
  Uppercase_Letter: 'Lu',
  Lowercase_Letter: 'Ll',
  Titlecase_Letter: 'Lt',
  Modifier_Letter: 'Lm',
  Other_Letter: 'Lo',
  Mark: 'M',
  Nonspacing_Mark: 'Mn',
  Spacing_Mark: 'Mc',
  Enclosing_Mark: 'Me',
  Number: 'N',
  Decimal_Number: 'Nd',
  Letter_Number: 'Nl',
  Other_Number: 'No',
  Punctuation: 'P',
  Connector_Punctuation: 'Pc',
  Dash_Punctuation: 'Pd',
  Open_Punctuation: 'Ps',
  Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi',
  Final_Punctuation: 'Pf',
  Other_Punctuation: 'Po',
  Symbol: 'S',
  Math_Symbol: 'Sm',
  Currency_Symbol: 'Sc',
  Modifier_Symbol: 'Sk',
  Other_Symbol: 'So',
  Separator: 'Z',
  Space_Separator: 'Zs',
  Line_Separator: 'Zl',
  Paragraph_Separator: 'Zp',
  Other: 'C',
  Control: 'Cc',
  Format: 'Cf',
  Surrogate: 'Cs',
  Private_Use: 'Co',
  Unassigned: 'Cn',
}

function propertyEscape(source: string, at: number): { text: string; length: number } | undefined {
  const match = /^\\([pP])\{(?:(Script|sc|General_Category|gc)=)?([A-Za-z_]+)\}/.exec(source.slice(at, at + 64))
  if (!match) return undefined
  const [whole, p, key, value] = match as unknown as [string, string, string | undefined, string]
  // Script_Extensions (scx) is a different set from Script, which is all RE2 knows: left for RE2 to refuse.
  const name = key === 'Script' || key === 'sc' ? value : (CATEGORIES[value] ?? value)
  return { text: `\\${p}{${name}}`, length: whole.length }
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
