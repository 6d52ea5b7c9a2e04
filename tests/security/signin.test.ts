/**
 * Login CSRF: a sign-in link or a form on another site must never set the session cookie. The printed
 * link leads to the designer's sign-in page; only a POST from the runtime's own origin signs in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CallOptions, createHarness, type Harness, PUBLIC_URL } from '../runtime/harness.ts'

let h: Harness

beforeAll(async () => {
  h = await createHarness()
})

afterAll(async () => {
  await h.close()
})

/** Posts to the sign-in route without a bearer token, as a browser would. */
function post(headers: Record<string, string>, body: string, options: Omit<CallOptions, 'token' | 'headers' | 'raw'> = {}) {
  return h.call('POST', '/api/session', { ...options, token: null, raw: body, headers })
}

const json = { 'content-type': 'application/json' }

describe('the printed sign-in link', () => {
  it("sets no cookie: it moves the token into the fragment of the designer's sign-in page", async () => {
    const res = await h.call('GET', `/signin?token=${h.token}`, { token: null })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/#/signin?token=${h.token}`)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('keeps a hostile value inside the fragment', async () => {
    const res = await h.call('GET', '/signin?token=x%26y%23z%2F%2F..', { token: null })
    expect(res.headers.get('location')).toBe('/#/signin?token=x%26y%23z%2F%2F..')
  })
})

describe('POST /api/session', () => {
  const body = () => JSON.stringify({ token: h.token })

  it("from the runtime's own page sets an HttpOnly session cookie and names the user", async () => {
    for (const origin of [PUBLIC_URL, 'http://localhost']) {
      const res = await post({ ...json, origin, 'sec-fetch-site': 'same-origin' }, body())
      expect(res.status, res.text).toBe(200)
      expect(res.body.user).toEqual({ id: 'owner', name: expect.any(String), owner: true })
      const cookie = res.headers.get('set-cookie') ?? ''
      expect(cookie).toMatch(/^sb_session=sb_[A-Za-z0-9_-]+;/)
      expect(cookie).toMatch(/HttpOnly/i)
      expect(cookie).not.toContain(h.token)
      const session = cookie.split(';')[0]!
      expect((await h.call('GET', '/api/me', { token: null, headers: { cookie: session } })).body.user.id).toBe('owner')
    }
  })

  it.each([
    ["another site's fetch", { ...json, origin: 'https://evil.example' }],
    ['another site that lies about nothing but sends Sec-Fetch-Site', { ...json, origin: PUBLIC_URL, 'sec-fetch-site': 'cross-site' }],
    ['a same-site but cross-origin page', { ...json, origin: 'http://localhost:9999', 'sec-fetch-site': 'same-site' }],
    ['a request without Origin', { ...json }],
    ['an opaque origin (sandboxed frame, data: URL)', { ...json, origin: 'null' }],
  ])('%s gets 403 cross_origin and no cookie', async (_, headers) => {
    const res = await post(headers, body())
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('cross_origin')
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('a cross-site HTML form post (form-encoded or text/plain) sets no cookie', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await post({ 'content-type': type, origin: 'https://evil.example' }, `token=${h.token}`)
      expect(res.status).toBe(403)
      expect(res.headers.get('set-cookie')).toBeNull()
    }
    // Even from the right origin, only JSON is read: a form cannot make that content type.
    const form = await post({ 'content-type': 'text/plain', origin: PUBLIC_URL }, body())
    expect(form.status).toBe(415)
    expect(form.headers.get('set-cookie')).toBeNull()
  })

  it('an unknown or revoked token is 401 invalid_token, and nothing is issued', async () => {
    await h.settle()
    const before = await h.storeText()
    const res = await post({ ...json, origin: PUBLIC_URL }, JSON.stringify({ token: `sb_${'A'.repeat(43)}` }))
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('invalid_token')
    expect(res.headers.get('set-cookie')).toBeNull()
    await h.settle()
    expect(await h.storeText()).toBe(before)
  })

  it('GET cannot sign in: it only answers that nobody is signed in', async () => {
    const res = await h.call('GET', `/api/session?token=${h.token}`, { token: null })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ signedIn: false })
    expect(res.headers.get('set-cookie')).toBeNull()
  })
})
