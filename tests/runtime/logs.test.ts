/**
 * The log: one JSON object per line, an id per request that the response header and error bodies carry too, and
 * no secret, ever. Canary secrets go through connecting, the proxy (in headers, the query and the body), actions
 * (in inputs) and upstreams that fail or echo what they got; then every line must parse and hold none of them.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, prettyLine } from '../../runtime/platform/log/index.ts'
import { closedPort, createHarness, type Harness, type SeenRequest, startUpstream, type Upstream } from './harness.ts'

const connections = '/api/apps/default/connections'
const canaries: string[] = []

/** A marker secret; `ghp_…` where a connector checks a token's shape. */
function canary(prefix = ''): string {
  const value = `${prefix}CANARY${randomBytes(10).toString('hex')}`
  canaries.push(value)
  return value
}

/** Every spelling a secret could be logged in. */
function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64').slice(0, -4)]
}

let h: Harness
let upstream: Upstream
/** What the upstream does next: answer (echoing the credentials), fail with them in the body, or hang up. */
let mode: 'ok' | 'fail' = 'ok'

function echo(request: SeenRequest) {
  const said = { authorization: request.headers.authorization ?? null, url: request.url, body: request.body }
  return mode === 'ok' ? { body: { ok: true, login: 'octocat', ...said } } : { status: 500, body: { error: 'boom', ...said } }
}

/** Every log line, parsed; fails on a line that is not one JSON object. */
function entries(): Array<Record<string, unknown>> {
  return h.log.map((line) => {
    expect(line.endsWith('\n'), 'a log line ends with a newline').toBe(true)
    expect(line.slice(0, -1)).not.toContain('\n')
    const entry = JSON.parse(line) as Record<string, unknown>
    expect(typeof entry, line).toBe('object')
    expect(typeof entry.time, line).toBe('number')
    expect(typeof entry.level, line).toBe('string')
    expect(typeof entry.msg, line).toBe('string')
    return entry
  })
}

beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream(echo)
})

afterAll(async () => {
  await h?.close()
  await upstream?.close()
})

describe('request ids', () => {
  it('a sane X-Request-Id is kept and returned; the access entry carries it', async () => {
    const res = await h.call('GET', '/api/me', { headers: { 'x-request-id': 'lb-7f3a.trace:1' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a.trace:1')
    const entry = entries().find((e) => e.requestId === 'lb-7f3a.trace:1')
    expect(entry).toMatchObject({ msg: 'request', method: 'GET', route: '/api/me', path: '/api/me', status: 200, user: 'owner' })
  })

  it('anything else gets a fresh id, different per request', async () => {
    const odd = await h.call('GET', '/api/me', { headers: { 'x-request-id': 'has spaces and <markup>' } })
    const none = await h.call('GET', '/api/me')
    const [a, b] = [odd.headers.get('x-request-id'), none.headers.get('x-request-id')]
    expect(a).toMatch(/^[0-9a-f-]{36}$/)
    expect(b).toMatch(/^[0-9a-f-]{36}$/)
    expect(a).not.toBe(b)
    expect(h.log.join('')).not.toContain('<markup>')
  })

  it('error bodies carry the id of the header, and so does the log entry of that request', async () => {
    for (const [method, path] of [
      ['GET', `${connections}/c_missing`],
      ['GET', '/api/nothing-here'],
      ['POST', connections],
    ] as const) {
      const res = await h.call(method, path, { body: method === 'POST' ? { connectorId: 'nope' } : undefined })
      expect(res.status).toBeGreaterThanOrEqual(400)
      const id = res.headers.get('x-request-id')
      expect(id).toBeTruthy()
      expect(res.body.error.requestId).toBe(id)
      expect(entries().find((e) => e.requestId === id)).toMatchObject({ status: res.status, path })
    }
    // Unauthenticated and not found outside any route: the same.
    const anonymous = await h.call('GET', '/api/me', { token: null })
    expect(anonymous.body.error.requestId).toBe(anonymous.headers.get('x-request-id'))
  })
})

describe('no secret in the log', () => {
  it('holds no canary after connect, proxy, actions and failing upstreams', async () => {
    const token = canary('ghp_')
    const created = await h.call('POST', connections, {
      body: { connectorId: 'github', name: 'GitHub', values: { token }, baseUrl: upstream.origin },
    })
    expect(created.status, created.text).toBe(201)
    const id = created.body.id as string
    const basic = await h.call('POST', connections, {
      body: {
        connectorId: 'generic-basic',
        name: 'Basic',
        values: { baseUrl: upstream.origin, testUrl: `${upstream.origin}/me`, username: 'ops', password: canary() },
      },
    })
    expect(basic.status, basic.text).toBe(201)
    // Reconnecting with new values.
    const used = canary('ghp_')
    expect((await h.call('PUT', `${connections}/${id}/credentials`, { body: { values: { token: used } } })).status).toBe(200)

    for (const next of ['ok', 'fail'] as const) {
      mode = next
      const secret = canary()
      const proxied = await h.call('POST', `${connections}/${id}/proxy/repos/o/r/issues?access_token=${secret}&q=1`, {
        raw: JSON.stringify({ title: canary() }),
        headers: { 'content-type': 'application/json', 'x-api-key': canary(), cookie: `session=${canary()}` },
      })
      expect(proxied.status).toBe(next === 'ok' ? 200 : 500)
      const run = await h.call('POST', `${connections}/${id}/actions/createIssue`, {
        body: { inputs: { owner: 'o', repo: 'r', title: canary(), description: canary() } },
      })
      expect(run.status, run.text).toBe(200)
      expect((await h.call('POST', `${connections}/${basic.body.id}/test`)).status).toBe(200)
    }
    mode = 'ok'
    // An upstream that is gone, and a body the API refuses.
    const gone = await h.call('POST', connections, {
      body: { connectorId: 'github', name: 'Gone', values: { token: canary('ghp_') }, baseUrl: `http://127.0.0.1:${await closedPort()}` },
    })
    expect(gone.status, gone.text).toBe(201)
    const failed = await h.call('GET', `${connections}/${gone.body.id}/proxy/user?token=${canary()}`)
    expect(failed.status).toBe(502)
    const refused = await h.call('POST', connections, { body: { connectorId: 'github', values: { token: canary() }, extra: canary() } })
    expect(refused.status).toBe(400)

    // The upstream really got the secrets, so the sweep means something.
    expect(upstream.requests.map((r) => `${r.headers.authorization} ${r.url} ${r.body}`).join('\n')).toContain(used)
    const text = h.log.join('')
    expect(h.log.length).toBeGreaterThan(15)
    for (const secret of canaries) for (const form of forms(secret)) expect(text, `the log holds ${form}`).not.toContain(form)
    expect(text).not.toContain(h.token)
    // Query strings never reach the log; paths do.
    for (const entry of entries()) if (typeof entry.path === 'string') expect(entry.path).not.toContain('?')
    expect(entries().some((e) => e.path === `${connections}/${id}/proxy/repos/o/r/issues`)).toBe(true)
  })

  it('redacts secret-ish keys of whatever is logged, at the top and in headers, errors, details and values', () => {
    const lines: string[] = []
    const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } })
    const secret = canary()
    logger.info({ authorization: `Bearer ${secret}`, headers: { cookie: secret, 'x-api-key': secret, accept: 'json' } }, 'x')
    logger.warn({ error: { token: secret, password: secret, clientSecret: secret, refresh_token: secret } }, 'y')
    logger.error({ details: { apiKey: secret }, values: { client_secret: secret }, request: { headers: 1, cookie: secret } }, 'z')
    expect(lines.join('')).not.toContain(secret)
    expect(JSON.parse(lines[0]!)).toMatchObject({ authorization: '[redacted]', headers: { cookie: '[redacted]', accept: 'json' } })
  })

  it('refuses an unknown log level at start', () => {
    expect(() => createLogger({ level: 'verbose' })).toThrow(/trace, debug, info, warn, error, fatal, silent/)
  })
})

describe('in a terminal', () => {
  it('prints entries readably: time, level, message, then the fields', () => {
    const line = '{"level":"warn","time":0,"pid":1,"hostname":"h","msg":"request","status":502,"user":"owner"}\n'
    expect(prettyLine(line, false)).toBe('00:00:00.000 WARN  request status=502 user=owner\n')
    expect(prettyLine(line, true)).toBe('00:00:00.000 \x1b[33mWARN \x1b[0m request status=502 user=owner\n')
    expect(prettyLine('not json\n', false)).toBe('not json\n')
  })
})
