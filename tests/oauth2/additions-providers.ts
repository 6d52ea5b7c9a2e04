/**
 * Loopback providers for the OAuth2 additions, each with its real counterpart's habits:
 * - Salesforce: the token response carries no `expires_in` but an `instance_url` where the org's API lives (another
 *   origin than the login server); the instance answers 401 `INVALID_SESSION_ID` to a token it does not know;
 * - a machine-to-machine provider that reads token requests as JSON only (form bodies: 400 `invalid_request`),
 *   authenticates clients by `private_key_jwt` (RFC 7523 §2.2: signature, `iss`/`sub` the client id, `aud` the token
 *   URL, a `jti` never seen before, else 401 `invalid_client`), and whose API takes the token in `X-Auth-Token`
 *   without a prefix and wants `api_version` on every request.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { jwtVerify, type KeyObject } from 'jose'

export interface Seen {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: string
}

interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface Server {
  origin: string
  port: number
  seen: Seen[]
  close(): Promise<void>
}

export async function listen(handler: (req: Seen) => Reply | Promise<Reply>): Promise<Server> {
  const seen: Seen[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const request = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      }
      seen.push(request)
      const reply = await handler(request)
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

/** Salesforce: a login server and the org's instance, on two origins. */
export async function startSalesforce(options: { clientId: string; clientSecret: string }) {
  const live = new Set<string>()
  const issued: string[] = [options.clientSecret]
  const token = (prefix: string) => {
    const t = `${prefix}${randomBytes(16).toString('hex')}`
    issued.push(t)
    return t
  }
  const instance = await listen((req) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (!bearer || !live.has(bearer))
      return { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] }
    if (req.path === '/services/oauth2/userinfo')
      return { status: 200, body: { user_id: '0055g00000A', preferred_username: 'admin@acme.example', organization_id: '00D5g000004' } }
    return { status: 200, body: { path: req.path } }
  })
  const state = { instanceUrl: instance.origin, codes: new Set<string>() }
  const login = await listen((req) => {
    if (req.path === '/services/oauth2/authorize') {
      const code = token('aPrx')
      state.codes.add(code)
      const back = new URL(req.query.get('redirect_uri')!)
      back.searchParams.set('code', code)
      back.searchParams.set('state', req.query.get('state')!)
      return { status: 302, headers: { location: back.href } }
    }
    if (req.path === '/services/oauth2/token') {
      const form = new URLSearchParams(req.body)
      const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')
      if (req.headers.authorization !== `Basic ${basic}`)
        return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } }
      const grant = form.get('grant_type')
      if (grant === 'authorization_code' && !state.codes.delete(form.get('code') ?? ''))
        return { status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } }
      const access = token('00D5g000004!AR')
      live.add(access)
      return {
        status: 200,
        body: {
          access_token: access,
          ...(grant === 'authorization_code' ? { refresh_token: token('5Aep861') } : {}),
          signature: randomBytes(8).toString('base64'),
          scope: 'refresh_token api',
          instance_url: state.instanceUrl,
          id: `${login.origin}/id/00D5g000004/0055g00000A`,
          token_type: 'Bearer',
          issued_at: '1701600000000',
        },
      }
    }
    return { status: 404, body: { error: 'not_found' } }
  })
  return {
    login,
    instance,
    state,
    issued,
    live,
    revoke: () => live.clear(),
    close: async () => (await login.close(), await instance.close()),
  }
}

/** A JSON-only token endpoint with private_key_jwt clients, and its API. */
export async function startMachineProvider(options: { clientId: string; publicKey: KeyObject; now: () => number }) {
  const live = new Set<string>()
  const jtis = new Set<string>()
  const issued: string[] = []
  const server: Server = await listen(async (req) => {
    if (req.path === '/oauth/token') {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return { status: 400, body: { error: 'invalid_request', error_description: 'The request body must be JSON.' } }
      const body = JSON.parse(req.body) as Record<string, string>
      const refuse = (description: string) => ({ status: 401, body: { error: 'invalid_client', error_description: description } })
      if (body.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
        return refuse('client assertion required')
      let claims: Record<string, unknown>
      try {
        claims = (
          await jwtVerify(body.client_assertion ?? '', options.publicKey, { algorithms: ['RS256'], currentDate: new Date(options.now()) })
        ).payload
      } catch {
        return refuse('client assertion signature invalid')
      }
      if (claims.iss !== options.clientId || claims.sub !== options.clientId) return refuse('iss and sub must be the client id')
      if (claims.aud !== `${server.origin}/oauth/token`) return refuse('aud must be the token endpoint')
      if (typeof claims.jti !== 'string' || jtis.has(claims.jti)) return refuse('jti replayed')
      jtis.add(claims.jti)
      if (body.grant_type !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } }
      const access = `m2m_${randomBytes(16).toString('hex')}`
      live.add(access)
      issued.push(access)
      return { status: 200, body: { access_token: access, expires_in: 3600, token_type: 'Bearer' } }
    }
    if (req.query.get('api_version') !== '2') return { status: 400, body: { message: 'api_version=2 is required' } }
    const token = req.headers['x-auth-token']
    if (typeof token !== 'string' || !live.has(token)) return { status: 401, body: { message: 'invalid token' } }
    return { status: 200, body: { account: { name: 'Acme Machines' }, path: req.path } }
  })
  return { server, issued, jtis }
}
