import type { ApiKeyAuth, AuthMethod, Field, OAuth2Auth, OAuth2Scope } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { clip, toKey, UniqueKeys } from './names.ts'
import { deref } from './refs.ts'

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,512}$/
const URL_TEMPLATE = /^https?:\/\/[^\s{}]+$/
const MAX_METHODS = 10

/** What became of one security scheme. */
export interface SchemeReport {
  name: string
  /** `apiKey (header X-Api-Key)`, `oauth2 (authorizationCode, implicit)`, … */
  type: string
  /** The auth methods made from it (an OAuth2 scheme with two usable flows makes two). */
  methods: string[]
  /** Why it (or part of it) was not mapped. */
  notMapped?: string
}

/** The auth methods and, per scheme name, the method ids and scopes made from it. */
export interface AuthMapping {
  methods: AuthMethod[]
  schemes: SchemeReport[]
  /** Scheme name → the OAuth2 scopes its methods declare. */
  scopes: Map<string, Set<string>>
}

/** Options the caller can give for what the spec only points at. */
export interface AuthOptions {
  /** An OpenID Connect discovery document (`.well-known/openid-configuration`), read from a file. */
  openIdConfig?: Record<string, unknown>
}

/**
 * `securitySchemes` (OpenAPI 3) or `securityDefinitions` (Swagger 2.0) → auth methods: HTTP basic and
 * bearer, API keys in a header, query parameter or cookie, OAuth2 authorization-code and client-credentials
 * flows with their scopes, OpenID Connect when its discovery document is given. `fieldKeys` are the
 * connector's own field keys, which a method's fields must not reuse.
 *
 * @example
 * mapAuth({ components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } } }, '3.1', undefined, [], {})
 * // { methods: [{ type: 'bearer', id: 'token', token: '{{token}}', … }], … }
 */
export function mapAuth(
  doc: Record<string, unknown>,
  version: '2.0' | '3.0' | '3.1',
  serverUrl: string | undefined,
  fieldKeys: string[],
  options: AuthOptions,
): AuthMapping {
  const raw = version === '2.0' ? doc.securityDefinitions : isObject(doc.components) ? doc.components.securitySchemes : undefined
  const entries = isObject(raw) ? Object.entries(raw) : []
  const ids = new UniqueKeys()
  const out: AuthMapping = { methods: [], schemes: [], scopes: new Map() }
  for (const [name, value] of entries) {
    const scheme = deref(doc, value)
    if (!isObject(scheme)) {
      out.schemes.push({ name, type: 'unknown', methods: [], notMapped: 'the scheme is not an object (or its $ref leads nowhere)' })
      continue
    }
    const made = mapScheme(name, scheme, { scheme: name, flows: usableFlows(scheme), ids, fieldKeys, serverUrl, options })
    const report: SchemeReport = { name, type: made.type, methods: [] }
    for (const method of made.methods) {
      if (out.methods.length >= MAX_METHODS) {
        made.notMapped ??= `a connector offers at most ${MAX_METHODS} auth methods`
        continue
      }
      out.methods.push(method)
      report.methods.push(method.id)
      if (method.type === 'oauth2') {
        const set = out.scopes.get(name) ?? new Set<string>()
        for (const scope of method.scopes ?? []) set.add(scope.value)
        out.scopes.set(name, set)
      }
    }
    if (made.notMapped) report.notMapped = made.notMapped
    out.schemes.push(report)
  }
  keysTogether(doc, out, ids)
  const labels = new Map<string, number>()
  for (const m of out.methods) labels.set(m.label ?? '', (labels.get(m.label ?? '') ?? 0) + 1)
  for (const m of out.methods) if ((labels.get(m.label ?? '') ?? 0) > 1) m.label = clip(`${m.label} – ${m.id}`, 80)!
  return out
}

function usableFlows(s: Record<string, unknown>): number {
  return isObject(s.flows)
    ? ['authorizationCode', 'clientCredentials'].filter((f) => isObject((s.flows as Record<string, unknown>)[f])).length
    : 1
}

/**
 * API keys the spec requires together (`security: [{ key: [], token: [] }]`, Trello's key and token) become
 * one more method that sends all of them, put first: it is the one the spec asks for.
 */
function keysTogether(doc: Record<string, unknown>, out: AuthMapping, ids: UniqueKeys): void {
  const byScheme = new Map(out.schemes.map((s) => [s.name, s.methods]))
  const requirements = Array.isArray(doc.security) ? doc.security.filter(isObject).slice(0, 20) : []
  const made: AuthMethod[] = []
  for (const requirement of requirements) {
    const names = Object.keys(requirement)
    if (names.length < 2 || out.methods.length + made.length >= MAX_METHODS) continue
    const parts = names.map((name) => {
      const [only, ...more] = byScheme.get(name) ?? []
      const method = more.length === 0 ? out.methods.find((m) => m.id === only) : undefined
      return method?.type === 'apiKey' ? method : undefined
    })
    if (parts.some((p) => p === undefined)) continue
    const keys = parts.flatMap((p) => (p!.fields ?? []).map((f) => f.key))
    const placements = parts.flatMap((p) => (p as ApiKeyAuth).placements)
    const slots = placements.map((p) => `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`)
    if (new Set(keys).size !== keys.length || new Set(slots).size !== slots.length) continue
    const id = ids.take(toKey(names.join(' and '), 'keys'))
    for (const s of out.schemes) if (names.includes(s.name)) s.methods.push(id)
    made.push({
      type: 'apiKey',
      id,
      label: clip(`API keys together (${names.join(' + ')})`, 80)!,
      fields: parts.flatMap((p) => p!.fields ?? []),
      placements: placements as ApiKeyAuth['placements'],
    })
  }
  out.methods.unshift(...made)
}

interface SchemeContext {
  /** The scheme's name and how many OAuth2 flows it maps. */
  scheme: string
  flows: number
  ids: UniqueKeys
  fieldKeys: string[]
  serverUrl: string | undefined
  options: AuthOptions
}

function mapScheme(
  name: string,
  s: Record<string, unknown>,
  ctx: SchemeContext,
): { type: string; methods: AuthMethod[]; notMapped?: string } {
  const type = String(s.type ?? '')
  const description = clip(s.description, 500)
  const common = { label: typeLabel(s), ...(description ? { description } : {}) }
  const id = () => ctx.ids.take(toKey(name, 'auth'))
  const keys = new UniqueKeys(ctx.fieldKeys)
  const secret = (wanted: string, fieldLabel: string): Field => ({
    key: keys.take(toKey(wanted)),
    label: fieldLabel,
    type: 'secret',
    required: true,
    ...(description ? { help: clip(description, 1000)! } : {}),
  })
  const scheme = String(s.scheme ?? '').toLowerCase()
  if (type === 'basic' || (type === 'http' && scheme === 'basic')) {
    const user: Field = { key: keys.take('username'), label: 'Username', type: 'text', required: true }
    const password = secret('password', 'Password')
    return {
      type: 'http basic',
      methods: [
        { type: 'basic', id: id(), ...common, fields: [user, password], username: `{{${user.key}}}`, password: `{{${password.key}}}` },
      ],
    }
  }
  if (type === 'http' && scheme === 'bearer') {
    const token = secret(
      'token',
      typeof s.bearerFormat === 'string' && s.bearerFormat !== '' ? clip(`${s.bearerFormat} token`, 120)! : 'Token',
    )
    return { type: 'http bearer', methods: [{ type: 'bearer', id: id(), ...common, fields: [token], token: `{{${token.key}}}` }] }
  }
  if (type === 'http')
    return { type: `http ${scheme}`, methods: [], notMapped: `HTTP "${clip(scheme, 40)}" authentication is not supported` }
  if (type === 'apiKey') return apiKey(s, common, id, secret)
  if (type === 'oauth2') return oauth2(s, common, ctx)
  if (type === 'openIdConnect') return openIdConnect(s, common, ctx)
  if (type === 'mutualTLS')
    return { type, methods: [], notMapped: 'mutual TLS: client certificates are set up per connection, not imported' }
  return { type: clip(type, 40) ?? 'unknown', methods: [], notMapped: `the scheme type "${clip(type, 40)}" is not an OpenAPI one` }
}

function typeLabel(s: Record<string, unknown>): string {
  const scheme = String(s.scheme ?? '').toLowerCase()
  if (s.type === 'basic' || scheme === 'basic') return 'HTTP Basic'
  if (scheme === 'bearer') return 'Bearer token'
  if (s.type === 'apiKey') return clip(`API key (${String(s.in)} ${String(s.name)})`, 80) ?? 'API key'
  return s.type === 'openIdConnect' ? 'OpenID Connect' : 'OAuth2'
}

function apiKey(
  s: Record<string, unknown>,
  common: Record<string, string>,
  id: () => string,
  secret: (wanted: string, label: string) => Field,
): { type: string; methods: AuthMethod[]; notMapped?: string } {
  const where = String(s.in ?? '')
  const name = typeof s.name === 'string' ? s.name : ''
  const type = `apiKey (${clip(where, 20)} ${clip(name, 60)})`
  if (name === '' || name.length > 128) return { type, methods: [], notMapped: 'the API key has no usable name' }
  const field = secret(name, /^[\w-]*api[\W_]?key$/i.test(name) ? 'API key' : (clip(name, 120) ?? 'API key'))
  const value = `{{${field.key}}}`
  if (where === 'query')
    return { type, methods: [{ type: 'apiKey', id: id(), ...common, fields: [field], placements: [{ in: 'query', name, value }] }] }
  if (!HEADER_NAME.test(name)) return { type, methods: [], notMapped: `"${clip(name, 60)}" is not a valid header or cookie name` }
  // A cookie is sent as a Cookie header (RFC 6265 §5.4): one name=value pair.
  const placement =
    where === 'cookie' ? { in: 'header' as const, name: 'Cookie', value: `${name}=${value}` } : { in: 'header' as const, name, value }
  if (where !== 'header' && where !== 'cookie')
    return { type, methods: [], notMapped: `an API key "in: ${clip(where, 20)}" is not supported` }
  return { type, methods: [{ type: 'apiKey', id: id(), ...common, fields: [field], placements: [placement] }] }
}

function oauth2(
  s: Record<string, unknown>,
  common: Record<string, string>,
  ctx: SchemeContext,
): { type: string; methods: AuthMethod[]; notMapped?: string } {
  // Swagger 2.0 has one flow per scheme, with other names.
  const flows: Record<string, unknown> = isObject(s.flows)
    ? s.flows
    : typeof s.flow === 'string'
      ? { [{ accessCode: 'authorizationCode', application: 'clientCredentials' }[s.flow] ?? s.flow]: s }
      : {}
  const names = Object.keys(flows)
  const methods: AuthMethod[] = []
  const skipped: string[] = []
  const prefer = ['authorizationCode', 'clientCredentials']
  for (const flowName of [...prefer.filter((f) => names.includes(f)), ...names.filter((f) => !prefer.includes(f))]) {
    const flow = flows[flowName]
    if (!isObject(flow)) continue
    if (flowName !== 'authorizationCode' && flowName !== 'clientCredentials') {
      skipped.push(`the ${flowName} flow is not supported (authorization code and client credentials are)`)
      continue
    }
    const made = oauth2Method(flow, flowName, common, ctx)
    if (typeof made === 'string') skipped.push(`${flowName}: ${made}`)
    else methods.push(made)
  }
  return {
    type: `oauth2 (${names.map((n) => clip(n, 30)).join(', ')})`,
    methods,
    ...(skipped.length > 0 ? { notMapped: skipped.join('; ') } : {}),
  }
}

function oauth2Method(
  flow: Record<string, unknown>,
  flowName: string,
  common: Record<string, string>,
  ctx: SchemeContext,
): OAuth2Auth | string {
  const tokenUrl = absolute(flow.tokenUrl, ctx.serverUrl)
  if (!tokenUrl) return `its token URL ${show(flow.tokenUrl)} is not an absolute http(s) URL`
  const refreshUrl = absolute(flow.refreshUrl, ctx.serverUrl)
  const scopes = oauthScopes(flow.scopes)
  const base = {
    type: 'oauth2' as const,
    id: ctx.ids.take(toKey(`${ctx.scheme} ${flowName === 'clientCredentials' && ctx.flows > 1 ? 'client credentials' : ''}`, 'oauth')),
    ...common,
    ...(flowName === 'clientCredentials' ? { label: clip(`${common.label} (client credentials)`, 80) } : {}),
    tokenUrl,
    ...(refreshUrl ? { refreshUrl } : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
  }
  if (flowName === 'clientCredentials') return { ...base, grant: 'client_credentials' }
  const authorizeUrl = absolute(flow.authorizationUrl, ctx.serverUrl)
  if (!authorizeUrl) return `its authorization URL ${show(flow.authorizationUrl)} is not an absolute http(s) URL`
  return { ...base, grant: 'authorization_code', authorizeUrl }
}

function openIdConnect(
  s: Record<string, unknown>,
  common: Record<string, string>,
  ctx: SchemeContext,
): { type: string; methods: AuthMethod[]; notMapped?: string } {
  const config = ctx.options.openIdConfig
  if (!config) {
    return {
      type: 'openIdConnect',
      methods: [],
      notMapped: `the discovery document at ${show(s.openIdConnectUrl)} is not fetched: save it and pass it with --openid-config <file>`,
    }
  }
  const scopes = Array.isArray(config.scopes_supported) ? Object.fromEntries(config.scopes_supported.map((v) => [String(v), ''])) : {}
  const made = oauth2Method(
    { authorizationUrl: config.authorization_endpoint, tokenUrl: config.token_endpoint, scopes },
    'authorizationCode',
    common,
    ctx,
  )
  if (typeof made === 'string') return { type: 'openIdConnect', methods: [], notMapped: `the discovery document: ${made}` }
  const issuer = typeof config.issuer === 'string' && /^https:\/\/\S+$/.test(config.issuer) ? { issuer: config.issuer } : {}
  return { type: 'openIdConnect', methods: [{ ...made, ...issuer }] }
}

function oauthScopes(value: unknown): OAuth2Scope[] {
  if (!isObject(value)) return []
  return Object.entries(value)
    .filter(([scope]) => SCOPE.test(scope))
    .slice(0, 500)
    .map(([scope, description]) => {
      const text = clip(description, 500)
      return { value: scope, ...(text ? { description: text } : {}) }
    })
}

/** An OAuth2 URL as the spec gives it, relative ones resolved against the server (OpenAPI 3 allows them). */
function absolute(value: unknown, serverUrl: string | undefined): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined
  let url = value.trim()
  if (!/^https?:\/\//i.test(url)) {
    if (!serverUrl || url === '') return undefined
    try {
      url = new URL(url, `${serverUrl}/`).href
    } catch {
      return undefined
    }
  }
  return URL_TEMPLATE.test(url) && !url.includes('{{') ? url : undefined
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${clip(value, 120)}"` : '(none)'
}
