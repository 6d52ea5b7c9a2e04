import type { AuthMethod, Connector } from '../../../schemas/types/connector.ts'
import { isObject } from '../../../schemas/validate/context.ts'
import { validateConnector } from '../../../schemas/validate/index.ts'
import { resolveAliases } from './nango/aliases.ts'
import { apiKeyAuth, awsAuth, basicAuth } from './nango/auth-basic-key.ts'
import { appAuth, clientAssertionAuth, jwtAuth } from './nango/auth-jwt.ts'
import { oauth2Auth } from './nango/auth-oauth2.ts'
import { noAuth, notImported, oauth1Auth } from './nango/auth-other.ts'
import { grantLoginAuth, sessionAuth } from './nango/auth-session.ts'
import { categoriesOf, connectorId } from './nango/catalogue.ts'
import { Conversion, Unsupported } from './nango/conversion.ts'
import { convertProxy, type ProxyParts } from './nango/proxy.ts'
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
  try {
    if (!isImportedMode(mode)) throw notImported(provider)
    const conv = new Conversion(provider, mode)
    const proxy = convertProxy(conv)
    const auth = authMethod(conv, proxy)
    if (auth.type !== 'oauth2' && Object.keys(proxy.query).length > 0)
      throw new Unsupported('query parameter on every request', Object.keys(proxy.query)[0])
    const test = conv.optional('test request', () => convertTest(conv, proxy.baseUrl))
    const docs = typeof provider.docs === 'string' && /^https:\/\/\S+$/.test(provider.docs) ? provider.docs : undefined
    const connector: Connector = {
      id: connectorId(name),
      name: displayName(provider, name),
      ...(docs ? { docsUrl: docs } : {}),
      categories: categoriesOf(provider.categories),
      baseUrl: proxy.baseUrl,
      ...(conv.allowedHosts.size > 0 ? { allowedHosts: [...conv.allowedHosts] } : {}),
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

/** The auth method for the provider's mode. */
function authMethod(conv: Conversion, proxy: ProxyParts): AuthMethod {
  const tokenless = () => {
    if (proxy.token.length > 0) throw new Unsupported(`access token in a ${conv.mode} method`, proxy.token[0]!.name)
  }
  switch (conv.mode) {
    case 'API_KEY':
      tokenless()
      return apiKeyAuth(conv, proxy.placements)
    case 'BASIC':
      tokenless()
      if (proxy.aws) return awsAuth(conv, proxy.aws)
      if (proxy.placements.length > 0) {
        conv.notes.add('username and password sent where the proxy puts them, not as HTTP Basic')
        return { ...apiKeyAuth(conv, proxy.placements), id: 'basic', label: 'Username and password' }
      }
      return basicAuth(conv, proxy.basic)
    case 'OAUTH2':
      return oauth2Auth(conv, 'authorization_code', proxy)
    case 'MCP_OAUTH2':
      return mcpAuth(conv, proxy)
    case 'OAUTH2_CC': {
      const params = isObject(conv.provider.token_params) ? conv.provider.token_params : {}
      if (params.grant_type !== undefined && params.grant_type !== 'client_credentials') return grantLoginAuth(conv, proxy)
      return oauth2Auth(conv, 'client_credentials', proxy)
    }
    case 'TWO_STEP':
      if (conv.provider.token !== undefined) return jwtAuth(conv, proxy)
      if (conv.provider.assertion !== undefined) return clientAssertionAuth(conv, proxy)
      return sessionAuth(conv, proxy)
    case 'JWT':
      return jwtAuth(conv, proxy)
    case 'APP':
      return appAuth(conv, proxy)
    case 'OAUTH1':
      tokenless()
      return oauth1Auth(conv)
    case 'NONE':
      tokenless()
      return noAuth()
  }
}

/**
 * An MCP server's OAuth2: with a client registered beforehand (`static`) it is any authorization-code
 * provider; one that registers clients dynamically (RFC 7591) takes a client registered once at its
 * registration URL, which the connector's OAuth2 app is then configured with.
 */
function mcpAuth(conv: Conversion, proxy: ProxyParts): AuthMethod {
  const registration = conv.provider.client_registration
  if (registration === 'dynamic') {
    if (typeof conv.provider.registration_url !== 'string') throw new Unsupported('dynamic client registration without a registration URL')
    conv.notes.add('the OAuth2 client is registered once at the registration URL, not for each connection')
  } else if (registration !== 'static') {
    throw new Unsupported('MCP client identified by a metadata document URL, which OAuth2 methods cannot name', String(registration))
  }
  return oauth2Auth(conv, 'authorization_code', proxy)
}

function isImportedMode(mode: unknown): mode is ImportedMode {
  return (IMPORTED_MODES as readonly unknown[]).includes(mode)
}

function displayName(provider: NangoProvider, name: string): string {
  const display = typeof provider.display_name === 'string' ? provider.display_name.trim() : ''
  return (display || name).slice(0, 80)
}
