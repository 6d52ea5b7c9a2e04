import type { AuthMethod, Connector } from '../../../schemas/types/connector.ts'
import { validateConnector } from '../../../schemas/validate/index.ts'
import { resolveAliases } from './nango/aliases.ts'
import { apiKeyAuth, basicAuth } from './nango/auth-basic-key.ts'
import { oauth2Auth } from './nango/auth-oauth2.ts'
import { categoriesOf, connectorId } from './nango/catalogue.ts'
import { Conversion, Unsupported } from './nango/conversion.ts'
import { convertProxy } from './nango/proxy.ts'
import { convertTest } from './nango/test-request.ts'
import { IMPORTED_MODES, type ImportedMode, type NangoConversion, type NangoImportEntry, type NangoProvider } from './nango/types.ts'

export { type NangoImportSummary, summarizeNangoImport } from './nango/summary.ts'
export {
  IMPORTED_MODES,
  type ImportedMode,
  type NangoConversion,
  type NangoImportEntry,
  type NangoProvider,
  type SkipReason,
} from './nango/types.ts'

/**
 * Converts one Nango provider (aliases already followed) into a connector, or says why it cannot.
 * Only the auth modes in {@link IMPORTED_MODES} are converted.
 *
 * @example
 * convertNangoProvider('acme', {
 *   display_name: 'Acme', auth_mode: 'API_KEY', docs: 'https://docs.acme.test',
 *   proxy: { base_url: 'https://api.acme.test', headers: { 'x-api-key': '${apiKey}' } },
 * }).connector?.auth[0] // { type: 'apiKey', id: 'apiKey', placements: [{ in: 'header', name: 'x-api-key', value: '{{apiKey}}' }], … }
 */
export function convertNangoProvider(name: string, provider: NangoProvider): NangoConversion {
  const mode = provider.auth_mode
  if (!isImportedMode(mode)) return { skipped: { reason: 'auth mode not imported', detail: String(mode) } }
  try {
    const conv = new Conversion(provider, mode)
    const proxy = convertProxy(conv)
    const auth: AuthMethod =
      mode === 'API_KEY'
        ? apiKeyAuth(conv, proxy.placements)
        : mode === 'BASIC'
          ? basicAuth(conv, proxy.basic)
          : oauth2Auth(conv, mode === 'OAUTH2' ? 'authorization_code' : 'client_credentials')
    const test = conv.optional('test request', () => convertTest(conv, proxy.baseUrl))
    const docs = typeof provider.docs === 'string' && /^https:\/\/\S+$/.test(provider.docs) ? provider.docs : undefined
    const connector: Connector = {
      id: connectorId(name),
      name: displayName(provider, name),
      ...(docs ? { docsUrl: docs } : {}),
      categories: categoriesOf(provider.categories),
      baseUrl: proxy.baseUrl,
      ...(conv.fields.size > 0 ? { fields: [...conv.fields.values()] } : {}),
      auth: [auth],
      ...(Object.keys(proxy.headers).length > 0 ? { headers: proxy.headers } : {}),
      ...(test ? { test } : {}),
    }
    return conv.notes.size > 0 ? { connector, notes: [...conv.notes] } : { connector }
  } catch (error) {
    if (error instanceof Unsupported) return { skipped: { reason: error.reason, ...(error.detail ? { detail: error.detail } : {}) } }
    throw error
  }
}

/**
 * Converts and validates a whole catalogue (the parsed `providers.yaml`), aliases followed. Two
 * providers whose ids come out equal keep the first; the second is skipped.
 *
 * @example
 * const entries = importNangoCatalogue(parse(readFileSync('providers.yaml', 'utf8')))
 * entries.filter((e) => e.validation?.valid).length
 */
export function importNangoCatalogue(catalogue: Record<string, unknown>): NangoImportEntry[] {
  const ids = new Map<string, string>()
  return resolveAliases(catalogue).map(({ name, provider, alias, brokenAlias }) => {
    const authMode = typeof provider.auth_mode === 'string' ? provider.auth_mode : 'unknown'
    const entry: NangoImportEntry = { name, authMode, ...(alias ? { alias } : {}), result: {} }
    if (brokenAlias) {
      entry.result = { skipped: { reason: 'alias of a provider that does not exist', detail: alias } }
      return entry
    }
    entry.result = convertNangoProvider(name, provider)
    const connector = entry.result.connector
    if (!connector) return entry
    const taken = ids.get(connector.id)
    if (taken) {
      entry.result = { skipped: { reason: 'id already taken by another provider', detail: taken } }
      return entry
    }
    ids.set(connector.id, name)
    entry.validation = validateConnector(connector)
    return entry
  })
}

function isImportedMode(mode: unknown): mode is ImportedMode {
  return (IMPORTED_MODES as readonly unknown[]).includes(mode)
}

function displayName(provider: NangoProvider, name: string): string {
  const display = typeof provider.display_name === 'string' ? provider.display_name.trim() : ''
  return (display || name).slice(0, 80)
}
