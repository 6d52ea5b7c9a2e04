import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, type HttpClient } from '../../runtime/http/index.ts'
import { expectFailure, startServer, staticLookup, visibleText, type TestServer } from './helpers.ts'

const CREDENTIALS = {
  authorization: 'Bearer TOKEN-a1',
  cookie: 'session=COOKIE-b2',
  'proxy-authorization': 'Basic PROXY-c3',
  'x-api-key': 'APIKEY-d4',
  'x-trace': 'not-a-secret',
}

describe('redirects', () => {
  let a: TestServer // the connection's origin, 127.0.0.1:A
  let b: TestServer // another origin, reached as localhost:B
  let trap: TestServer // a loopback port that is not allow-listed
  let client: HttpClient

  beforeAll(async () => {
    trap = await startServer()
    b = await startServer((req, res) => {
      if (req.url?.startsWith('/back')) return res.writeHead(302, { location: `${a.origin}/echo` }).end()
      res.end('b')
    })
    a = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', a.origin)
      const to = url.searchParams.get('to')
      if (url.pathname === '/echo')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url }))
      if (url.pathname === '/loop') return res.writeHead(302, { location: '/loop' }).end()
      if (url.pathname.startsWith('/status/')) {
        return res.writeHead(Number(url.pathname.slice(8)), { location: to ?? '/echo' }).end('moved')
      }
      if (url.pathname === '/cross') {
        // The server echoes the credential parameters into the Location, as some APIs do.
        const q = `api_key=${url.searchParams.get('api_key')}&TOKEN=T-e5&keep=1`
        return res.writeHead(302, { location: `http://localhost:${b.port}/landing?${q}` }).end()
      }
      if (url.pathname === '/to-b-back')
        return res.writeHead(307, { location: `http://localhost:${b.port}/back` }).end()
      res.writeHead(302, { location: to ?? '/echo' }).end()
    })
    client = createHttpClient({
      allowedHosts: `127.0.0.1:${a.port}, localhost:${b.port}`,
      lookup: staticLookup({ localhost: ['127.0.0.1'] }),
      maxRedirects: 3,
    })
  })
  afterAll(async () => {
    await client.close()
    await Promise.all([a.close(), b.close(), trap.close()])
  })

  const last = (s: TestServer) => s.requests.at(-1)!

  it('keeps credentials on a same-origin redirect', async () => {
    const res = await client.request({
      url: `${a.origin}/same`,
      headers: CREDENTIALS,
      credentialHeaders: ['X-Api-Key'],
    })
    expect(res.status).toBe(200)
    expect(res.redirects).toBe(1)
    expect(res.url).toBe(`${a.origin}/echo`)
    expect(last(a).headers).toMatchObject(CREDENTIALS)
  })

  it('drops every credential header and query parameter on a cross-origin redirect', async () => {
    const res = await client.request({
      url: `${a.origin}/cross?api_key=QUERY-f6`,
      headers: CREDENTIALS,
      credentialHeaders: ['X-Api-Key'],
      credentialQueryParams: ['api_key', 'token'],
    })
    expect(res.text).toBe('b')
    expect(last(a).headers.authorization).toBe(CREDENTIALS.authorization)
    const seen = last(b)
    expect(seen.url).toBe('/landing?keep=1')
    expect(seen.headers.host).toBe(`localhost:${b.port}`)
    for (const name of ['authorization', 'cookie', 'proxy-authorization', 'x-api-key'])
      expect(seen.headers[name]).toBeUndefined()
    expect(seen.headers['x-trace']).toBe('not-a-secret')
    expect(JSON.stringify(seen)).not.toMatch(/TOKEN-a1|COOKIE-b2|PROXY-c3|APIKEY-d4|QUERY-f6|T-e5/)
  })

  it('does not give credentials back when a later hop returns to the first origin', async () => {
    const res = await client.request({ url: `${a.origin}/to-b-back`, headers: CREDENTIALS })
    expect(res.redirects).toBe(2)
    expect(last(a).url).toBe('/echo')
    expect(last(a).headers.authorization).toBeUndefined()
    expect(last(a).headers.cookie).toBeUndefined()
  })

  it.each([
    [303, 'POST', 'GET'],
    [303, 'PUT', 'GET'],
    [302, 'POST', 'GET'],
    [301, 'POST', 'GET'],
    [302, 'PUT', 'PUT'],
    [307, 'POST', 'POST'],
    [308, 'PUT', 'PUT'],
  ])('%i after %s continues with %s', async (status, method, expected) => {
    await client.request({ url: `${a.origin}/status/${status}`, method, body: { n: 1 } })
    const seen = last(a)
    expect(seen.method).toBe(expected)
    if (expected === 'GET') {
      expect(seen.body).toBe('')
      expect(seen.headers['content-type']).toBeUndefined()
    } else {
      expect(JSON.parse(seen.body)).toEqual({ n: 1 })
      expect(seen.headers['content-type']).toBe('application/json')
    }
  })

  it('stops a redirect loop', async () => {
    const before = a.requests.length
    const error = await expectFailure(client.request({ url: `${a.origin}/loop` }), 'too_many_redirects')
    expect(error.details).toMatchObject({ kind: 'redirects', maxRedirects: 3 })
    expect(a.requests.length - before).toBe(4)
  })

  it('refuses redirects to blocked addresses without connecting', async () => {
    const targets: [string, string][] = [
      [`http://127.0.0.1:${trap.port}/`, 'blocked_address'],
      [`http://[::ffff:127.0.0.1]:${trap.port}/`, 'blocked_address'],
      [`http://2130706433:${trap.port}/`, 'blocked_address'],
      ['http://169.254.169.254/latest/meta-data/', 'blocked_address'],
      [`http://localhost:${trap.port}/`, 'blocked_address'],
      [`http://user@localhost:${b.port}/`, 'invalid_url'],
      ['file:///etc/passwd', 'invalid_url'],
      ['gopher://127.0.0.1:25/', 'invalid_url'],
    ]
    for (const [to, code] of targets) {
      const url = `${a.origin}/status/302?to=${encodeURIComponent(to)}`
      const error = await expectFailure(client.request({ url, headers: CREDENTIALS }), code)
      expect(visibleText(error)).not.toMatch(/TOKEN-a1|COOKIE-b2/)
    }
    expect(trap.connections).toBe(0)
  })

  it('returns the redirect itself when following is off', async () => {
    const noFollow = createHttpClient({ allowedHosts: `127.0.0.1:${a.port}`, maxRedirects: 0 })
    const res = await noFollow.request({ url: `${a.origin}/status/302?to=/elsewhere` })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/elsewhere')
    await noFollow.close()
  })

  it('refuses to repeat a streamed body on 307', async () => {
    const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode('x')), c.close()) })
    await expectFailure(client.request({ url: `${a.origin}/status/307`, method: 'POST', body }), 'upstream_error')
  })
})
