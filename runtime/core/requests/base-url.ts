import { placeholders, placeholderValue, renderTemplate, wholePlaceholder } from '../../../schemas/template/index.ts'
import type { Connector } from '../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../errors.ts'
import type { FieldValue } from '../../types.ts'

/**
 * The base URL a connection's requests go to: its own override, or the connector's template rendered
 * with the connection's values. Values inside a template are percent-encoded, so a subdomain field
 * holding `evil.test/` cannot move the host; a template that is one URL field (generic connectors)
 * takes the URL as it is.
 *
 * @example
 * resolveBaseUrl(zendesk, { subdomain: 'acme' }).href // 'https://acme.zendesk.com/'
 */
export function resolveBaseUrl(
  connector: Pick<Connector, 'baseUrl'>,
  values: Readonly<Record<string, FieldValue>>,
  override?: string,
): URL {
  if (override !== undefined) return parseBase(override, "the connection's base URL")
  return parseBase(renderUrlTemplate(connector.baseUrl, values, 'base URL'), 'the base URL')
}

/**
 * Renders a URL template (base URL, absolute test URL, OAuth2 endpoints) from field values.
 *
 * @example
 * renderUrlTemplate('https://{{domain}}.atlassian.net', { domain: 'acme' }, 'base URL')
 */
export function renderUrlTemplate(template: string, values: Readonly<Record<string, FieldValue>>, what: string): string {
  const resolve = ([key]: string[]) => values[key!]
  for (const part of placeholders(template)) {
    const { path } = part
    const value = placeholderValue(part, resolve)
    if (value === undefined || value === '') {
      throw new SwitchboardError(
        400,
        'missing_field',
        `The ${what} needs a value for "${path[0]}". Fill in that field of the connection.`,
        { details: { field: path[0] } },
      )
    }
  }
  const whole = wholePlaceholder(template)
  if (whole) return String(values[whole[0]!])
  return renderTemplate(template, resolve, { encode: encodeURIComponent })
}

function parseBase(text: string, what: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new SwitchboardError(400, 'invalid_base_url', `${capitalise(what)} is not a valid URL. Check the fields it is made from.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SwitchboardError(400, 'invalid_base_url', `${capitalise(what)} must start with https:// (or http://).`)
  }
  if (url.username || url.password) {
    throw new SwitchboardError(
      400,
      'invalid_base_url',
      `${capitalise(what)} must not contain a user name or password; credentials belong in the auth method.`,
    )
  }
  // Request paths are appended to the base URL, which therefore cannot end in a query: refused when it is
  // saved rather than at every request.
  if (url.search !== '') {
    throw new SwitchboardError(
      400,
      'invalid_base_url',
      `${capitalise(what)} must not have a query (?…); put query parameters in the request.`,
    )
  }
  url.hash = ''
  return url
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
