import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseTemplate, renderTemplate } from '../../schemas/template/index.ts'
import { validateConnector } from '../../schemas/validate/index.ts'

const render = (template: string, values: Record<string, unknown>) => renderTemplate(template, ([key]) => values[key!])

describe('template filters', () => {
  it.each([
    ['{{key | after:"-"}}', { key: '0123abcd-us21' }, 'us21'],
    ['{{key | before:"-"}}', { key: '0123abcd-us21' }, '0123abcd'],
    ['{{key | after:"-" | default:"us1"}}', { key: 'nodash' }, 'us1'],
    ['{{email|lower}}', { email: 'Ops@ACME.test' }, 'ops@acme.test'],
    ['{{email | upper}}', { email: 'ops@acme.test' }, 'OPS@ACME.TEST'],
    ['[{{name | trim}}]', { name: '  a b  ' }, '[a b]'],
    ['{{user | base64}}', { user: 'ü:x' }, Buffer.from('ü:x').toString('base64')],
    ['{{user | base64url}}', { user: '\u00ff\u00fe?>' }, Buffer.from('\u00ff\u00fe?>').toString('base64url')],
    ['{{q | urlencode}}', { q: 'a b&c/d' }, 'a%20b%26c%2Fd'],
    ['{{host | replace:".":"-"}}', { host: 'a.b.c' }, 'a-b-c'],
    ['{{x | replace:"\\"":"\'"}}', { x: 'say "hi"' }, "say 'hi'"],
    ['{{x | replace:"|":"/"}}', { x: 'a|b' }, 'a/b'],
    ['{{region | default:"us"}}', {}, 'us'],
    ['{{region | default:"us"}}', { region: '' }, 'us'],
    ['{{region | default:"us"}}', { region: 'eu' }, 'eu'],
    ['{{missing | upper}}', {}, ''],
  ])('%s over %j gives %j', (template, values, expected) => {
    expect(parseTemplate(template).errors).toEqual([])
    expect(render(template, values)).toBe(expected)
  })

  it('escapes a literal {{ and the }} that closes it', () => {
    expect(parseTemplate('\\{{not a placeholder}} and {{x}}').errors).toEqual([])
    expect(render('\\{{not a placeholder}} and {{x}}', { x: 1 })).toBe('{{not a placeholder}} and 1')
    expect(render('a \\{{ b', {})).toBe('a {{ b')
  })

  it.each([
    ['{{x | shout}}', '"shout" is not a filter'],
    ['{{x | after}}', 'filter "after" takes 1 argument: after:"<separator>"'],
    ['{{x | lower:"a"}}', 'filter "lower" takes no arguments'],
    ['{{x | replace:"a"}}', 'filter "replace" takes 2 arguments'],
    ['{{x | after:""}}', 'needs a non-empty separator'],
    ['{{x | }}', 'empty or malformed filter'],
    ['{{ | lower}}', 'filters but no name'],
    ['{{x | after:"-" junk}}', 'not a quoted argument'],
    ['{{x | after:-}}', 'not a quoted argument'],
    ['{{x | constructor}}', '"constructor" is not a filter'],
    ['{{x', 'unclosed'],
    ['x}}', 'stray'],
  ])('%s is refused: %s', (template, message) => {
    const { errors } = parseTemplate(template)
    expect(errors.map((e) => e.message).join('\n')).toContain(message)
  })

  it('never throws, and text without braces or backslashes renders as it is', () => {
    const pieces = fc.constantFrom('{{', '}}', '\\{{', '|', ':', '"', '\\', 'x', ' ', 'lower', 'after:"-"', 'a.b', '{', '}')
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join('')),
        (template) => {
          const { parts } = parseTemplate(template)
          expect(() => renderTemplate(template, () => 'v')).not.toThrow()
          for (const part of parts) if (typeof part !== 'string') expect(part.raw.startsWith('{{')).toBe(true)
        },
      ),
      { numRuns: 2000, seed: 14 },
    )
    fc.assert(
      fc.property(
        fc.string().filter((t) => !/[{}\\]/.test(t)),
        (text) => {
          expect(render(text, {})).toBe(text)
        },
      ),
      { numRuns: 500, seed: 14 },
    )
  })

  it('stays linear on hostile input', () => {
    const started = performance.now()
    parseTemplate(`{{x${' | lower'.repeat(600)}}}`)
    parseTemplate(`{{x | replace:"${'\\\\'.repeat(1500)}`)
    parseTemplate('{{'.repeat(2000))
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('the validator and filters', () => {
  const connector = (overrides: Record<string, unknown>) => ({
    id: 'acme',
    name: 'Acme',
    baseUrl: 'https://{{region|default:"us"}}.acme.example',
    fields: [{ key: 'region', label: 'Region', type: 'text' }],
    auth: [
      {
        type: 'apiKey',
        id: 'key',
        fields: [{ key: 'key', label: 'Key', type: 'secret', required: true }],
        placements: [{ in: 'header', name: 'Authorization', value: 'Basic {{key | trim | base64}}' }],
      },
    ],
    test: { path: '/me' },
    ...overrides,
  })

  it('accepts filters in URLs and on secrets in auth templates', () => {
    const { errors } = validateConnector(connector({}))
    expect(errors).toEqual([])
  })

  it('names an unknown filter at its place', () => {
    const { errors } = validateConnector(connector({ baseUrl: 'https://{{region|shout}}.acme.example' }))
    expect(errors).toEqual([expect.objectContaining({ path: '/baseUrl', keyword: 'templateSyntax' })])
    expect(errors[0]!.message).toContain('"shout" is not a filter; use one of lower, upper')
  })

  it('refuses a filtered secret outside the auth method (it would be shown unmasked)', () => {
    const fields = [
      { key: 'region', label: 'Region', type: 'text' },
      { key: 'signingKey', label: 'Signing key', type: 'secret', required: true },
    ]
    const test = { path: '/me', headers: { 'X-Part': '{{signingKey | before:"-"}}', 'X-Whole': '{{signingKey}}' } }
    const { errors } = validateConnector(connector({ fields, test }))
    expect(errors.map((e) => `${e.path} ${e.keyword}`)).toEqual(['/test/headers/X-Part secretFiltered'])
  })
})
