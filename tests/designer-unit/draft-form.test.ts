/**
 * The builder's forms from the schema: a new method of every auth type is a valid connector once its
 * URLs are in, switching types keeps what the person wrote that is not the old type's, every property
 * of every auth type gets a control, and an input's type change keeps keys the form does not show.
 */
import { describe, expect, test } from 'vitest'
import { setInputType } from '../../designer/src/components/designer/inputs/input-type.ts'
import { EDITABLE_AUTH, newAuthMethod, setAuthType } from '../../designer/src/lib/draft-doc.ts'
import { AUTH_TYPES, authSchema, COMMON, kindOf, labelOf, resolve } from '../../designer/src/lib/draft-form.ts'
import { validateConnector } from '../../schemas/validate/index.ts'

const base = { id: 'acme', name: 'Acme', baseUrl: 'https://api.acme.test', test: { method: 'GET', path: '/me' } }

describe('auth methods from the schema', () => {
  test('the builder offers every auth type the schema has', () => {
    expect([...EDITABLE_AUTH].sort()).toEqual([...AUTH_TYPES].sort())
  })

  test.each([...EDITABLE_AUTH])('a new %s method is valid once its URLs are filled in', (type) => {
    const doc: Record<string, unknown> = { ...base, fields: [{ key: 'privateKey', label: 'Taken', type: 'text' }], auth: [] }
    const method = newAuthMethod(type, doc)
    if (type === 'oauth2') Object.assign(method, { authorizeUrl: 'https://acme.test/authorize', tokenUrl: 'https://acme.test/token' })
    expect(validateConnector({ ...doc, auth: [method] }).errors).toEqual([])
    expect(JSON.stringify(method)).not.toContain('{{privateKey}}')
  })

  test('every property of every auth type has a control (none falls back to raw JSON but a login body)', () => {
    for (const type of AUTH_TYPES) {
      for (const [name, node] of Object.entries(authSchema(type)?.properties ?? {})) {
        if (COMMON.includes(name)) continue
        const kind = kindOf(resolve(node))
        if (kind === 'json') expect(`${type}.${name}`).toBe('session.login.body')
      }
    }
    expect(kindOf(resolve(authSchema('session')!.properties!.login))).toBe('object')
    expect(kindOf(resolve(authSchema('jwt')!.properties!.exchange))).toBe('variant')
    expect(kindOf(resolve(authSchema('session')!.properties!.capture))).toBe('records')
    expect(labelOf('authorizeUrl')).toBe('Authorize URL')
    expect(labelOf('pkce')).toBe('PKCE')
  })

  test('switching to a schema-drawn type drops the old settings, keeps id, fields and unknown keys', () => {
    const method: Record<string, unknown> = {
      type: 'bearer',
      id: 'k',
      'x-note': 1,
      fields: [{ key: 'secretKey', label: 'Secret', type: 'secret' }],
      token: '{{secretKey}}',
    }
    setAuthType(method, 'hmac')
    expect(method).toMatchObject({ type: 'hmac', id: 'k', 'x-note': 1, key: '{{secretKey}}', signature: { in: 'header' } })
    expect(method).not.toHaveProperty('token')
    setAuthType(method, 'oauth2')
    expect(method).not.toHaveProperty('signature')
    expect(method).toMatchObject({ type: 'oauth2', grant: 'authorization_code', 'x-note': 1 })
  })
})

describe('action input types', () => {
  test("a type change drops what only the old type says, adds an array's items, and keeps the rest", () => {
    const input: Record<string, unknown> = { type: 'string', title: 'T', format: 'email', enum: ['a'], examples: ['a'], 'x-hint': 1 }
    setInputType(input, 'array')
    expect(input).toEqual({ type: 'array', title: 'T', examples: ['a'], 'x-hint': 1, items: { type: 'string' } })
    setInputType(input, 'integer')
    expect(input).toEqual({ type: 'integer', title: 'T', examples: ['a'], 'x-hint': 1 })
    Object.assign(input, { minimum: 1, default: 2 })
    setInputType(input, 'number')
    expect(input).toMatchObject({ minimum: 1, default: 2 })
  })
})
