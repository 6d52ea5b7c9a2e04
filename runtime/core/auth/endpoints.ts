import { renderTemplate } from '../../../schemas/template/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { FieldValue } from '../../types.ts'
import { renderUrlTemplate } from '../requests/index.ts'

/**
 * A provider endpoint (token URL, authorize URL, a token request's URL) rendered from the connection's field
 * values; only http(s) URLs. Every auth type that talks to its provider renders its endpoints here.
 *
 * @example
 * renderEndpoint('https://{{subdomain}}.example.com/oauth/token', values, 'token URL')
 */
export function renderEndpoint(template: string, values: Readonly<Record<string, FieldValue>>, what: string): string {
  const text = renderUrlTemplate(template, values, what)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new SwitchboardError(400, 'invalid_url', `The ${what} is not a valid URL. Check the fields it is made from.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new SwitchboardError(400, 'invalid_url', `The ${what} must start with https://.`)
  return text
}

/**
 * Extra parameters or headers of a provider call (`authorizeParams`, `tokenParams`, a token request's
 * `params`/`headers`) rendered over the field values; empty results are left out.
 *
 * @example
 * renderParams({ audience: '{{audience}}' }, values) // { audience: 'https://api.example.com' }
 */
export function renderParams(
  params: Readonly<Record<string, string | undefined>> | undefined,
  values: Readonly<Record<string, FieldValue | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, template] of Object.entries(params ?? {})) {
    if (template === undefined) continue
    const value = renderTemplate(template, ([key]) => values[key!])
    if (value !== '') out[name] = value
  }
  return out
}
