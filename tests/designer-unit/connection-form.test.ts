/**
 * The connection form as the designer's preview and the connection pages render it, on the server
 * (no DOM needed): inputs, labels, types, required marks, the auth method choice, saved secrets.
 */
import { render } from 'svelte/server'
import { describe, expect, test } from 'vitest'
import ConnectionForm from '../../designer/src/components/ConnectionForm.svelte'
import { previewConnector } from '../../designer/src/lib/draft-preview.ts'
import type { Connector } from '../../designer/src/lib/types.ts'

const zendesk = {
  id: 'zendesk-custom',
  name: 'Zendesk (custom)',
  baseUrl: 'https://{{subdomain}}.zendesk.com',
  fields: [
    { key: 'subdomain', label: 'Subdomain', type: 'text', required: true, placeholder: 'acme', help: 'The part before .zendesk.com.' },
    {
      key: 'region',
      label: 'Region',
      type: 'select',
      options: [
        { value: 'eu', label: 'Europe' },
        { value: 'us', label: 'United States' },
      ],
    },
    { key: 'sandbox', label: 'Sandbox', type: 'boolean' },
    { key: 'pageSize', label: 'Page size', type: 'number' },
  ],
  auth: [
    {
      type: 'basic',
      id: 'apiToken',
      label: 'Email and API token',
      fields: [
        { key: 'email', label: 'Email', type: 'text', required: true },
        { key: 'apiToken', label: 'API token', type: 'secret', required: true },
      ],
      username: '{{email}}/token',
      password: '{{apiToken}}',
    },
    {
      type: 'bearer',
      id: 'oauthToken',
      label: 'OAuth token',
      fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }],
      token: '{{token}}',
    },
  ],
} as unknown as Connector

/** Rendered HTML without Svelte's hydration comments. */
function clean(body: string): string {
  return body.replace(/<!--[\s\S]*?-->/g, '')
}

function html(props: Record<string, unknown>): string {
  return clean(render(ConnectionForm, { props: { connector: zendesk, authMethod: 'apiToken', values: {}, ...props } as never }).body)
}

/** The text of the label for `id`, with its required mark. */
function label(body: string, id: string): string {
  const match = new RegExp(`<label[^>]*for="${id}"[^>]*>([\\s\\S]*?)</label>`).exec(body)
  return (match?.[1] ?? '').replace(/<[^>]+>/g, '').trim()
}

/** The opening tag of the element with `id`. */
function tag(body: string, id: string): string {
  const match = new RegExp(`<(input|select)[^>]*\\bid="${id}"[^>]*>`).exec(body)
  if (!match) throw new Error(`no input #${id} in:\n${body}`)
  return match[0]
}

describe('the connection form', () => {
  test("renders every connection field and the chosen method's credentials with labels and types", () => {
    const body = html({ idPrefix: 'p' })
    expect(tag(body, 'p-subdomain')).toMatch(/type="text"/)
    expect(tag(body, 'p-subdomain')).toMatch(/placeholder="acme"/)
    expect(tag(body, 'p-subdomain')).toMatch(/required/)
    expect(label(body, 'p-subdomain')).toBe('Subdomain*')
    expect(label(body, 'p-apiToken')).toBe('API token*')
    expect(body).toContain('The part before .zendesk.com.')
    expect(tag(body, 'p-region').startsWith('<select')).toBe(true)
    expect(body).toContain('<option value="eu">Europe</option>')
    expect(tag(body, 'p-sandbox')).toMatch(/type="checkbox"/)
    expect(tag(body, 'p-pageSize')).toMatch(/type="number"/)
    expect(tag(body, 'p-email')).toMatch(/type="text"/)
    expect(tag(body, 'p-apiToken')).toMatch(/type="password"/)
    expect(tag(body, 'p-apiToken')).toMatch(/autocomplete="new-password"/)
    expect(body).not.toContain('id="p-token"')
  })

  test('optional fields have no required mark, and an optional select offers no choice', () => {
    const body = html({ idPrefix: 'p' })
    expect(tag(body, 'p-region')).not.toMatch(/required/)
    expect(label(body, 'p-region')).toBe('Region')
    expect(body).toContain('<option value="">—</option>')
  })

  test("offers a choice of auth method when there are several, and shows the chosen one's fields", () => {
    const body = html({ authMethod: 'oauthToken', idPrefix: 'p' })
    expect(body).toContain('How to authenticate')
    expect(body).toMatch(/<input type="radio" name="p-method" value="apiToken"/)
    expect(body).toMatch(/<input type="radio" name="p-method" value="oauthToken"[^>]*checked/)
    expect(body).toContain('Email and API token')
    expect(tag(body, 'p-token')).toMatch(/type="password"/)
    expect(body).not.toContain('id="p-apiToken"')
  })

  test('a single method shows no choice', () => {
    const single = { ...zendesk, auth: [zendesk.auth[0]] } as Connector
    const body = clean(render(ConnectionForm, { props: { connector: single, authMethod: 'apiToken', values: {} } }).body)
    expect(body).not.toContain('How to authenticate')
  })

  test('saved secrets say so in their placeholder and are no longer required; reconnecting shows credentials only', () => {
    const body = html({ saved: new Set(['apiToken']), credentialsOnly: true, idPrefix: 'p' })
    const secret = tag(body, 'p-apiToken')
    expect(secret).toMatch(/placeholder="•+ saved — leave empty to keep"/)
    expect(secret).not.toMatch(/required/)
    expect(body).not.toContain('id="p-subdomain"')
  })

  test("values fill the inputs, never a secret's placeholder", () => {
    const body = html({ values: { subdomain: 'acme', apiToken: 's3cret' }, idPrefix: 'p' })
    expect(tag(body, 'p-subdomain')).toMatch(/value="acme"/)
    expect(tag(body, 'p-apiToken')).not.toMatch(/placeholder="[^"]*s3cret/)
  })
})

describe('the designer preview', () => {
  test('renders a half-made draft: duplicate keys, a method without id, an unknown type', () => {
    const draft = {
      name: '',
      fields: [{ key: 'a', label: 'A', type: 'text' }, { key: 'a', label: 'A again', type: 'text' }, { label: 'no key' }, 'junk'],
      auth: [
        {
          type: 'apiKey',
          id: 'k',
          fields: [
            { key: 'a', label: 'Shadowing', type: 'secret' },
            { key: 'key', label: 'Key', type: 'weird' },
          ],
          placements: [],
        },
        { type: 'apiKey', id: 'k' },
        { type: 'bearer' },
        { type: 'select', id: 'x', fields: [{ key: 'o', label: 'O', type: 'select', options: [{ value: 'v' }, { value: 'v' }] }] },
      ],
    }
    const connector = previewConnector(draft)
    expect(connector.name).toBe('this tool')
    expect(connector.fields?.map((f) => f.key)).toEqual(['a'])
    expect(connector.auth.map((m) => m.id)).toEqual(['k'])
    expect(connector.auth[0]!.fields?.map((f) => [f.key, f.type])).toEqual([['key', 'text']])
    const body = clean(render(ConnectionForm, { props: { connector, authMethod: 'k', values: {}, idPrefix: 'pv' } }).body)
    expect(tag(body, 'pv-a')).toMatch(/type="text"/)
    expect(tag(body, 'pv-key')).toMatch(/type="text"/)
  })

  test('keeps the unknown keys of the draft it is given, without touching the draft', () => {
    const draft = { id: 'acme', name: 'Acme', baseUrl: 'https://api.acme.test', auth: [], 'x-notes': 'kept' }
    const connector = previewConnector(draft) as unknown as Record<string, unknown>
    expect(connector['x-notes']).toBe('kept')
    expect(draft).toEqual({ id: 'acme', name: 'Acme', baseUrl: 'https://api.acme.test', auth: [], 'x-notes': 'kept' })
  })
})
