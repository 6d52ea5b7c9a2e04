import { placeholders, placeholderValue, renderTemplate } from '../../../schemas/template/index.ts'
import type { Field } from '../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../errors.ts'
import type { FieldValue } from '../../types.ts'
import type { AuthInput, AuthMaterial } from './types.ts'

/** An empty {@link AuthMaterial} to add to. */
export function emptyMaterial(): AuthMaterial {
  return { headers: {}, query: [], credentialHeaders: [], credentialQuery: [], secrets: [] }
}

/** A field value counts as empty when it is missing or an empty string. */
export function isEmpty(value: FieldValue | undefined): boolean {
  return value === undefined || value === ''
}

/**
 * Renders a credential template. A required field without a value is an error that says which
 * field to fill in; `undefined` means an optional field is empty and the placement is dropped. A placeholder
 * that filters a secret field (`{{key | base64}}`) gives a value that is a secret too: it is noted in `material`.
 *
 * @example
 * renderCredential('{{email}}/token', input) // 'ops@acme.test/token'
 */
export function renderCredential(template: string, input: AuthInput, material?: AuthMaterial): string | undefined {
  const resolve = ([key]: string[]) => input.values[key!]
  for (const part of placeholders(template)) {
    const key = part.path[0]!
    const raw = input.values[key]
    const value = part.filters.length === 0 ? raw : placeholderValue(part, resolve)
    if (!isEmpty(value)) {
      if (material && part.filters.length > 0 && input.fields.get(key)?.type === 'secret' && !isEmpty(raw))
        material.secrets.push(String(value))
      continue
    }
    const field = input.fields.get(key)
    if (field?.required && isEmpty(raw)) {
      throw new SwitchboardError(
        428,
        'missing_credentials',
        `The connection has no value for "${field.label}" (${key}). Connect it again and fill it in.`,
        { details: { field: key } },
      )
    }
    return undefined
  }
  const rendered = renderTemplate(template, resolve)
  // Header injection: values are refused on save, but a template may join several into one line.
  if (/[\r\n\u0000]/.test(rendered)) {
    throw new SwitchboardError(
      400,
      'invalid_value',
      'A credential contains a line break, which cannot be sent in a request. Connect again with the value on one line.',
    )
  }
  return rendered
}

/**
 * Records the values a material must never reveal: every secret field's value, and each derived
 * value (a rendered header) that contains one. Constants such as Freshdesk's password `X` are not
 * secrets, and masking them would only garble previews.
 */
export function noteSecrets(material: AuthMaterial, input: AuthInput, ...derived: string[]): void {
  const own: string[] = []
  for (const [key, field] of input.fields) {
    const value = input.values[key]
    if (field.type === 'secret' && typeof value === 'string' && value !== '') own.push(value)
  }
  material.secrets.push(...own)
  for (const value of derived) if (own.some((secret) => value.includes(secret))) material.secrets.push(value)
}

/**
 * Whether any field is a secret: a method with only plain fields is usable as soon as it is created.
 *
 * @example
 * hasSecretField(fields) // true for an API key method
 */
export function hasSecretField(fields: ReadonlyMap<string, Field>): boolean {
  for (const field of fields.values()) if (field.type === 'secret') return true
  return false
}

/** Where a value goes on a request: a header or a query parameter, by name. */
export interface Place {
  in: 'header' | 'query'
  name: string
}

/**
 * Puts a credential value on a request: a header or a query parameter, marked as carrying a credential so
 * previews show it masked.
 *
 * @example
 * place(material, { in: 'header', name: 'X-Api-Key' }, key)
 */
export function place(material: AuthMaterial, where: Place, value: string): void {
  if (where.in === 'header') {
    material.headers[where.name] = value
    material.credentialHeaders.push(where.name)
  } else {
    material.query.push([where.name, value])
    material.credentialQuery.push(where.name)
  }
}

/**
 * Renders each placement's template over the credential's values and places it; a placement whose values are
 * absent (optional fields left empty) is skipped. Answers the rendered values, to be noted as secrets.
 *
 * @example
 * const rendered = placeAll(material, method.placements, input)
 */
export function placeAll(material: AuthMaterial, placements: ReadonlyArray<Place & { value: string }>, input: AuthInput): string[] {
  const rendered: string[] = []
  for (const placement of placements) {
    const value = renderCredential(placement.value, input, material)
    if (value === undefined) continue
    rendered.push(value)
    place(material, placement, value)
  }
  return rendered
}
