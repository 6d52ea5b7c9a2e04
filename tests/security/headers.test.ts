/**
 * Security headers on every answer: the designer's strict CSP on pages, an inert CSP on API answers and
 * proxied bodies, no framing, no MIME sniffing, no Referer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_CSP, DESIGNER_CSP } from '../../runtime/inbound/routes/security-headers.ts'
import { type ApiResponse, createHarness, type Harness, startUpstream, type Upstream } from '../runtime/harness.ts'

let h: Harness
let upstream: Upstream

beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream(() => ({
    headers: { 'content-type': 'text/html', 'content-security-policy': "script-src 'unsafe-inline'", 'x-frame-options': 'ALLOWALL' },
    body: '<script>alert(document.cookie)</script>',
  }))
})

afterAll(async () => {
  await h.close()
  await upstream.close()
})

function expectCommon(res: ApiResponse): void {
  expect(res.headers.get('x-frame-options')).toBe('DENY')
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('referrer-policy')).toBe('no-referrer')
}

describe("the designer's policy", () => {
  it('is strict: own scripts and styles only, no inline code, no framing, no base or foreign forms', () => {
    const directives = new Map(DESIGNER_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))
    expect(directives.get('default-src')).toEqual(["'self'"])
    // ajv compiles the connector schema into functions in the browser; nothing inline runs.
    expect(directives.get('script-src')).toEqual(["'self'", "'unsafe-eval'"])
    expect(directives.get('style-src')).toEqual(["'self'"])
    expect(directives.get('frame-ancestors')).toEqual(["'none'"])
    expect(directives.get('base-uri')).toEqual(["'none'"])
    expect(directives.get('form-action')).toEqual(["'self'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(DESIGNER_CSP).not.toMatch(/unsafe-inline|\*/)
  })

  it.each(['/', '/signin?token=x', '/assets/missing.js', '/oauth/callback'])('GET %s carries it', async (path) => {
    const res = await h.call('GET', path, { token: null })
    expect(res.headers.get('content-security-policy')).toBe(DESIGNER_CSP)
    expectCommon(res)
  })
})

describe('API answers', () => {
  it.each([
    ['a success', 'GET', '/api/me'],
    ['no auth', 'GET', '/api/health'],
    ['an error', 'GET', '/api/apps/nope'],
    ['an unknown route', 'GET', '/api/nothing-here'],
  ])('%s carries the inert policy', async (_, method, path) => {
    const res = await h.call(method, path)
    expect(res.headers.get('content-security-policy')).toBe(API_CSP)
    expect(API_CSP).toMatch(/default-src 'none'/)
    expect(API_CSP).toMatch(/sandbox/)
    expectCommon(res)
  })

  it("a proxied HTML answer cannot run in the runtime's origin: the upstream's own policy and framing headers are replaced", async () => {
    const connector = {
      id: 'headers-lab',
      name: 'Headers lab',
      baseUrl: upstream.origin,
      auth: [
        { type: 'bearer', id: 'token', fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }], token: '{{token}}' },
      ],
      test: { path: '/me' },
    }
    expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
    const created = await h.call('POST', '/api/apps/default/connections', {
      body: { connectorId: 'headers-lab', name: 'Headers', values: { token: 'headers-lab-token' } },
    })
    expect(created.status, created.text).toBe(201)
    const res = await h.call('GET', `/api/apps/default/connections/${created.body.id}/proxy/page`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('<script>')
    expect(res.headers.get('content-security-policy')).toBe(API_CSP)
    expectCommon(res)
  })
})
