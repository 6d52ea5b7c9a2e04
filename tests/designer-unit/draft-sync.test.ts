/**
 * The JSON view and the form edit one document: text that parses becomes the draft with every key it
 * has; form edits show in the text; text that does not parse keeps the last good draft and says where.
 */
import { describe, expect, test } from 'vitest'
import { draft } from '../../designer/src/lib/draft.svelte.ts'
import { canonical, editJson, formatJson, jsonView, parseJson, pointerRange, type SyncState } from '../../designer/src/lib/draft-sync.ts'
import { validateConnector } from '../../schemas/validate/index.ts'

const oauth = {
  type: 'oauth2',
  id: 'oauth',
  grant: 'client_credentials',
  tokenUrl: 'https://auth.acme.test/token',
  'x-vendor': { audience: 'api' },
}
const doc = () => ({
  id: 'acme',
  name: 'Acme',
  'x-notes': 'ask Dana before changing the scopes',
  baseUrl: 'https://api.acme.test',
  auth: [
    {
      type: 'apiKey',
      id: 'key',
      fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
      placements: [{ in: 'header', name: 'X-Api-Key', value: '{{apiKey}}', 'x-why': 'vendor docs' }],
    },
    oauth,
  ],
  test: { method: 'GET', path: '/me', future: { nested: [1, 2] } },
})

describe('JSON text → draft', () => {
  test('text that parses replaces the draft, keeping keys the form does not model', () => {
    const state: SyncState = { doc: { id: 'old' } }
    const text = formatJson(doc())
    editJson(state, text)
    expect(state.doc).toEqual(doc())
    expect(state.edit?.error).toBeUndefined()
    expect(jsonView(state).text).toBe(text)
  })

  test("the person's own formatting stays while they type", () => {
    const state: SyncState = { doc: {} }
    const text = '{"id":"acme",   "name": "Acme"}'
    editJson(state, text)
    expect(jsonView(state)).toEqual({ text, error: undefined })
  })

  test('text that does not parse keeps the last good draft and says where it breaks', () => {
    const state: SyncState = { doc: doc() }
    const broken = '{\n  "id": "acme",\n  "name": \n}'
    editJson(state, broken)
    expect(state.doc).toEqual(doc())
    const view = jsonView(state)
    expect(view.text).toBe(broken)
    expect(view.error).toMatchObject({ line: 4, column: 1 })
    expect(view.error?.message).toBe('Not valid JSON at line 4, column 1: unexpected "}"')
  })

  test('text that ends too early, and JSON that is not an object, keep the draft too', () => {
    const state: SyncState = { doc: doc() }
    editJson(state, '{"id": "acme"')
    expect(jsonView(state).error?.message).toMatch(/line 1, column 14: the text ends too early/)
    editJson(state, '[1, 2]')
    expect(jsonView(state).error?.message).toMatch(/JSON object/)
    expect(state.doc).toEqual(doc())
  })
})

describe('draft → JSON text', () => {
  test('a form edit in place shows in the text, with the unknown keys still there', () => {
    const state: SyncState = { doc: doc() }
    editJson(state, '{"id":"acme","name":"Acme","x-notes":"n","auth":[]}')
    state.doc.name = 'Acme Cloud'
    const view = jsonView(state)
    expect(view.text).toBe(formatJson({ id: 'acme', name: 'Acme Cloud', 'x-notes': 'n', auth: [] }))
    expect(view.error).toBeUndefined()
  })

  test('a form edit after a parse error drops the broken text: the form wins', () => {
    const state: SyncState = { doc: doc() }
    editJson(state, '{ broken')
    ;(state.doc.auth as unknown[]).pop()
    const view = jsonView(state)
    expect(view.error).toBeUndefined()
    expect(JSON.parse(view.text)).toEqual({ ...doc(), auth: [doc().auth[0]] })
  })
})

describe('parseJson', () => {
  test('parses, or gives line and column', () => {
    expect(parseJson('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } })
    const result = parseJson('{\n  "a": 1,\n  "b": tru\n}')
    expect(result.ok).toBe(false)
    if (!result.ok) expect([result.error.line, result.error.column]).toEqual([3, 8])
  })
})

describe('pointerRange', () => {
  test('selects the line of the value a pointer names, or of its nearest existing parent', () => {
    const d = doc()
    const text = formatJson(d)
    const at = (pointer: string) => {
      const { start, end } = pointerRange(d, pointer)
      return text.slice(start, end)
    }
    expect(at('/auth/0/placements/0/name')).toBe('"name": "X-Api-Key",')
    expect(at('/x-notes')).toBe('"x-notes": "ask Dana before changing the scopes",')
    expect(at('/test/missing')).toBe('"test": {')
    expect(at('/auth/1')).toBe('{')
  })
})

describe('the draft store', () => {
  test('validates live with the runtime validator, tells unsaved changes, and keeps unknown keys through form and JSON edits', () => {
    draft.load(doc(), { source: 'blank' })
    expect(draft.dirty).toBe(false)
    expect(draft.validation).toEqual(validateConnector(doc()))
    expect(draft.placed.unplaced.map((p) => p.path)).toContain('/x-notes')
    draft.doc.name = 'Acme 2'
    expect(draft.dirty).toBe(true)
    draft.editJson(draft.json.text.replace('"GET"', '"POST"'))
    expect((draft.doc.test as Record<string, unknown>).method).toBe('POST')
    expect(draft.doc['x-notes']).toBe('ask Dana before changing the scopes')
    expect((draft.doc.auth as unknown[])[1]).toEqual(oauth)
    expect(draft.doc.name).toBe('Acme 2')
  })

  test('an imported file that is not JSON is refused with line and column; an invalid connector is loaded with its problems', () => {
    draft.load(doc(), { source: 'blank' })
    expect(draft.importText('{\n  "id": "x",,\n}', 'broken.json')).toBe(false)
    expect(draft.notice?.text).toBe('"broken.json" could not be imported: Not valid JSON at line 2, column 13: unexpected ",".')
    expect(draft.doc).toEqual(doc())
    expect(draft.importText(JSON.stringify({ id: 'X', name: '', baseUrl: 'ftp://x', auth: [] }), 'bad.json')).toBe(true)
    expect(draft.doc.id).toBe('X')
    expect(draft.errorsAt('/id')).toHaveLength(1)
    expect(draft.errorsAt('/baseUrl')).toHaveLength(1)
    expect(draft.dirty).toBe(true)
  })

  test('the exported file carries the schema path first and only the definition', () => {
    draft.load(doc(), { source: 'blank' })
    const file = draft.exportFile()
    expect(file.name).toBe('acme.json')
    expect(Object.keys(JSON.parse(file.text))[0]).toBe('$schema')
    expect(canonical({ ...JSON.parse(file.text), $schema: undefined })).toBe(canonical(doc()))
  })
})

describe('blocks no form edits', () => {
  test("an action's pagination and the connector's rate limits are shown in the JSON view and kept", () => {
    const pagination = { type: 'cursor', items: '/data', cursor: '/meta/next', param: 'cursor', maxPages: 20 }
    const rateLimits = { requests: 10, intervalMs: 1000, concurrency: 2 }
    const actions = [{ key: 'list', name: 'List', method: 'GET', path: '/items', pagination }]
    const state: SyncState = { doc: {} }
    editJson(state, JSON.stringify({ id: 'acme', rateLimits, actions }))
    expect(state.doc.rateLimits).toEqual(rateLimits)
    expect((state.doc.actions as Array<{ pagination: unknown }>)[0]!.pagination).toEqual(pagination)
    // The form changed something else: the text shown is the document, blocks included.
    state.doc = { ...state.doc, name: 'Acme' }
    const shown = JSON.parse(jsonView(state).text)
    expect(shown.actions[0].pagination).toEqual(pagination)
    expect(shown.rateLimits).toEqual(rateLimits)
  })
})
