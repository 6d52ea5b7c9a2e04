/**
 * Loopback stand-ins for the three ways real APIs take a JWT, each with its provider's quirks and failures:
 * - a GitHub App: `POST /app/installations/{id}/access_tokens` verifies an RS256 JWT whose `iss` is the app id and
 *   whose `exp` is at most 10 minutes after `iat` (401 with GitHub's messages otherwise, 404 for an installation
 *   the app does not have) and answers 201 `{ token: "ghs_…", expires_at }`; the API takes `token ghs_…` or
 *   `Bearer ghs_…` and answers 401 "Bad credentials" to anything else;
 * - a Google-style token URL: the RFC 7523 jwt-bearer grant, 400 `invalid_grant` "Invalid JWT Signature." to a
 *   wrong key and "Token must be a short-lived token (60 minutes)…" to a bad `iat`/`exp` or audience;
 * - an App Store Connect-style API that takes the ES256 JWT itself, with `kid` and `aud: appstoreconnect-v1`.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt, decodeProtectedHeader, type JWTPayload, jwtVerify, type KeyObject } from 'jose'

export interface Seen {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: string
}

export interface StandIn {
  origin: string
  seen: Seen[]
  /** Tokens it issued, for leak sweeps. */
  issued: string[]
  close(): Promise<void>
}

type Handler = (
  req: Seen,
  issue: (prefix: string) => string,
) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>

async function serve(handler: Handler): Promise<StandIn> {
  const seen: Seen[] = []
  const issued: string[] = []
  const issue = (prefix: string) => {
    const token = `${prefix}${randomBytes(18).toString('hex')}`
    issued.push(token)
    return token
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in')
      const request: Seen = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      }
      seen.push(request)
      handler(request, issue).then(
        (reply) => {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
          res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body))
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' })
          res.end(String(error))
        },
      )
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    seen,
    issued,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

async function verified(token: string, key: KeyObject, now: number, algorithms: string[]): Promise<JWTPayload | undefined> {
  try {
    // Expiry is judged below with the provider's own words; only the signature here.
    return (await jwtVerify(token, key, { algorithms, currentDate: new Date(now) })).payload
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') return decodeJwt(token)
    return undefined
  }
}

function bearer(headers: http.IncomingHttpHeaders): string | undefined {
  return /^(?:Bearer|token) (.+)$/.exec(headers.authorization ?? '')?.[1]
}

/** A GitHub App's installation-token exchange and the API its tokens open. */
export async function startGitHubApp(options: { appId: string; installationId: string; publicKey: KeyObject; now: () => number }) {
  const live = new Map<string, number>()
  const stand = await serve(async (req, issue) => {
    const now = options.now()
    const install = /^\/app\/installations\/([^/]+)\/access_tokens$/.exec(req.path)
    if (install && req.method === 'POST') {
      const jwt = bearer(req.headers)
      const claims = jwt && (await verified(jwt, options.publicKey, now, ['RS256']))
      const unauthorized = (message: string) => ({ status: 401, body: { message, documentation_url: 'https://docs.github.com/rest' } })
      if (!claims) return unauthorized('A JSON web token could not be decoded')
      if (claims.iss !== options.appId) return unauthorized("'Issuer' claim ('iss') must be an Integer")
      if ((claims.exp ?? 0) - (claims.iat ?? 0) > 600) return unauthorized("'Expiration time' claim ('exp') is too far in the future")
      if ((claims.exp ?? 0) * 1000 <= now)
        return unauthorized(
          "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
        )
      if ((claims.iat ?? 0) * 1000 > now + 60_000)
        return unauthorized("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued")
      if (install[1] !== options.installationId)
        return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } }
      const token = issue('ghs_')
      const expiresAt = now + 60 * 60 * 1000
      live.set(token, expiresAt)
      return {
        status: 201,
        body: { token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: { contents: 'read' } },
      }
    }
    const token = bearer(req.headers)
    const until = token === undefined ? undefined : live.get(token)
    if (until === undefined || until <= now)
      return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } }
    if (req.path === '/installation/repositories')
      return { status: 200, body: { total_count: 1, repositories: [{ full_name: 'acme/widgets', owner: { login: 'acme' } }] } }
    if (req.path === '/elsewhere') return { status: 302, body: '', headers: { location: `${req.query.get('to')}/stolen` } }
    return { status: 200, body: { path: req.path, query: Object.fromEntries(req.query) } }
  })
  /** Revokes every installation token (an app's key rotated, a token revoked through the API). */
  return Object.assign(stand, { revokeTokens: () => live.clear() })
}

/** A Google-style OAuth2 token URL taking service-account JWTs, and an API taking its access tokens. */
export async function startGoogle(options: { clientEmail: string; publicKey: KeyObject; now: () => number }) {
  const live = new Set<string>()
  const stand: StandIn = await serve(async (req, issue) => {
    if (req.path === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(req.body)
      const invalid = (description: string) => ({ status: 400, body: { error: 'invalid_grant', error_description: description } })
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' } }
      const claims = await verified(form.get('assertion') ?? '', options.publicKey, options.now(), ['RS256'])
      if (!claims) return invalid('Invalid JWT Signature.')
      if (claims.iss !== options.clientEmail) return invalid('Invalid grant: account not found')
      const now = options.now() / 1000
      const shortLived = (claims.exp ?? 0) - (claims.iat ?? 0) <= 3600 && (claims.exp ?? 0) > now && (claims.iat ?? 0) <= now + 60
      if (!shortLived || claims.aud !== `${stand.origin}/token`)
        return invalid(
          'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. ' +
            'Check your iat and exp values in the JWT claim.',
        )
      const token = issue('ya29.')
      live.add(token)
      return { status: 200, body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } }
    }
    const token = bearer(req.headers)
    if (!token || !live.has(token))
      return {
        status: 401,
        body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } },
      }
    return { status: 200, body: { user: { emailAddress: options.clientEmail }, path: req.path } }
  })
  return stand
}

/** An App Store Connect-style API that takes the signed ES256 token itself. */
export async function startAppStore(options: { keyId: string; issuerId: string; publicKey: KeyObject; now: () => number }) {
  return serve(async (req) => {
    const token = bearer(req.headers) ?? ''
    const refuse = {
      status: 401,
      body: { errors: [{ status: '401', code: 'NOT_AUTHORIZED', title: 'Authentication credentials are missing or invalid.' }] },
    }
    const header = (() => {
      try {
        return decodeProtectedHeader(token)
      } catch {
        return undefined
      }
    })()
    if (header?.kid !== options.keyId) return refuse
    const claims = await verified(token, options.publicKey, options.now(), ['ES256'])
    const now = options.now() / 1000
    if (!claims || claims.iss !== options.issuerId || claims.aud !== 'appstoreconnect-v1') return refuse
    if ((claims.exp ?? 0) <= now || (claims.exp ?? 0) - (claims.iat ?? 0) > 1200) return refuse
    return { status: 200, body: { data: [{ type: 'apps', attributes: { name: 'Widgets' } }], path: req.path } }
  })
}
