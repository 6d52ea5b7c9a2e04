/**
 * The designer's edits to a connector document change only what they are about, and what they build
 * is a valid connector file.
 */
import { describe, expect, test } from 'vitest'
import genericApiKey from '../../connectors/generic-api-key.json' with { type: 'json' }
import github from '../../connectors/github.json' with { type: 'json' }
import {
  blankDraft,
  duplicateOf,
  exportText,
  fieldFor,
  fromTemplate,
  letterIcon,
  missingPlaceholders,
  move,
  newAuthMethod,
  parseScalar,
  parseStatuses,
  renameKey,
  scalarText,
  setAuthType,
  setFieldType,
  slugify,
} from '../../designer/src/lib/draft-doc.ts'
import { info } from '../../designer/src/lib/draft-schema.ts'
import { validateConnector } from '../../schemas/validate/index.ts'

describe('ids and names', () => {
  test.each([
    ['GitHub (custom)', 'github-custom'],
    ['  Ünïcode  Tool! ', 'unicode-tool'],
    ['123 Go', 'c-123-go'],
    ['', ''],
  ])('slugify(%j) is %j', (name, id) => expect(slugify(name)).toBe(id))

  test('a duplicate gets a free id and a "(custom)" name, and keeps everything else', () => {
    const copy = duplicateOf(github, new Set(['github', 'github-custom']))
    expect(copy.id).toBe('github-custom-2')
    expect(copy.name).toBe('GitHub (custom)')
    expect(copy.$schema).toBeUndefined()
    expect(copy.auth).toEqual(github.auth)
    expect(validateConnector(copy).valid).toBe(true)
  })

  test('a template keeps its shape and leaves name and id to choose', () => {
    const start = fromTemplate(genericApiKey)
    expect([start.id, start.name, start.description]).toEqual(['', '', undefined])
    expect(start.auth).toEqual(genericApiKey.auth)
    expect(validateConnector({ ...start, id: 'acme', name: 'Acme' }).valid).toBe(true)
  })
})

describe('building a connector by parts', () => {
  test('a blank draft plus an API-key method with a header and a query placement is a valid connector', () => {
    // The test path starts empty (typing "/me" after a pre-filled "/" made "//me"): the person fills it in.
    expect(blankDraft().test).toEqual({ method: 'GET', path: '' })
    const doc: Record<string, unknown> = { ...blankDraft(), id: 'acme', name: 'Acme', baseUrl: 'https://api.acme.test' }
    doc.test = { method: 'GET', path: '/me' }
    const method = newAuthMethod('apiKey', doc)
    ;(method.placements as unknown[]).push({ in: 'query', name: 'key', value: '{{apiKey}}' })
    ;(doc.auth as unknown[]).push(method)
    expect(validateConnector(doc)).toMatchObject({ valid: true, errors: [] })
    for (const type of ['basic', 'bearer'] as const) {
      const other = { ...doc, auth: [newAuthMethod(type, doc)] }
      expect(validateConnector(other).errors).toEqual([])
    }
  })

  test('new methods take ids and keys nobody uses', () => {
    const doc = { fields: [{ key: 'apiKey', label: 'x', type: 'text' }], auth: [{ type: 'apiKey', id: 'apiKey' }] }
    const method = newAuthMethod('apiKey', doc)
    expect(method.id).toBe('apiKey2')
    expect((method.fields as Array<{ key: string }>)[0]!.key).toBe('apiKey2')
  })

  test("switching an auth method's type keeps its id, label, fields and unknown keys, and drops the old type's parts", () => {
    const method = {
      type: 'apiKey',
      id: 'k',
      label: 'Key',
      'x-note': 1,
      fields: [{ key: 'token', label: 'T', type: 'secret' }],
      placements: [{ in: 'header', name: 'X', value: '{{token}}' }],
    }
    setAuthType(method, 'bearer')
    expect(method).toEqual({ type: 'bearer', id: 'k', label: 'Key', 'x-note': 1, fields: method.fields, token: '{{token}}' })
    setAuthType(method, 'basic')
    expect(method).toMatchObject({ type: 'basic', username: '', password: '{{token}}' })
    expect('token' in method).toBe(false)
  })

  test("a field's type change drops what the new type forbids", () => {
    const field: Record<string, unknown> = { key: 'site', label: 'Site', type: 'text', default: 'eu', 'x-keep': true }
    setFieldType(field, 'select')
    expect(field.options).toEqual([{ value: 'option1', label: 'Option 1' }])
    setFieldType(field, 'secret')
    expect(field).toEqual({ key: 'site', label: 'Site', type: 'secret', 'x-keep': true })
  })

  test('move and renameKey keep the order of everything else', () => {
    const list = ['a', 'b', 'c']
    expect(move(list, 0, -1)).toBe(false)
    expect(move(list, 0, 1)).toBe(true)
    expect(list).toEqual(['b', 'a', 'c'])
    const map = { Accept: 'json', 'X-A': '1', 'X-B': '2' }
    expect(renameKey(map, 'X-A', 'X-Z')).toBe(true)
    expect(Object.keys(map)).toEqual(['Accept', 'X-Z', 'X-B'])
    expect(renameKey(map, 'X-Z', 'Accept')).toBe(false)
    expect(Object.keys(map)).toEqual(['Accept', 'X-Z', 'X-B'])
  })

  test('placeholders of the base URL that are not fields yet, and the fields made for them', () => {
    expect(missingPlaceholders('https://{{subdomain}}.{{ region }}.acme.test/{{input.x}}', ['region'])).toEqual(['subdomain'])
    expect(fieldFor('subdomain')).toEqual({ key: 'subdomain', label: 'Subdomain', type: 'text', required: true })
    expect(fieldFor('baseUrl').type).toBe('url')
  })
})

describe('small values typed as text', () => {
  test('status codes', () => {
    expect(parseStatuses('200, 204 200')).toEqual({ value: [200, 204] })
    expect(parseStatuses('')).toEqual({ value: [] })
    expect(parseStatuses('2xx')).toEqual({ error: '"2xx" is not a status code (100–599)' })
  })

  test('an "equals" value is a JSON scalar when it reads as one, else text', () => {
    expect([parseScalar('true'), parseScalar('0'), parseScalar('null'), parseScalar('"1"'), parseScalar('ok')]).toEqual([
      true,
      0,
      null,
      '1',
      'ok',
    ])
    expect([scalarText(true), scalarText('ok'), scalarText('1'), scalarText(null)]).toEqual(['true', 'ok', '"1"', 'null'])
  })
})

describe('files and icons', () => {
  test('an export has "$schema" first and validates', () => {
    const text = exportText({ ...github, $schema: 'elsewhere' })
    const parsed = JSON.parse(text)
    expect(Object.keys(parsed)[0]).toBe('$schema')
    expect(parsed.$schema).toBe('../schemas/connector.schema.json')
    expect(validateConnector(parsed).valid).toBe(true)
  })

  test('a generated icon is an SVG data URI the schema accepts', () => {
    const icon = letterIcon('Ac', '#4f46e5')
    expect(icon).toMatch(/^data:image\/svg\+xml;utf8,/)
    expect(decodeURIComponent(icon)).toContain('>Ac</text>')
    expect(
      validateConnector({ id: 'acme', name: 'Acme', baseUrl: 'https://a.test', icon, auth: [{ type: 'bearer', id: 't', token: 'x' }] })
        .errors,
    ).toEqual([])
  })
})

describe('labels from the schema', () => {
  test('titles, descriptions and enums come from connector.schema.json', () => {
    expect(info(null, 'docsUrl').title).toBe('Documentation link')
    expect(info('Field', 'type').enum).toEqual(['text', 'secret', 'url', 'select', 'number', 'boolean'])
    expect(info('TestRequest', 'label').description).toMatch(/body\.login/)
    expect(info('Category').enum).toContain('ticketing')
  })
})
