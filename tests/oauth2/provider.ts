/**
 * A small OAuth2 provider on 127.0.0.1 with the quirks of real ones, switchable per test: form-encoded token
 * responses (GitHub without `Accept: application/json`), comma-separated scopes and a nested user token
 * (Slack), `expires_in` as a string, client authentication in the body only, `iss` on the redirect
 * (RFC 9207), and refresh-token rotation with reuse detection (a refresh token presented twice revokes its
 * whole family, as OAuth 2.1 §6.1 recommends). It also serves a tiny API that accepts only its live tokens.
 */
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ProviderOptions {
  /** The clock token expiry is judged by; share the runtime's. */
  now: () => number
  clientId?: string
  clientSecret?: string
  /** Which client authentication is accepted (default: either). */
  clientAuth?: 'basic' | 'post' | 'any'
  /** `form`: answers form-encoded whatever the Accept header says. */
  tokenFormat?: 'json' | 'form'
  /** How the granted scopes are written in the token response (default space). */
  scopeSeparator?: ' ' | ','
  /** Slack's shape: bot token at the top, the user's token under `authed_user`. */
  slack?: boolean
  /** Access token lifetime in seconds; undefined: no `expires_in`. */
  accessTtl?: number
  expiresInAsString?: boolean
  /** Issue refresh tokens (default true). */
  refresh?: boolean
  /** Rotate refresh tokens on every use and detect reuse. */
  rotate?: boolean
  /** Revoke the family's older access tokens when a refresh issues a new one. */
  revokeOldAccess?: boolean
  /** Leave `scope` out of token responses. */
  omitScope?: boolean
  /** Grant only these of the requested scopes. */
  grantOnly?: string[]
  /** The API answers 401 to every token. */
  apiRejectsAll?: boolean
  /** Add `iss` to the authorize redirect. */
  iss?: string
  /** Token endpoint latency. */
  delayMs?: number
}

export interface TokenRequestSeen {
  path: string
  params: URLSearchParams
  headers: http.IncomingHttpHeaders
}

interface Family {
  revoked: boolean
  current?: string
  used: Set<string>
}

export interface Provider {
  origin: string
  options: ProviderOptions
  authorizeRequests: URL[]
  tokenRequests: TokenRequestSeen[]
  apiRequests: Array<{ method: string; path: string; authorization: string | undefined }>
  /** Refresh-token grant requests received. */
  refreshes(): number
  /** A used refresh token presented again. */
  reuseEvents: number
  /** The latest refresh token issued. */
  lastRefreshToken(): string | undefined
  /** The access tokens that are live now. */
  liveAccessTokens(): string[]
  /** Every secret the provider issued or received: codes, tokens, verifiers, the client secret. */
  secrets(): string[]
  /** The next token requests fail with these statuses (`hang`: no answer). */
  failNext(...replies: Array<number | 'hang'>): void
  /** Revokes every grant: refreshes answer `invalid_grant`. */
  revokeAll(): void
  /** Revokes every access token (the API answers 401) but no grant. */
  revokeAccess(): void
  /** Answers the next authorize request with this error instead of a code. */
  denyNext(error: string, description: string): void
  /**
   * Holds the next refresh-token request until `release()`: `arrived` resolves once it is held, so a test
   * can act while a refresh is under way without guessing how long it takes.
   */
  holdNextRefresh(): { arrived: Promise<void>; release(): void }
  close(): Promise<void>
}

/**
 * Starts the provider.
 *
 * @example
 * const provider = await startProvider({ now: () => h.now.ms, tokenFormat: 'form' })
 */
export async function startProvider(options: ProviderOptions): Promise<Provider> {
  const clientId = options.clientId ?? 'client-4711'
  const clientSecret = options.clientSecret ?? `cs-${randomBytes(12).toString('hex')}`
  options.clientId = clientId
  options.clientSecret = clientSecret
  const codes = new Map<string, { redirectUri: string; challenge?: string; scopes: string[]; used: boolean }>()
  const access = new Map<string, { family?: Family; expiresAt: number; revoked: boolean }>()
  const refreshTokens = new Map<string, { family: Family; scopes: string[] }>()
  const issued: string[] = [clientSecret]
  const failures: Array<number | 'hang'> = []
  let denial: { error: string; description: string } | undefined
  let hold: { arrive(): void; released: Promise<void> } | undefined
  let lastRefresh: string | undefined
  const provider: Provider = {
    origin: '',
    options,
    authorizeRequests: [],
    tokenRequests: [],
    apiRequests: [],
    refreshes: () => provider.tokenRequests.filter((r) => r.params.get('grant_type') === 'refresh_token').length,
    reuseEvents: 0,
    lastRefreshToken: () => lastRefresh,
    liveAccessTokens: () => [...access].filter(([, a]) => !a.revoked && a.expiresAt > options.now()).map(([t]) => t),
    secrets: () => [...issued],
    failNext: (...replies) => void failures.push(...replies),
    revokeAll() {
      for (const entry of refreshTokens.values()) entry.family.revoked = true
    },
    revokeAccess() {
      for (const entry of access.values()) entry.revoked = true
    },
    denyNext(error, description) {
      denial = { error, description }
    },
    holdNextRefresh() {
      let arrive!: () => void
      let release!: () => void
      const arrived = new Promise<void>((done) => (arrive = done))
      hold = { arrive, released: new Promise<void>((done) => (release = done)) }
      return { arrived, release }
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }

  const mint = (prefix: string) => {
    const token = `${prefix}${randomBytes(16).toString('hex')}`
    issued.push(token)
    return token
  }

  function issue(scopes: string[], family: Family | undefined): Record<string, unknown> {
    const accessToken = mint(options.slack ? 'xoxp-' : 'at-')
    if (family && options.revokeOldAccess) for (const entry of access.values()) if (entry.family === family) entry.revoked = true
    access.set(accessToken, {
      ...(family ? { family } : {}),
      expiresAt: options.accessTtl === undefined ? Infinity : options.now() + options.accessTtl * 1000,
      revoked: false,
    })
    const out: Record<string, unknown> = { access_token: accessToken, token_type: options.slack ? 'user' : 'bearer' }
    if (options.accessTtl !== undefined) out.expires_in = options.expiresInAsString ? String(options.accessTtl) : options.accessTtl
    if (family && (family.current === undefined || options.rotate)) {
      const refreshToken = mint('rt-')
      family.current = refreshToken
      refreshTokens.set(refreshToken, { family, scopes })
      lastRefresh = refreshToken
      out.refresh_token = refreshToken
    }
    if (!options.omitScope) out.scope = scopes.join(options.scopeSeparator ?? ' ')
    if (!options.slack) return out
    const bot = mint('xoxb-')
    return { ok: true, access_token: bot, token_type: 'bot', scope: 'chat:write', team: { id: 'T1' }, authed_user: { id: 'U1', ...out } }
  }

  function token(params: URLSearchParams, headers: http.IncomingHttpHeaders): { status: number; body: Record<string, unknown> } {
    const refuse = (status: number, error: string, description?: string) => ({
      status,
      body: options.slack ? { ok: false, error } : { error, ...(description ? { error_description: description } : {}) },
    })
    const basic = /^Basic (.+)$/.exec(headers.authorization ?? '')
    const auth = options.clientAuth ?? 'any'
    let id: string | null
    let secret: string | null
    if (basic) {
      if (auth === 'post') return refuse(401, 'invalid_client', 'client_secret_basic is not supported')
      const decoded = Buffer.from(basic[1]!, 'base64').toString()
      const colon = decoded.indexOf(':')
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '))
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '))
    } else {
      if (auth === 'basic') return refuse(401, 'invalid_client', 'use client_secret_basic')
      id = params.get('client_id')
      secret = params.get('client_secret')
    }
    if (id !== clientId || secret !== clientSecret) return refuse(401, 'invalid_client', 'unknown client or wrong secret')
    const wantsRefresh = options.refresh ?? true
    switch (params.get('grant_type')) {
      case 'authorization_code': {
        const code = codes.get(params.get('code') ?? '')
        if (!code || code.used) return refuse(400, 'invalid_grant', 'unknown or used code')
        code.used = true
        if (params.get('redirect_uri') !== code.redirectUri)
          return refuse(400, 'invalid_grant', 'redirect_uri differs from the authorize request')
        const verifier = params.get('code_verifier')
        if (verifier) issued.push(verifier)
        if (code.challenge !== undefined && (!verifier || createHash('sha256').update(verifier).digest('base64url') !== code.challenge))
          return refuse(400, 'invalid_grant', 'PKCE verification failed')
        return { status: 200, body: issue(code.scopes, wantsRefresh ? { revoked: false, used: new Set() } : undefined) }
      }
      case 'refresh_token': {
        const presented = params.get('refresh_token') ?? ''
        const entry = refreshTokens.get(presented)
        if (!entry || entry.family.revoked) return refuse(400, 'invalid_grant', 'refresh token revoked')
        if (options.rotate) {
          if (entry.family.used.has(presented) || entry.family.current !== presented) {
            provider.reuseEvents++
            entry.family.revoked = true
            for (const a of access.values()) if (a.family === entry.family) a.revoked = true
            return refuse(400, 'invalid_grant', 'refresh token reuse detected; the grant is revoked')
          }
          entry.family.used.add(presented)
        }
        return { status: 200, body: issue(entry.scopes, entry.family) }
      }
      case 'client_credentials':
        return { status: 200, body: issue((params.get('scope') ?? '').split(/[ ,]+/).filter(Boolean), undefined) }
      default:
        return refuse(400, 'unsupported_grant_type')
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://provider')
      if (req.method === 'GET' && url.pathname.endsWith('/authorize')) {
        provider.authorizeRequests.push(url)
        const q = url.searchParams
        const back = new URL(q.get('redirect_uri') ?? '')
        if (denial) {
          back.searchParams.set('error', denial.error)
          back.searchParams.set('error_description', denial.description)
          denial = undefined
        } else {
          const code = mint('code-')
          const requested = (q.get(options.slack ? 'user_scope' : 'scope') ?? '').split(/[ ,]+/).filter(Boolean)
          const scopes = options.grantOnly ? requested.filter((s) => options.grantOnly!.includes(s)) : requested
          codes.set(code, {
            redirectUri: q.get('redirect_uri') ?? '',
            ...(q.get('code_challenge') ? { challenge: q.get('code_challenge')! } : {}),
            scopes,
            used: false,
          })
          back.searchParams.set('code', code)
        }
        if (q.get('state') !== null) back.searchParams.set('state', q.get('state')!)
        if (options.iss) back.searchParams.set('iss', options.iss)
        res.writeHead(302, { location: back.href })
        res.end()
        return
      }
      if (req.method === 'POST' && url.pathname.endsWith('/token')) {
        const params = new URLSearchParams(Buffer.concat(chunks).toString())
        provider.tokenRequests.push({ path: url.pathname, params, headers: req.headers })
        const failure = failures.shift()
        if (failure === 'hang') return
        const answer = () => {
          if (failure !== undefined) {
            res.writeHead(failure, { 'content-type': 'application/json' })
            res.end(JSON.stringify({ error: 'temporarily_unavailable' }))
            return
          }
          const { status, body } = token(params, req.headers)
          const form = options.tokenFormat === 'form'
          res.writeHead(options.slack ? 200 : status, {
            'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
            'cache-control': 'no-store',
          })
          res.end(form ? new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString() : JSON.stringify(body))
        }
        const delay = options.delayMs ?? 0
        const held = params.get('grant_type') === 'refresh_token' ? hold : undefined
        if (held) {
          hold = undefined
          held.arrive()
          void held.released.then(answer)
        } else if (delay) setTimeout(answer, delay)
        else answer()
        return
      }
      if (url.pathname.startsWith('/api/')) {
        const authorization = req.headers.authorization
        provider.apiRequests.push({ method: req.method ?? 'GET', path: url.pathname, authorization })
        const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]
        const entry = bearer === undefined ? undefined : access.get(bearer)
        const live = entry !== undefined && !entry.revoked && entry.expiresAt > options.now() && !options.apiRejectsAll
        res.writeHead(live ? 200 : 401, { 'content-type': 'application/json' })
        res.end(JSON.stringify(live ? { ok: true, login: 'octo-person', path: url.pathname } : { ok: false, error: 'invalid_token' }))
        return
      }
      res.writeHead(404)
      res.end()
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  provider.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return provider
}
