import { readFileSync } from 'node:fs'
import { RE2JS } from 're2js'
import { describe, expect, it } from 'vitest'
import { LinearDfa } from '../../schemas/pattern/dfa.ts'
import { toRe2Syntax } from '../../schemas/pattern/js-syntax.ts'

/** Every `pattern` and `patternProperties` key of the connector schema: what every validation runs. */
function schemaPatterns(): string[] {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/connector.schema.json', import.meta.url), 'utf8')) as unknown
  const found = new Set<string>()
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'pattern' && typeof value === 'string') found.add(value)
        if (key === 'patternProperties' && typeof value === 'object' && value !== null) for (const p of Object.keys(value)) found.add(p)
        walk(value)
      }
    }
  }
  walk(schema)
  return [...found]
}

const TRICKY = [
  '',
  '^',
  '$',
  '^$',
  'a|^b',
  'a$|b',
  '(?:^|,)x(?:,|$)',
  '(?i)k',
  '(?i)straße',
  '(?i)[a-z]+é',
  '(?s).',
  '.',
  '^.{1,5}$',
  '\\p{Greek}+',
  '\\x{1F600}',
  '^[^a]*$',
  '(a|ab)(c|bcd)(d*)',
  'x*',
  '^(a+)+$',
  '(.*a){3}',
]

const ALPHABET = [
  'a',
  'b',
  'c',
  'd',
  'x',
  'k',
  'K',
  '\u212a',
  'ſ',
  's',
  'ß',
  'é',
  'É',
  'ω',
  'Ω',
  '0',
  '9',
  '-',
  '_',
  '.',
  '/',
  ':',
  '~',
].concat([' ', '\n', '\t', '{', '}', ',', '!', '\u00a0', '\ud83d\ude00', '\ud83d', '\ude00', 'https://', '*.', '%2e', '{{', '}}'])

/** Deterministic values: every short combination would be too many, so a fixed pseudo-random walk. */
function values(count: number): string[] {
  let seed = 20261203
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed % n
  }
  const out = ['', 'apiKey', 'https://api.example.com/v1', 'X-Api-Key', '/user/{{input.owner}}', 'acme-crm', 'a'.repeat(70)]
  while (out.length < count) {
    let value = ''
    for (let n = next(12); n > 0; n--) value += ALPHABET[next(ALPHABET.length)]
    out.push(value)
  }
  return out
}

describe('the lazy DFA over RE2 programs', () => {
  const samples = values(400)

  it.each([...schemaPatterns(), ...TRICKY].map((p) => [p]))('answers as RE2 does for %j', (source) => {
    const re2 = RE2JS.compile(toRe2Syntax(source))
    const exact = LinearDfa.of(re2, true)
    const anywhere = LinearDfa.of(re2, false)
    expect(exact).toBeDefined()
    for (const value of samples) {
      expect(exact!.run(value), `${source} matches ${JSON.stringify(value)}`).toBe(re2.testExact(value))
      expect(anywhere!.run(value), `${source} test ${JSON.stringify(value)}`).toBe(re2.test(value))
    }
  })

  it('leaves word boundaries and multi-line anchors to RE2', () => {
    for (const source of ['\\bfoo\\b', '\\Bx', '(?m)^a$']) {
      expect(LinearDfa.of(RE2JS.compile(source), true)!.run('foo'), source).toBeUndefined()
    }
  })

  it('leaves a value to RE2 once its states would outgrow the budget, and stays out of the way after', () => {
    // A bounded repeat after a wildcard needs a state per position it remembers: far more than the budget allows.
    const re2 = RE2JS.compile('a.{0,400}b.{0,400}c')
    const dfa = LinearDfa.of(re2, false)!
    const value = 'a'.repeat(3000)
    expect(dfa.run(value)).toBeUndefined()
    expect(dfa.run('abc')).toBeUndefined()
    expect(re2.test(value)).toBe(false)
  })
})
