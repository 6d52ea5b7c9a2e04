import { createServer, request } from 'node:http'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FaultServer, startFaultServer } from '../actions/faults.ts'
import { createLab, type Lab } from '../actions/harness.ts'

const KEY = 'lab_key_7f3a91c2e5'
let lab: Lab
let faults: FaultServer
let id: string
let proxy: string

beforeAll(async () => {
  lab = await createLab({ proxy: { maxRequestBytes: 4 * 1024 * 1024 } })
  faults = await startFaultServer()
  id = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: `${faults.origin}/ok/v1`, apiKey: KEY } })
  proxy = `/api/apps/default/connections/${id}/proxy`
})

afterAll(async () => {
  await faults.close()
  await lab.close()
})

/** The request the upstream saw last. */
const last = () => faults.requests.at(-1)!

describe('what reaches the upstream', () => {
  test('method, path under the base path, query, body and content type pass; auth and static headers are injected', async () => {
    const res = await lab.raw(`${proxy}/items/42?expand=owner&tag=a%20b`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', accept: 'application/json' },
      body: '{"done":true}',
    })
    expect(res.status).toBe(200)
    await res.text()
    const seen = last()
    expect(seen.method).toBe('PATCH')
    expect(seen.path).toBe('/ok/v1/items/42')
    expect(seen.url).toBe(`/ok/v1/items/42?expand=owner&tag=a%20b&key=${KEY}`)
    expect(seen.body).toBe('{"done":true}')
    expect(seen.headers['content-type']).toBe('application/merge-patch+json')
    expect(seen.headers.accept).toBe('application/json')
    expect(seen.headers['x-api-key']).toBe(KEY)
    expect(seen.headers['x-lab-version']).toBe('7')
  })

  test.each(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'])('%s is passed on as it is', async (method) => {
    const res = await lab.raw(`${proxy}/m`, {
      method,
      ...(['POST', 'PUT'].includes(method) ? { body: 'x', headers: { 'content-type': 'text/plain' } } : {}),
    })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(last().method).toBe(method)
  })

  test('the bare proxy route is the base URL itself, with or without the trailing slash', async () => {
    await (await lab.raw(proxy)).text()
    expect(last().path).toBe('/ok/v1')
    await (await lab.raw(`${proxy}/`)).text()
    expect(last().path).toBe('/ok/v1/')
  })

  test("the caller's credentials, cookies, hop-by-hop headers and Switchboard's own headers never go upstream", async () => {
    const res = await lab.raw(`${proxy}/h`, {
      headers: {
        cookie: 'sb_session=abc',
        'proxy-authorization': 'Basic eDp5',
        'x-switchboard-mode': 'user',
        'x-forwarded-for': '10.0.0.1',
        connection: 'x-per-hop, keep-alive',
        'x-per-hop': 'drop me',
        te: 'trailers',
        'x-kept': 'yes',
        referer: 'http://localhost:8787/signin?token=sb_secret',
      },
    })
    await res.text()
    const headers = last().headers
    expect(headers.authorization).toBeUndefined()
    expect(headers.cookie).toBeUndefined()
    expect(headers['proxy-authorization']).toBeUndefined()
    expect(headers['x-switchboard-mode']).toBeUndefined()
    expect(headers['x-forwarded-for']).toBeUndefined()
    expect(headers['x-per-hop']).toBeUndefined()
    expect(headers.te).toBeUndefined()
    expect(headers.referer).toBeUndefined()
    expect(headers['x-kept']).toBe('yes')
    expect(JSON.stringify(headers)).not.toContain(lab.token)
  })

  test('a caller cannot replace the auth header, the auth query parameter or a static header', async () => {
    const res = await lab.raw(`${proxy}/o?key=mine&KEY=mine2&x=1`, { headers: { 'x-api-key': 'mine', 'x-lab-version': '1' } })
    await res.text()
    const seen = last()
    expect(seen.headers['x-api-key']).toBe(KEY)
    expect(seen.headers['x-lab-version']).toBe('7')
    expect(seen.query.getAll('key')).toEqual([KEY])
    expect(seen.query.get('KEY')).toBeNull()
    expect(seen.query.get('x')).toBe('1')
  })

  test('an upload sent with Expect: 100-continue, as curl does, goes through over a real socket', async () => {
    const served = await lab.serve()
    const body = 'x'.repeat(64 * 1024)
    const { status, text } = await new Promise<{ status: number; text: string }>((done, fail) => {
      const req = request(
        `${served.origin}${proxy}/curl`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${lab.token}`,
            'content-type': 'text/plain',
            'content-length': String(body.length),
            expect: '100-continue',
          },
        },
        (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () => done({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on('continue', () => req.end(body))
      req.on('error', fail)
    })
    expect(status, text).toBe(200)
    expect(last().bytes).toBe(body.length)
    expect(last().headers.expect).toBeUndefined()
    await served.close()
  })

  test('a body over the API-wide 1 MiB limit streams through (the proxy has its own limit)', async () => {
    const body = new Uint8Array(3 * 1024 * 1024).fill(98)
    const res = await lab.raw(`${proxy}/upload`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body })
    expect(res.status).toBe(200)
    await res.text()
    expect(last().bytes).toBe(body.byteLength)
  })
})

describe('what comes back', () => {
  test('status, body and end-to-end headers pass; hop-by-hop headers and cookies do not', async () => {
    const custom = createServer((_req, res) => {
      res.writeHead(418, {
        'content-type': 'text/plain',
        'content-length': '15',
        'x-request-id': 'r-1',
        'set-cookie': 'upstream=1',
        connection: 'close, x-hop',
        'x-hop': 'no',
        'keep-alive': 'timeout=5',
        etag: '"v1"',
      })
      res.end('short and stout')
    })
    await new Promise<void>((done) => custom.listen(0, '127.0.0.1', () => done()))
    const port = (custom.address() as { port: number }).port
    const other = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY } })
    const res = await lab.raw(`/api/apps/default/connections/${other}/proxy/teapot`)
    expect(res.status).toBe(418)
    expect(await res.text()).toBe('short and stout')
    // The upstream's own request id, beside the runtime's.
    expect(res.headers.get('x-upstream-request-id')).toBe('r-1')
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(res.headers.get('etag')).toBe('"v1"')
    expect(res.headers.get('content-length')).toBe('15')
    for (const name of ['set-cookie', 'connection', 'x-hop', 'keep-alive', 'transfer-encoding'])
      expect(res.headers.get(name), name).toBeNull()
    custom.closeAllConnections()
    custom.close()
  })

  test(
    'a gzip body is passed on decoded, without its encoding and length; an encoding it cannot decode (and so cannot mask) ' + 'is refused',
    async () => {
      const plain = 'hello, compressed world '.repeat(200)
      const gzipped = gzipSync(plain)
      const custom = createServer((req, res) => {
        const unknown = req.url?.includes('unknown')
        res.writeHead(200, {
          'content-type': 'text/plain',
          'content-encoding': unknown ? 'compress' : 'gzip',
          'content-length': String(gzipped.byteLength),
        })
        res.end(gzipped)
      })
      await new Promise<void>((done) => custom.listen(0, '127.0.0.1', () => done()))
      const port = (custom.address() as { port: number }).port
      const other = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY } })
      const decoded = await lab.raw(`/api/apps/default/connections/${other}/proxy/gz`)
      expect(decoded.headers.get('content-encoding')).toBeNull()
      expect(decoded.headers.get('content-length')).toBeNull()
      expect(await decoded.text()).toBe(plain)
      const raw = await lab.raw(`/api/apps/default/connections/${other}/proxy/unknown`)
      expect(raw.status).toBe(502)
      expect((await raw.json()).error.code).toBe('unmaskable_response')
      custom.closeAllConnections()
      custom.close()
    },
  )

  test('an upstream 404 or 500 is an answer, passed on, not an error', async () => {
    const other = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: `${faults.origin}/status`, apiKey: KEY } })
    for (const status of [404, 500, 503]) {
      const res = await lab.raw(`/api/apps/default/connections/${other}/proxy/${status}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      expect(res.status).toBe(status)
      expect(await res.json()).toEqual({ status })
    }
  })
})

describe('what is refused', () => {
  test.each([
    ['/a%2Fb', 400],
    ['/a%5Cb', 400],
    ['/%252e%252e/secret', 400],
    ['/..%252f..%252fsecret', 400],
    ['/x/%2e%2e%2f%2e%2e%2fsecret', 400],
    ['/%EF%BC%8E%EF%BC%8E/secret', 400],
    ['/..;/secret', 400],
    ['/%00', 400],
    ['/x%0d%0aHost:%20evil', 400],
  ])('encoded trick %s: %i, and nothing reaches the upstream', async (path, status) => {
    const before = faults.requests.length
    const res = await lab.api('GET', `${proxy}${path}`)
    expect(res.status).toBe(status)
    expect(res.body.error.code).toBe('invalid_url')
    expect(faults.requests.length).toBe(before)
  })

  test('dot segments are resolved within the runtime before routing: they never climb out of the base path', async () => {
    const before = faults.requests.length
    for (const path of ['/../../x', '/%2e%2e/%2e%2e/x', '/a/../../../x']) {
      const res = await lab.api('GET', `${proxy}${path}`)
      expect([400, 404]).toContain(res.status)
    }
    expect(faults.requests.length).toBe(before)
  })

  test('missing credentials: 428 connection_required with the link to connect', async () => {
    const bare = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: `${faults.origin}/ok` } })
    const res = await lab.api('GET', `/api/apps/default/connections/${bare}/proxy/x`)
    expect(res.status).toBe(428)
    expect(res.body.error.code).toBe('connection_required')
    expect(res.body.error.details.connectUrl).toMatch(new RegExp(`^http://localhost:8787/.*${bare}`))
  })

  test('a workflow needs a shared connection: 409 on a personal one, and the header value is checked', async () => {
    const personal = await lab.connect({
      connectorId: 'fault-lab',
      sharing: 'personal',
      values: { baseUrl: `${faults.origin}/ok`, apiKey: KEY },
    })
    const refused = await lab.api('GET', `/api/apps/default/connections/${personal}/proxy/x`, {
      headers: { 'x-switchboard-mode': 'workflow' },
    })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('shared_connection_required')
    const asUser = await lab.api('GET', `/api/apps/default/connections/${personal}/proxy/x`)
    expect(asUser.status).toBe(200)
    const shared = await lab.api('GET', `${proxy}/x`, { headers: { 'x-switchboard-mode': 'workflow' } })
    expect(shared.status).toBe(200)
    const bad = await lab.api('GET', `${proxy}/x`, { headers: { 'x-switchboard-mode': 'robot' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_mode')
  })

  test('unknown app, connection or a caller without a token', async () => {
    expect((await lab.api('GET', `/api/apps/nope/connections/${id}/proxy/x`)).status).toBe(404)
    expect((await lab.api('GET', '/api/apps/default/connections/c_nope/proxy/x')).body.error.code).toBe('connection_not_found')
    expect((await lab.api('GET', `${proxy}/x`, { token: null })).status).toBe(401)
  })

  test('a declared body over the proxy limit: 413 before anything is sent', async () => {
    const before = faults.requests.length
    const res = await lab.api('POST', `${proxy}/up`, { headers: { 'content-length': String(5 * 1024 * 1024) } })
    expect(res.status).toBe(413)
    expect(res.body.error.code).toBe('body_too_large')
    expect(faults.requests.length).toBe(before)
  })

  test('a streamed body without a length is cut off at the proxy limit with 413', async () => {
    const chunk = new Uint8Array(256 * 1024).fill(99)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 64) return controller.close()
        sent++
        controller.enqueue(chunk)
      },
    })
    const res = await lab.raw(`${proxy}/sink`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('body_too_large')
    expect(sent).toBeLessThan(64)
  })
})

describe('OAuth2 connections', () => {
  test(
    'the access token goes as a bearer token; a 401 to a request with a body is passed on, since the body cannot be ' + 'sent again',
    async () => {
      const token = 'ya29.access_5c0ffee1d2'
      const ok = await lab.connect({ connectorId: 'google-tasks', name: 'tasks', authMethod: 'oauth', baseUrl: `${faults.origin}/ok` })
      await lab.putAccessToken(ok, token)
      const res = await lab.raw(`/api/apps/default/connections/${ok}/proxy/tasks/v1/users/@me/lists`)
      expect(res.status).toBe(200)
      expect(await res.text()).not.toContain(token)
      expect(last().headers.authorization).toBe(`Bearer ${token}`)

      const refused = await lab.connect({
        connectorId: 'google-tasks',
        name: 'refused',
        authMethod: 'oauth',
        baseUrl: `${faults.origin}/status/401`,
      })
      await lab.putAccessToken(refused, token)
      const before = faults.requests.length
      const post = await lab.raw(`/api/apps/default/connections/${refused}/proxy/x`, {
        method: 'POST',
        body: '{"title":"once"}',
        headers: { 'content-type': 'application/json' },
      })
      expect(post.status).toBe(401)
      await post.text()
      expect(faults.requests.length).toBe(before + 1)
    },
  )
})

test('proxied requests are in the run log, without their query', async () => {
  await (await lab.raw(`${proxy}/logged?token=tok_9c1e77`)).text()
  const res = await lab.api('GET', `/api/apps/default/connections/${id}/runs`)
  expect(res.status).toBe(200)
  const entry = res.body.runs.find((r: { path?: string }) => r.path === '/logged')
  expect(entry).toMatchObject({ kind: 'proxy', method: 'GET', status: 200, outcome: 'ok', userId: 'owner', mode: 'user', attempts: 1 })
  expect(entry.bytes).toBeGreaterThan(0)
  expect(JSON.stringify(res.body)).not.toContain('tok_9c1e77')
})

test('no answer of the API ever carried the key', () => {
  for (const response of lab.responses) expect(response.text).not.toContain(KEY)
})
