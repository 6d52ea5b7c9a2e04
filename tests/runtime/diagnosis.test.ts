/**
 * What a connection test says when it fails, for each way a request can fail: an answer the connector
 * does not accept, or no usable answer at all. Every failure is real (closed port, unknown name, a server
 * that never answers, plain HTTP where TLS was expected, an address outside the allow-list).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closedPort, createHarness, type Harness, startUpstream, type Upstream } from './harness.ts'

const TOKEN = 'ghp_DiagnosisToken123'
const UNKNOWN_HOST = 'switchboard-test.invalid'
const TIMEOUT_MS = 700

let h: Harness
let upstream: Upstream

beforeAll(async () => {
  h = await createHarness({ http: { allowedHosts: `127.0.0.1, ${UNKNOWN_HOST}`, timeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS } })
  upstream = await startUpstream()
})

afterAll(async () => {
  await h.close()
  await upstream.close()
})

/** Adds a GitHub connection on `baseUrl`, tests it, and returns the result and the connection after it. */
async function testAgainst(baseUrl: string) {
  const created = await h.call('POST', '/api/apps/default/connections', {
    body: { connectorId: 'github', name: `GitHub ${baseUrl} ${h.responses.length}`, values: { token: TOKEN }, baseUrl },
  })
  expect(created.status, created.text).toBe(201)
  const started = performance.now()
  const test = await h.call('POST', `/api/apps/default/connections/${created.body.id}/test`)
  const elapsed = performance.now() - started
  expect(test.status).toBe(200)
  expect(test.text).not.toContain(TOKEN)
  const view = (await h.call('GET', `/api/apps/default/connections/${created.body.id}`)).body
  return { result: test.body, view, elapsed }
}

describe('diagnosis of an answer the connector does not accept', () => {
  it.each([401, 403])('%i → credentials_rejected', async (status) => {
    upstream.answer(() => ({ status, body: { message: 'Bad credentials' } }))
    const { result, view } = await testAgainst(upstream.origin)
    expect(result).toMatchObject({ ok: false, status, problem: 'credentials_rejected', response: { status } })
    expect(result.diagnosis).toMatch(/rejected the credentials/)
    expect(view.status).toBe('error')
    expect(view.lastTest).toMatchObject({ ok: false, status, problem: 'credentials_rejected' })
  })

  it('404 → not_found, naming the URL to check', async () => {
    upstream.answer(() => ({ status: 404, body: { message: 'Not Found' } }))
    const { result } = await testAgainst(`${upstream.origin}/enterprise`)
    expect(result).toMatchObject({ ok: false, status: 404, problem: 'not_found' })
    expect(result.diagnosis).toContain(`${upstream.origin}/enterprise/user`)
  })

  it('another status → unexpected_status, saying what was expected', async () => {
    upstream.answer(() => ({ status: 503, body: 'maintenance' }))
    const { result } = await testAgainst(upstream.origin)
    expect(result).toMatchObject({ ok: false, status: 503, problem: 'unexpected_status', response: { excerpt: 'maintenance' } })
    expect(result.diagnosis).toContain('expected 200')
  })
})

describe('diagnosis of a request without a usable answer', () => {
  it('a closed port → connection_refused', async () => {
    const port = await closedPort()
    const { result, view } = await testAgainst(`http://127.0.0.1:${port}`)
    expect(result).toMatchObject({ ok: false, problem: 'connection_refused' })
    expect(result.status).toBeUndefined()
    expect(result.diagnosis).toContain(`127.0.0.1:${port}`)
    expect(view).toMatchObject({ status: 'error', lastTest: { ok: false, problem: 'connection_refused' } })
  })

  it('a name that does not resolve → dns_failure', async () => {
    const { result } = await testAgainst(`http://${UNKNOWN_HOST}`)
    expect(result).toMatchObject({ ok: false, problem: 'dns_failure' })
    expect(result.diagnosis).toContain(UNKNOWN_HOST)
  })

  it("a server that never answers → timeout, within the client's limit", async () => {
    upstream.answer(() => 'hang')
    const before = upstream.requests.length
    const { result, elapsed } = await testAgainst(upstream.origin)
    expect(result).toMatchObject({ ok: false, problem: 'timeout' })
    expect(result.diagnosis).toMatch(/did not answer in time/)
    expect(upstream.requests.length).toBe(before + 1)
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50)
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 3000)
  })

  it('https:// to a plain HTTP server → tls_error', async () => {
    upstream.answer(() => ({ body: { login: 'never' } }))
    const { result } = await testAgainst(`https://127.0.0.1:${upstream.port}`)
    expect(result).toMatchObject({ ok: false, problem: 'tls_error' })
    expect(result.diagnosis).toMatch(/^The secure connection to 127\.0\.0\.1:\d+ failed/)
    // Bug: the client's sentence used to be wrapped in a second one that said the same.
    expect(result.diagnosis.match(/secure connection/g)).toHaveLength(1)
  })

  it('a private address that is not allow-listed → blocked_address, without connecting', async () => {
    // blocked_address comes from the address policy, which decides before a socket is opened; a connect
    // attempt would have ended in timeout or connection_refused instead.
    const { result } = await testAgainst('http://10.0.0.1')
    expect(result).toMatchObject({ ok: false, problem: 'blocked_address' })
    expect(result.status).toBeUndefined()
    expect(result.diagnosis).toContain('10.0.0.1')
    expect(result.response).toBeUndefined()
  })

  it('loopback under a name that is not allow-listed (localhost) → blocked_address', async () => {
    const before = upstream.requests.length
    const { result } = await testAgainst(`http://localhost:${upstream.port}`)
    expect(result).toMatchObject({ ok: false, problem: 'blocked_address' })
    expect(upstream.requests.length).toBe(before)
  })

  it('a metadata address → blocked_address', async () => {
    const { result } = await testAgainst('http://169.254.169.254')
    expect(result).toMatchObject({ ok: false, problem: 'blocked_address' })
  })
})
