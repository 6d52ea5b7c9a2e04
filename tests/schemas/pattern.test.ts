import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compilePattern, MAX_MATCH_COST, re2RegExp } from '../../schemas/pattern/index.ts'
import { compileSchema, validateConnector } from '../../schemas/validate/index.ts'

const compiled = (source: string) => {
  const pattern = compilePattern(source)
  if (!pattern.ok) throw new Error(`${source} ${pattern.reason}`)
  return pattern
}

describe('compilePattern', () => {
  it.each([
    '^[a-z0-9-]+$',
    '^[^@]+@[^@]+$',
    '\\d{3}-\\d{4}',
    '^(us|eu)$',
    '^([a-z]{2})?$',
    '^(ab){1,3}$',
    '^(?:abc)+$',
    '^(?<year>\\d{4})-(?:\\d{2})$',
    '[(a+)+]',
    '^[a-z0-9_-]+(\\.[a-z0-9_-]+)*$',
    '^(?:[A-Za-z0-9+\\/]{4})*$',
    '^\\p{L}+$',
    '^\\p{Lu}\\P{Lu}*$',
    '^\\p{Script=Greek}+$',
    '\\p{sc=Latin}',
    '\\P{Letter}',
    '\\p{gc=Nd}',
    '[\\s\\S]',
    '^[\\x21-\\x7E]+$',
    '^[^\\u0000-\\u001f\\u007f]+$',
    '\\u{1F600}',
    // Shapes a backtracking engine stalls on run in linear time here, so they are no longer refused.
    '(a+)+$',
    '(a|a)*',
    '^(\\w+\\s?)*$',
    '(x*){2,}',
    '(.*a){12}',
    '\\p{L}+\\p{L}+$',
  ])('runs %s', (source) => {
    expect(compilePattern(source).ok).toBe(true)
  })

  it.each([
    ['(a)\\1', 'regexUnsupported', 'backreference'],
    ['(?<x>a)\\k<x>', 'regexUnsupported', 'backreference'],
    ['^(?=.*\\d)[a-z\\d]+$', 'regexUnsupported', 'lookaround'],
    ['^(?!admin)', 'regexUnsupported', 'lookaround'],
    ['(?<=@)x', 'regexUnsupported', 'lookaround'],
    ['(?<!@)x', 'regexUnsupported', 'lookaround'],
    ['(a{100}){100}', 'regexUnsupported', 'more than 1000 times'],
    ['.{1,600}.{1,600}', 'regexUnsupported', 'too large'],
    ['a'.repeat(1001), 'regexUnsupported', 'longer than 1000'],
    ['\\p{Script_Extensions=Greek}', 'regexUnsupported', 'RE2'],
    ['([a-z]+', 'regex', 'not a valid regular expression'],
    ['a)|(b', 'regex', 'not a valid regular expression'],
    ['a{,5}', 'regex', 'not a valid regular expression'],
  ])('refuses %s (%s)', (source, keyword, words) => {
    const pattern = compilePattern(source)
    expect(pattern.ok).toBe(false)
    if (pattern.ok) return
    expect(pattern.keyword).toBe(keyword)
    expect(pattern.reason).toContain(words)
  })

  it('does not mistake escaped characters and classes for backreferences or lookaround', () => {
    for (const source of ['\\\\1', '[(?=]x', '\\(?=a\\)']) expect(compilePattern(source).ok, source).toBe(true)
  })

  it('reads \\u escapes, surrogate pairs and \\u{…} as the code points they name', () => {
    expect(compiled('^\\u0041\\u{42}$').matches('AB')).toBe(true)
    expect(compiled('^\\uD83D\\uDE00$').matches('😀')).toBe(true)
    expect(compiled('^[^\\u0000-\\u001f]+$').matches('a\tb')).toBe(false)
    expect(compiled('^\\\\u0041$').matches('\\u0041')).toBe(true)
  })

  it('matches a field value whole and a schema pattern anywhere, like JavaScript does', () => {
    const samples = [
      '',
      'a',
      'ab',
      'acme',
      'acme-eu',
      'ACME',
      'x-1',
      'é',
      'ghp_abc123',
      'pat-na1-0f',
      '2024-01-31',
      'a b',
      '😀',
      'sk_test_X9',
      'Ωμέγα',
      'ΩΜ',
      '٣',
    ]
    const sources = [
      ...builtInPatterns(),
      'a|b',
      '^a|b$',
      '(?:)',
      'b*',
      '^\\S+$',
      '\\d',
      '^\\p{L}+$',
      '^.$',
      '^\\p{Script=Greek}+$',
      '\\p{sc=Latin}',
      '^\\P{Letter}*$',
      '\\p{General_Category=Decimal_Number}',
      '[\\p{Uppercase_Letter}\\d]',
    ]
    for (const source of sources) {
      const whole = new RegExp(`^(?:${source})$`, 'u')
      const anywhere = new RegExp(source, 'u')
      for (const value of samples) {
        expect(compiled(source).matches(value), `${source} whole on "${value}"`).toBe(whole.test(value))
        expect(compiled(source).test(value), `${source} anywhere on "${value}"`).toBe(anywhere.test(value))
      }
    }
  })

  it('refuses a value longer than the pattern can be checked against in bounded time, instead of matching it', () => {
    const big = compiled('^[a-z]{1,400}$|^x+$')
    expect(big.matches('x'.repeat(1000))).toBe(true)
    expect(big.matches('x'.repeat(MAX_MATCH_COST / 100))).toBe(false)
  })

  it('gives ajv an engine that tells patterns apart and refuses what RE2 cannot run', () => {
    const validate = compileSchema({
      type: 'object',
      properties: { a: { type: 'string', pattern: '^a+$' }, b: { type: 'string', pattern: '^b+$' } },
    })
    expect(validate({ a: 'aa', b: 'bb' })).toBe(true)
    expect(validate({ a: 'bb', b: 'aa' })).toBe(false)
    expect(() => re2RegExp('(?=a)')).toThrow(/lookaround/)
  })
})

describe('the validator', () => {
  it('reports a pattern RE2 cannot run at its path, quickly, so no default or value is ever run through it', () => {
    const started = performance.now()
    const { errors } = validateConnector({
      id: 'acme',
      name: 'Acme',
      baseUrl: 'https://api.acme.test',
      test: { path: '/me' },
      auth: [
        {
          type: 'bearer',
          id: 't',
          token: '{{token}}',
          fields: [{ key: 'token', label: 'Token', type: 'text', pattern: '^(a)\\1*$', default: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' }],
        },
      ],
    })
    expect(errors.map((e) => [e.path, e.keyword])).toEqual([['/auth/0/fields/0/pattern', 'regexUnsupported']])
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('checks a default against a polynomial pattern in linear time', () => {
    const { errors } = validateConnector({
      id: 'acme',
      name: 'Acme',
      baseUrl: 'https://api.acme.test',
      test: { path: '/me' },
      auth: [
        {
          type: 'bearer',
          id: 't',
          token: '{{token}}',
          fields: [{ key: 'token', label: 'Token', type: 'text', pattern: '(.*a){12}', default: `${'a'.repeat(5000)}!` }],
        },
      ],
    })
    expect(errors.map((e) => [e.path, e.keyword])).toEqual([['/auth/0/fields/0/default', 'defaultPattern']])
  })
})

/** Every field and input pattern of the built-in connectors. */
function builtInPatterns(): string[] {
  const dir = new URL('../../connectors/', import.meta.url)
  const found = new Set<string>()
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'pattern' && typeof value === 'string') found.add(value)
        else walk(value)
      }
    }
  }
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) walk(JSON.parse(readFileSync(new URL(name, dir), 'utf8')))
  expect(found.size).toBeGreaterThan(10)
  return [...found]
}
