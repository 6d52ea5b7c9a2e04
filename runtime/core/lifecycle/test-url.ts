import { placeholders } from '../../../schemas/template/index.ts'
import type { Connector, Field } from '../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../errors.ts'
import type { FieldValue } from '../../types.ts'
import { renderUrlTemplate } from '../requests/index.ts'

/**
 * Refuses values that put a connector's absolute test URL (generic connectors: `{{testUrl}}`) on another
 * origin than the base URL, when they are saved rather than at the next test: the test sends the
 * credentials, so it may only go where they go. The request itself is checked again when it is sent.
 * Values still missing, or a test URL that is not a URL yet, are left to the field checks and the test.
 *
 * @example
 * assertTestUrlOnOrigin(connector, fields, { testUrl: 'https://evil.example/me' }, new URL('https://api.example.com'))
 * // throws 400 test_url_other_origin naming "Test URL"
 */
export function assertTestUrlOnOrigin(
  connector: Pick<Connector, 'test' | 'baseUrl'>,
  fields: ReadonlyMap<string, Field>,
  values: Readonly<Record<string, FieldValue>>,
  baseUrl: URL,
): void {
  const template = connector.test?.url
  if (template === undefined) return
  let url: URL
  try {
    url = new URL(renderUrlTemplate(template, values, 'test URL'))
  } catch {
    return
  }
  if (url.origin === baseUrl.origin) return
  // Name what the person typed: the test URL's fields or, for a fixed test URL, the base URL's.
  const own = fieldKeys(template, fields)
  const keys = own.length > 0 ? own : fieldKeys(connector.baseUrl, fields)
  const labels = keys.map((key) => fields.get(key)!.label).join(' and ')
  const message =
    own.length > 0
      ? `${labels} must be on the base URL's origin (${baseUrl.origin}), where the credentials go; it points to ${url.origin}`
      : `${labels || 'The base URL'} must be on the test URL's origin (${url.origin}), where the test sends the credentials; it is ` +
        `${baseUrl.origin}`
  throw new SwitchboardError(400, 'test_url_other_origin', `${message}.`, {
    details: {
      errors: (keys.length > 0 ? keys.map((key) => `/values/${key}`) : ['/baseUrl']).map((path) => ({
        path,
        keyword: 'sameOrigin',
        message,
      })),
    },
  })
}

function fieldKeys(template: string, fields: ReadonlyMap<string, Field>): string[] {
  return [...new Set(placeholders(template).map((p) => p.path[0]!))].filter((key) => fields.has(key))
}
