import { describe, expect, it } from 'vitest'
import { validateConnector } from '../../schemas/validate/index.ts'

// Cases found by the property tests that are too big to keep as fixture files.

const connector = (extra: object) => ({
  id: 'acme',
  name: 'Acme',
  baseUrl: 'https://{{sub}}.acme.example',
  auth: [{ type: 'bearer', id: 'token', fields: [{ key: 'token', label: 'Token', type: 'secret' }], token: '{{token}}' }],
  test: { path: '/me' },
  ...extra,
})

describe('patterns too long to compile', () => {
  // `new RegExp` accepts a 40,000-character pattern, and RE2 would compile it in a noticeable while.
  const huge = 'a'.repeat(40_000)

  it('a field pattern with a default is reported, not thrown', () => {
    const { errors } = validateConnector(connector({ fields: [{ key: 'sub', label: 'Sub', type: 'text', pattern: huge, default: 'a' }] }))
    expect(errors.map((e) => [e.path, e.keyword])).toEqual([
      ['/fields/0/pattern', 'maxLength'],
      ['/fields/0/pattern', 'regexUnsupported'],
    ])
  })

  it('an action input pattern is reported too', () => {
    const action = {
      key: 'x',
      name: 'X',
      method: 'GET',
      path: '/x',
      input: { type: 'object', properties: { q: { type: 'string', pattern: huge } } },
    }
    const { errors } = validateConnector(connector({ fields: [{ key: 'sub', label: 'Sub', type: 'text' }], actions: [action] }))
    expect(errors.map((e) => [e.path, e.keyword])).toEqual([
      ['/actions/0/input/properties/q/pattern', 'maxLength'],
      ['/actions/0/input/properties/q/pattern', 'regexUnsupported'],
    ])
  })
})
