import { describe, expect, it } from 'vitest'
import { backtrackingRisk } from '../../schemas/validate/regex-risk.ts'
import { validateConnector } from '../../schemas/validate/index.ts'

describe('backtrackingRisk', () => {
  it.each(['^[a-z0-9-]+$', '^[^@]+@[^@]+$', '\\d{3}-\\d{4}', '^(us|eu)$', '^([a-z]{2})?$', '^(ab){1,3}$', '^(?:abc)+$', '^(?<year>\\d{4})-(?:\\d{2})$', '[(a+)+]', '^[a-z0-9_-]+(\\.[a-z0-9_-]+)*$', '^api(?:\\.[a-z0-9-]+)*\\.crowdstrike\\.(?:com|mil)$', '^(?:[A-Za-z0-9+\\/]{4})*$', '^https://[^\\s]+( https://[^\\s]+)*$', '\\(a+\\)+'])('accepts %s', (pattern) => {
    expect(backtrackingRisk(pattern)).toBeUndefined()
  })
  it.each(['(a+)+$', '(a|a)*', '^(\\w+\\s?)*$', '(x*){2,}', '((ab)*)+', '(?:a|ab)+c', '(a+b)*', '(\\d+)*x'])('refuses %s', (pattern) => {
    expect(backtrackingRisk(pattern)).toBeDefined()
  })
  it('reports a risky field pattern at its path, so no default or value is ever run through it', () => {
    const started = performance.now()
    const { errors } = validateConnector({
      id: 'acme', name: 'Acme', baseUrl: 'https://api.acme.test', test: { path: '/me' },
      auth: [{ type: 'bearer', id: 't', token: '{{token}}', fields: [{ key: 'token', label: 'Token', type: 'text', pattern: '(a|a)*', default: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' }] }],
    })
    expect(errors.map((e) => [e.path, e.keyword])).toContainEqual(['/auth/0/fields/0/pattern', 'regexRisk'])
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
