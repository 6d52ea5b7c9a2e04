import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../runtime/platform/http/index.ts'
import { expectFailure, startServer, staticLookup, type TestServer, visibleText } from './helpers.ts'

const SECRET_QUERY = 'SECRET-QUERY-3b9f'
const SECRET_HEADER = 'SECRET-HEADER-7c1d'
const SECRET_PATH = 'SECRET-PATH-91ae'

describe('createHttpClient', () => {
  let api: TestServer

  beforeAll(async () => {
    api = await startServer((req, res, seen) => {
      if (req.url?.startsWith('/json')) {
        res.setHeader('content-type', 'application/json; charset=utf-8')
        return res.end(JSON.stringify({ ok: true, method: seen.method, url: seen.url, headers: seen.headers, body: seen.body }))
      }
      if (req.url === '/broken-json') {
        res.setHeader('content-type', 'application/json')
        return res.end('<html>{"oops"')
      }
      if (req.url === '/missing') {
        res.statusCode = 404
        res.setHeader('content-type', 'application/problem+json')
        return res.end('{"title":"Not Found"}')
      }
      res.setHeader('content-type', 'text/plain')
      res.end('plain text')
    })
  })
  afterAll(() => api.close())

  it('rejects bad configuration at construction', () => {
    expect(() => createHttpClient({ allowedHosts: 'http://x' })).toThrow(/SWITCHBOARD_ALLOWED_HOSTS entry "http:\/\/x"/)
    expect(() => createHttpClient({ timeoutMs: 0 })).toThrow(/timeoutMs/)
    expect(() => createHttpClient({ maxRedirects: -1 })).toThrow(/maxRedirects/)
    expect(() => createHttpClient({ maxResponseBytes: 1.5 })).toThrow(/maxResponseBytes/)
  })

  it('reaches an allow-listed loopback server and parses JSON', async () => {
    const client = createHttpClient({ allowedHosts: '127.0.0.1', userAgent: 'sb-test' })
    const res = await client.request({
      url: `${api.origin}/json?a=1`,
      query: { b: 'two words', c: [1, 2], d: undefined },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/json/)
    expect(res.invalidJson).toBe(false)
    const body = res.body as { url: string; headers: Record<string, string> }
    expect(body.url).toBe('/json?a=1&b=two%20words&c=1&c=2')
    expect(body.headers['user-agent']).toBe('sb-test')
    expect(body.headers.host).toBe(`127.0.0.1:${api.port}`)
    expect(res.url).toBe(`${api.origin}/json?a=1&b=two%20words&c=1&c=2`)
    expect(res.redirects).toBe(0)
    expect(res.durationMs).toBeGreaterThan(0)
    expect(res.bytes).toBe(Buffer.byteLength(res.text))
    await client.close()
  })

  it('sends objects as JSON and returns 4xx as a response, not an error', async () => {
    const client = createHttpClient({ allowedHosts: `127.0.0.1:${api.port}` })
    const posted = await client.request({ url: `${api.origin}/json`, method: 'post', body: { name: 'Ada' } })
    const echo = posted.body as { method: string; body: string; headers: Record<string, string> }
    expect(echo.method).toBe('POST')
    expect(JSON.parse(echo.body)).toEqual({ name: 'Ada' })
    expect(echo.headers['content-type']).toBe('application/json')
    const missing = await client.request({ url: `${api.origin}/missing` })
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ title: 'Not Found' })
    await client.close()
  })

  it('returns invalid JSON as text with a flag instead of throwing', async () => {
    const client = createHttpClient({ allowedHosts: '127.0.0.0/8' })
    const res = await client.request({ url: `${api.origin}/broken-json` })
    expect(res.invalidJson).toBe(true)
    expect(res.body).toBe('<html>{"oops"')
    const forced = await client.request({ url: `${api.origin}/text`, responseType: 'json' })
    expect(forced).toMatchObject({ invalidJson: true, body: 'plain text' })
    const asText = await client.request({ url: `${api.origin}/json`, responseType: 'text' })
    expect(typeof asText.body).toBe('string')
    expect(asText.invalidJson).toBe(false)
    await client.close()
  })

  it('opens only the listed port of a host:port entry', async () => {
    const other = await startServer()
    const client = createHttpClient({ allowedHosts: `127.0.0.1:${api.port}` })
    expect((await client.request({ url: `${api.origin}/` })).status).toBe(200)
    await expectFailure(client.request({ url: `${other.origin}/` }), 'blocked_address')
    expect(other.connections).toBe(0)
    await client.close()
    await other.close()
  })

  it('connects to the checked address and keeps the name in Host and SNI-free plain HTTP', async () => {
    const lookup = staticLookup({ 'api.test': ['127.0.0.1'] })
    const client = createHttpClient({ allowedHosts: 'api.test', lookup })
    const res = await client.request({ url: `http://api.test:${api.port}/json`, headers: { host: 'evil.test' } })
    expect((res.body as { headers: Record<string, string> }).headers.host).toBe(`api.test:${api.port}`)
    expect(lookup.calls['api.test']).toBe(1)
    await client.close()
  })

  it('is not fooled by DNS rebinding: each connection resolves once and connects to what it checked', async () => {
    // The allowed server on 127.0.0.2 and a counting one on 127.0.0.1 share a port number; the name first
    // answers the allowed address, then the refused one. A check-then-resolve-again client would connect
    // to 127.0.0.1 on the second request.
    const good = await startServer((_q, res) => res.writeHead(200, { connection: 'close' }).end('good'), {
      host: '127.0.0.2',
    })
    const trap = await startServer(undefined, { port: good.port })
    let calls = 0
    const lookup = async () => [{ address: calls++ === 0 ? '127.0.0.2' : '127.0.0.1', family: 4 }]
    const client = createHttpClient({ allowedHosts: '127.0.0.2/32', lookup })
    const url = `http://rebind.test:${good.port}/`
    expect((await client.request({ url })).text).toBe('good')
    expect(good.requests[0]?.headers.host).toBe(`rebind.test:${good.port}`)
    await expectFailure(client.request({ url }), 'blocked_address')
    expect(calls).toBe(2)
    expect(trap.connections).toBe(0)
    await client.close()
    await good.close()
    await trap.close()
  })

  it('tries the next address when one refuses the connection', async () => {
    const lookup = staticLookup({ 'dual.test': ['::1', '127.0.0.1'] })
    const client = createHttpClient({ allowedHosts: 'dual.test', lookup })
    expect((await client.request({ url: `http://dual.test:${api.port}/` })).text).toBe('plain text')
    await client.close()
  })

  describe('failures', () => {
    const secretUrl = (origin: string) => `${origin}/${SECRET_PATH}?api_key=${SECRET_QUERY}`
    const secretHeaders = { authorization: `Bearer ${SECRET_HEADER}`, 'x-api-key': SECRET_HEADER }

    const assertNoSecrets = (text: string) => {
      for (const secret of [SECRET_QUERY, SECRET_HEADER, SECRET_PATH, 'api_key']) expect(text).not.toContain(secret)
    }

    it('connection refused', async () => {
      const gone = await startServer()
      await gone.close()
      const client = createHttpClient({ allowedHosts: '127.0.0.1' })
      const error = await expectFailure(client.request({ url: secretUrl(gone.origin), headers: secretHeaders }), 'connection_refused')
      expect(error.status).toBe(502)
      expect(error.details).toEqual({ kind: 'refused', host: `127.0.0.1:${gone.port}` })
      expect(error.message).toContain('refused the connection')
      assertNoSecrets(visibleText(error))
      await client.close()
    })

    it('DNS failure, and an empty answer', async () => {
      const client = createHttpClient({ lookup: staticLookup({ 'empty.test': [] }) })
      const error = await expectFailure(client.request({ url: secretUrl('https://nowhere.test'), headers: secretHeaders }), 'dns_failure')
      expect(error.details).toMatchObject({ kind: 'dns', host: 'nowhere.test', code: 'ENOTFOUND' })
      assertNoSecrets(visibleText(error))
      await expectFailure(client.request({ url: 'https://empty.test/' }), 'dns_failure')
      await client.close()
    })

    it('TLS failure (https to a plain HTTP port)', async () => {
      const client = createHttpClient({ allowedHosts: '127.0.0.1' })
      const error = await expectFailure(
        client.request({ url: secretUrl(`https://127.0.0.1:${api.port}`), headers: secretHeaders }),
        'tls_error',
      )
      expect(error.details).toMatchObject({ kind: 'tls', host: `127.0.0.1:${api.port}` })
      assertNoSecrets(visibleText(error))
      await client.close()
    })

    it('blocked address and invalid URL', async () => {
      const client = createHttpClient({ lookup: staticLookup({ 'secret.test': ['10.0.0.1'] }) })
      const blocked = await expectFailure(
        client.request({ url: secretUrl('http://secret.test'), headers: secretHeaders }),
        'blocked_address',
      )
      expect(blocked.message).toBe(
        '"secret.test" resolves to 10.0.0.1, a private network address; requests to private networks are refused. If this is an ' +
          'on-premise tool, add its host to SWITCHBOARD_ALLOWED_HOSTS.',
      )
      const invalid = await expectFailure(client.request({ url: `ftp://x/${SECRET_PATH}?api_key=${SECRET_QUERY}` }), 'invalid_url')
      const userinfo = await expectFailure(client.request({ url: `https://${SECRET_HEADER}@api.test/` }), 'invalid_url')
      for (const e of [blocked, invalid, userinfo]) assertNoSecrets(visibleText(e))
      await client.close()
    })

    it('refuses a body on GET', async () => {
      const client = createHttpClient()
      await expectFailure(client.request({ url: 'https://api.test/', body: 'x' }), 'invalid_request')
      await client.close()
    })

    it('cancellation through the caller’s signal', async () => {
      const hang = await startServer(() => {})
      const client = createHttpClient({ allowedHosts: '127.0.0.1' })
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 50)
      await expectFailure(client.request({ url: secretUrl(hang.origin), signal: controller.signal }), 'request_aborted')
      await client.close()
      await hang.close()
    })
  })
})
