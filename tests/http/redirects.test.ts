import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, type HttpClient } from '../../runtime/platform/http/index.ts'
import { expectFailure, startServer, staticLookup, type TestServer } from './helpers.ts'

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
      if (url.pathname === '/echo') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url }))
      if (url.pathname === '/loop') return res.writeHead(302, { location: '/loop' }).end()
      if (url.pathname.startsWith('/status/')) {
        return res.writeHead(Number(url.pathname.slice(8)), { location: to ?? '/echo' }).end('moved')
      }
      if (url.pathname === '/cross') {
        // The server echoes the credential parameters into the Location, as some APIs do.
        const q = `api_key=${url.searchParams.get('api_key')}&TOKEN=T-e5&keep=1`
        return res.writeHead(302, { location: `http://localhost:${b.port}/landing?${q}` }).end()
      }
      if (url.pathname === '/to-b-back') return res.writeHead(307, { location: `http://localhost:${b.port}/back` }).end()
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
    })
    expect(res.status).toBe(200)
    expect(res.redirects).toBe(1)
    expect(res.url).toBe(`${a.origin}/echo`)
    expect(last(a).headers).toMatchObject(CREDENTIALS)
  })

  it('answers a cross-origin redirect itself instead of following it: nothing of the request reaches the other origin', async () => {
    const before = b.requests.length
    const res = await client.request({ url: `${a.origin}/cross?api_key=QUERY-f6`, headers: CREDENTIALS })
    expect(res.status).toBe(302)
    expect(res.redirects).toBe(0)
    expect(res.headers.get('location')).toBe(`http://localhost:${b.port}/landing?api_key=QUERY-f6&TOKEN=T-e5&keep=1`)
    expect(last(a).headers.authorization).toBe(CREDENTIALS.authorization)
    expect(b.requests.length).toBe(before)
  })

  it('stops at the hop that leaves the origin, also after same-origin hops', async () => {
    const before = b.requests.length
    const res = await client.request({ url: `${a.origin}/status/302?to=${encodeURIComponent('/to-b-back')}`, headers: CREDENTIALS })
    expect(res.status).toBe(307)
    expect(res.redirects).toBe(1)
    expect(res.url).toBe(`${a.origin}/to-b-back`)
    expect(b.requests.length).toBe(before)
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

  it('never connects where a redirect to a blocked or invalid address points: the redirect is the answer', async () => {
    const targets = [
      `http://127.0.0.1:${trap.port}/`,
      `http://[::ffff:127.0.0.1]:${trap.port}/`,
      `http://2130706433:${trap.port}/`,
      'http://169.254.169.254/latest/meta-data/',
      `http://localhost:${trap.port}/`,
      `http://user@localhost:${b.port}/`,
      'file:///etc/passwd',
      'gopher://127.0.0.1:25/',
    ]
    for (const to of targets) {
      const res = await client.request({ url: `${a.origin}/status/302?to=${encodeURIComponent(to)}`, headers: CREDENTIALS })
      expect(res.status).toBe(302)
    }
    expect(trap.connections).toBe(0)
  })

  it('does not follow a redirect whose target carries user info, even to the same host', async () => {
    const res = await client.request({
      url: `${a.origin}/status/302?to=${encodeURIComponent(`http://user:pw@127.0.0.1:${a.port}/echo`)}`,
      headers: CREDENTIALS,
    })
    expect(res.status).toBe(302)
  })

  it('returns the redirect itself when following is off', async () => {
    const noFollow = createHttpClient({ allowedHosts: `127.0.0.1:${a.port}`, maxRedirects: 0 })
    const res = await noFollow.request({ url: `${a.origin}/status/302?to=/elsewhere` })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/elsewhere')
    await noFollow.close()
  })

  it('answers a 307 to a streamed body itself: the stream was consumed by sending it', async () => {
    const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode('x')), c.close()) })
    const res = await client.request({ url: `${a.origin}/status/307`, method: 'POST', body })
    expect(res.status).toBe(307)
  })
})
