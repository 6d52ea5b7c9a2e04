/**
 * Every validation problem is shown where it belongs: at the input or list of the form whose JSON
 * pointer it names, or — for parts the form does not model — in the summary.
 */
import { describe, expect, test } from 'vitest'
import { domId, placeOf, placeProblems } from '../../designer/src/lib/draft-places.ts'
import { validateConnector } from '../../schemas/validate/index.ts'

const doc = {
  id: 'acme',
  name: 'Acme',
  baseUrl: 'https://api.acme.test',
  auth: [
    {
      type: 'apiKey',
      id: 'key',
      fields: [{ key: 'apiKey', label: 'API key', type: 'secret' }],
      placements: [
        { in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' },
        { in: 'header', name: 'X Bad', value: '{{apiKey}}' },
      ],
    },
    { type: 'oauth2', id: 'oauth', grant: 'authorization_code', tokenUrl: 'https://auth.acme.test/token' },
  ],
  test: { path: '/me', successStatus: [200, 9] },
  actions: [
    {
      key: 'list',
      name: 'List',
      method: 'GET',
      path: '/items',
      body: { deep: { x: '{{input.nope}}' } },
      input: { type: 'object', required: ['ghost'] },
    },
  ],
  'x-notes': 'kept',
}

describe('placeOf', () => {
  test.each([
    ['/auth/0/placements/1/name', '/auth/0/placements/1/name'],
    ['/auth/0/fields/0/label', '/auth/0/fields/0/label'],
    ['/fields/3/options/1/value', '/fields/3/options/1/value'],
    ['/headers/X-Api-Version', '/headers/X-Api-Version'],
    ['/headers/a~1b', '/headers/a~1b'],
    ['/test/successStatus/1', '/test/successStatus'],
    ['/test/bodyRules/0/equals', '/test/bodyRules/0/equals'],
    ['/actions/0/body/deep/x', '/actions/0/body'],
    ['/actions/0/input/required/0', '/actions/0/input/properties'],
    ['/actions/0/input/properties/title/type', '/actions/0/input/properties/title/type'],
    ['/categories/2', '/categories'],
    ['/auth/1/authorizeUrl', '/auth/1/authorizeUrl'],
    ['/auth/1/scopes/0/value', '/auth/1/scopes/0/value'],
    ['/auth/1/defaultScopes/2', '/auth/1/defaultScopes'],
    ['/auth/1/tokenResponse/values/account', '/auth/1/tokenResponse/values/account'],
    ['/auth/1/authorizeParams/prompt', '/auth/1/authorizeParams/prompt'],
    ['/auth/1/fields/0/key', '/auth/1/fields/0/key'],
    ['/actions/0/input/properties/title/enum/1', '/actions/0/input/properties/title/enum'],
    ['/actions/0/input/properties/tags/items/format', '/actions/0/input/properties/tags/items/format'],
    ['/actions/0/input/properties/addr/properties/city/minLength', '/actions/0/input/properties/addr/properties/city/minLength'],
    ['/actions/0/input/properties/addr/required/0', '/actions/0/input/properties/addr/properties'],
  ])('%s is shown at %s', (path, place) => {
    expect(placeOf(path, doc)).toBe(place)
  })

  test.each([
    '/x-notes',
    '',
    '/fields/0/colour',
    '/auth/0/placements/0/extra',
    '/auth/1/x-extra',
    '/auth/1/tokenResponse/x-extra',
    '/actions/0/input/properties/title/x-hint',
  ])('%s has no place in the form', (path) => {
    expect(placeOf(path, doc)).toBeUndefined()
  })
})

describe('placeProblems with the real validator', () => {
  test('puts each error at its input, and the rest in the summary', () => {
    const placed = placeProblems(validateConnector(doc), doc)
    expect(placed.errors.get('/auth/0/placements/1/name')?.[0]?.message).toMatch(/not a valid header name/)
    expect(placed.errors.get('/auth/1/authorizeUrl')?.[0]?.message).toMatch(/authorizeUrl is required/)
    expect(placed.errors.get('/test/successStatus')?.[0]?.message).toMatch(/≥ 100/)
    expect(placed.errors.get('/actions/0/body')?.[0]?.message).toMatch(/input "nope"/)
    expect(placed.errors.get('/actions/0/input/properties')?.[0]?.message).toMatch(/ghost/)
    expect(placed.unplaced.map((p) => [p.path, p.severity])).toContainEqual(['/x-notes', 'error'])
  })
})

describe('domId', () => {
  test('is a valid, distinct id for every pointer', () => {
    const pointers = ['/headers/X.Y', '/headers/X~1Y', '/headers/X Y', '/headers/X%Y', '/headers/X-Y', '/auth/0/placements/1/name']
    const ids = pointers.map(domId)
    expect(new Set(ids).size).toBe(pointers.length)
    for (const id of ids) expect(id).toMatch(/^d[A-Za-z0-9._~-]*$/)
    expect(domId('/auth/0/placements/1/name')).toBe('d.auth.0.placements.1.name')
  })
})
