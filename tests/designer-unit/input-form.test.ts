/**
 * The action input form as the connection page renders it, on the server: one control per input
 * property of the right kind, labels from `title`, help from `description`, required marks, defaults
 * prefilled; and the drafts typed back into inputs, and runtime problems mapped to their inputs.
 */
import { render } from 'svelte/server'
import { describe, expect, test } from 'vitest'
import InputForm from '../../designer/src/components/actions/InputForm.svelte'
import { errorsByInput, initialDrafts, inputKind, toInputs } from '../../designer/src/lib/action-inputs.ts'
import { ApiError } from '../../designer/src/lib/api.ts'
import type { ActionInput } from '../../schemas/types/connector.ts'

const schema: ActionInput = {
  type: 'object',
  required: ['title', 'priority'],
  properties: {
    title: { type: 'string', title: 'Title', description: 'One line: what is wrong.', minLength: 3 },
    body: { type: 'string', title: 'Description', format: 'multiline' },
    priority: { type: 'string', title: 'Priority', enum: ['low', 'normal', 'high'], default: 'normal' },
    count: { type: 'integer', title: 'Copies', default: 2, minimum: 1 },
    ratio: { type: 'number' },
    draft: { type: 'boolean', title: 'Save as draft', default: true },
    labels: { type: 'array', title: 'Labels', default: ['bug', 'ui'] },
    meta: { type: 'object', title: 'Metadata', default: { team: 'web' } },
    email: { type: 'string', title: 'Reporter', format: 'email' },
  },
}

function html(props: Record<string, unknown> = {}): string {
  const values = initialDrafts(schema)
  return render(InputForm, { props: { schema, values, idPrefix: 'f', ...props } as never }).body.replace(/<!--[\s\S]*?-->/g, '')
}

/** The label text of `id`, with its required mark. */
function label(body: string, id: string): string {
  return (new RegExp(`<label[^>]*for="${id}"[^>]*>([\\s\\S]*?)</label>`).exec(body)?.[1] ?? '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The opening tag of the control with `id`. */
function tag(body: string, id: string): string {
  const match = new RegExp(`<(input|select|textarea)[^>]*\\bid="${id}"[^>]*>`).exec(body)
  if (!match) throw new Error(`no control #${id} in:\n${body}`)
  return match[0]
}

describe('the action input form', () => {
  test('renders the control each property calls for', () => {
    const body = html()
    expect(tag(body, 'f-title')).toMatch(/^<input[^>]*type="text"/)
    expect(tag(body, 'f-body')).toMatch(/^<textarea/)
    expect(tag(body, 'f-priority')).toMatch(/^<select/)
    expect(tag(body, 'f-count')).toMatch(/type="number"/)
    expect(tag(body, 'f-count')).toMatch(/step="1"/)
    expect(tag(body, 'f-count')).toMatch(/min="1"/)
    expect(tag(body, 'f-ratio')).toMatch(/type="number"/)
    expect(tag(body, 'f-draft')).toMatch(/type="checkbox"/)
    expect(tag(body, 'f-labels')).toMatch(/^<textarea/)
    expect(tag(body, 'f-meta')).toMatch(/^<textarea[^>]*class="input code\b/)
    expect(tag(body, 'f-email')).toMatch(/type="email"/)
    for (const option of ['low', 'normal', 'high']) expect(body).toContain(`<option value="${option}"`)
  })

  test('labels come from title (the key without one), help from description, required ones marked', () => {
    const body = html()
    expect(label(body, 'f-title')).toBe('Title*')
    expect(label(body, 'f-priority')).toBe('Priority*')
    expect(label(body, 'f-body')).toBe('Description')
    expect(label(body, 'f-ratio')).toBe('ratio')
    expect(label(body, 'f-draft')).toBe('Save as draft')
    expect(tag(body, 'f-title')).toMatch(/required/)
    expect(tag(body, 'f-title')).toMatch(/minlength="3"/)
    expect(tag(body, 'f-body')).not.toMatch(/required/)
    expect(tag(body, 'f-title')).toMatch(/aria-describedby="f-title-help"/)
    expect(body).toMatch(/id="f-title-help"[^>]*>One line: what is wrong\.</)
    expect(body).toContain('Separate items with commas or new lines.')
  })

  test('defaults are prefilled the way each control shows them', () => {
    const body = html()
    expect(body).toMatch(/<option value="normal"[^>]*selected/)
    expect(tag(body, 'f-count')).toMatch(/value="2"/)
    expect(tag(body, 'f-draft')).toMatch(/checked/)
    expect(body).toMatch(/<textarea[^>]*id="f-labels"[^>]*>bug, ui<\/textarea>/)
    expect(body).toMatch(/<textarea[^>]*id="f-meta"[^>]*>{\n {2}"team": "web"\n}<\/textarea>/)
    expect(tag(body, 'f-title')).toMatch(/value=""/)
  })

  test('an error shows at its input and marks it invalid', () => {
    const body = html({ errors: { title: 'inputs.title is required' } })
    expect(tag(body, 'f-title')).toMatch(/aria-invalid="true"/)
    expect(tag(body, 'f-title')).toMatch(/aria-describedby="f-title-help f-title-error"/)
    expect(body).toMatch(/id="f-title-error" role="alert">inputs\.title is required</)
    expect(tag(body, 'f-body')).not.toMatch(/aria-invalid/)
  })

  test('an action without inputs says so', () => {
    const body = render(InputForm, { props: { schema: undefined, values: {} } }).body
    expect(body).toContain('This action takes no inputs.')
  })
})

describe('typing the drafts into inputs', () => {
  test('each kind becomes its JSON type; empty optional inputs are left out', () => {
    const drafts = { ...initialDrafts(schema), title: 'Broken', ratio: '0.5', labels: 'a,\n b ,, c', body: '' }
    expect(toInputs(schema, drafts)).toEqual({
      inputs: { title: 'Broken', priority: 'normal', count: 2, ratio: 0.5, draft: true, labels: ['a', 'b', 'c'], meta: { team: 'web' } },
      errors: {},
    })
  })

  test('numbers in an enum come back as numbers; what cannot be read is an error at its input', () => {
    const numeric: ActionInput = {
      type: 'object',
      properties: { size: { type: 'integer', enum: [10, 50] }, n: { type: 'number' }, o: { type: 'object' } },
    }
    expect(inputKind(numeric.properties!.size!)).toBe('select')
    expect(toInputs(numeric, { size: '50', n: 'many', o: '{ nope' })).toEqual({
      inputs: { size: 50 },
      errors: { n: 'Enter a number.', o: 'This is not valid JSON.' },
    })
  })

  test('runtime problems map to their inputs', () => {
    const error = new ApiError(400, 'invalid_inputs', 'bad', {
      errors: [
        { path: '/inputs/title', keyword: 'required', message: 'inputs.title is required' },
        { path: '/inputs/labels/1', keyword: 'type', message: 'inputs.labels[1] must be a string' },
        { path: '/inputs', keyword: 'additionalProperties', message: 'inputs has an unknown property' },
      ],
    })
    expect(errorsByInput(error)).toEqual({
      title: 'inputs.title is required',
      labels: 'inputs.labels[1] must be a string',
      '': 'inputs has an unknown property',
    })
    expect(errorsByInput(new Error('x'))).toEqual({})
  })
})
