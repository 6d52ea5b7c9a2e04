import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SwitchboardError } from '../../runtime/errors.ts'
import { assertSameOrigin, createHttpClient, resolveRequestUrl } from '../../runtime/platform/http/index.ts'
import { startServer, type TestServer } from './helpers.ts'

describe('resolveRequestUrl', () => {
  it.each([
    ['https://x.atlassian.net/rest', '/api/3/myself', 'https://x.atlassian.net/rest/api/3/myself'],
    ['https://x.atlassian.net/rest/', '/api/3/myself', 'https://x.atlassian.net/rest/api/3/myself'],
    ['https://x.atlassian.net/rest', 'api/3/myself', 'https://x.atlassian.net/rest/api/3/myself'],
    ['https://api.github.com', '/user', 'https://api.github.com/user'],
    ['https://api.github.com/', 'user', 'https://api.github.com/user'],
    ['https://api.example.com/v1', '', 'https://api.example.com/v1'],
    ['https://api.example.com/v1', '/', 'https://api.example.com/v1/'],
    ['https://api.example.com/v1', '?page=2', 'https://api.example.com/v1?page=2'],
    ['https://api.example.com/v1', '/users?page=2&q=a b', 'https://api.example.com/v1/users?page=2&q=a%20b'],
    ['https://api.example.com/v1', '/search?next=http://evil.com/', 'https://api.example.com/v1/search?next=http://evil.com/'],
    ['https://api.example.com/v1', '/users/ada@example.com', 'https://api.example.com/v1/users/ada@example.com'],
    ['https://api.example.com/v1', '/tasks:batchGet', 'https://api.example.com/v1/tasks:batchGet'],
    ['https://api.example.com/v1', '/a%20b/%E2%9C%93', 'https://api.example.com/v1/a%20b/%E2%9C%93'],
    ['https://api.example.com/v1', '/...', 'https://api.example.com/v1/...'],
    ['https://api.example.com:8443/v1', '/x', 'https://api.example.com:8443/v1/x'],
    // `@` and `:` after the base path are path characters: they cannot reach the authority
    ['https://api.example.com', '@evil.com/', 'https://api.example.com/@evil.com/'],
    ['https://api.example.com', ':@evil.com', 'https://api.example.com/:@evil.com'],
    ['https://api.example.com', '%40evil.com', 'https://api.example.com/%40evil.com'],
  ])('%s + %s → %s', (base, path, expected) => {
    const url = resolveRequestUrl(base, path)
    expect(url.href).toBe(expected)
    expect(url.origin).toBe(new URL(base).origin)
  })

  // OWASP path traversal and SSRF "URL parser confusion" inputs.
  it.each([
    'http://evil.com/',
    'HTTPS://evil.com',
    'https:evil.com',
    'javascript:alert(1)',
    'data:text/plain,x',
    'mailto:a@b',
    '//evil.com/x',
    '///evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '/a\\..\\b',
    '..',
    '../x',
    './x',
    '/../x',
    '/a/../../x',
    '/a/..',
    '/%2e%2e/x',
    '/%2E%2E/x',
    '/.%2e/x',
    '/%2e./x',
    '/%2e/x',
    '/%252e%252e/x',
    '/%25252e%25252e/x',
    '/..%2fx',
    '/..%2Fadmin',
    '/%2f%2fevil.com',
    '/a%5c..%5cb',
    '/..;/admin',
    '/.;/admin',
    '/..%3b/admin',
    '/．．/admin',
    '/a／..／b',
    '/%ef%bc%8e%ef%bc%8e/admin',
    '/a\r\nHost: evil.com',
    '/a%0d%0aHost:%20evil.com',
    '/a\u0000',
    '/a%00',
    '/a\u0085',
    '/a#@evil.com',
    '/%',
    '/%zz',
    '/%c0%ae%c0%ae/',
  ])('refuses %j', (path) => {
    expect(() => resolveRequestUrl('https://api.example.com/v1', path)).toThrow(SwitchboardError)
    try {
      resolveRequestUrl('https://api.example.com/v1', path)
    } catch (e) {
      expect((e as SwitchboardError).code).toBe('invalid_url')
      expect((e as SwitchboardError).message).not.toContain('evil')
    }
  })

  it.each(['ftp://x/', 'https://user@x/', 'https://@x/', 'https://x/?a=1', 'https://x/#f', 'not a url'])('refuses the base %s', (base) =>
    expect(() => resolveRequestUrl(base, '/x')).toThrow(SwitchboardError),
  )
})

describe('assertSameOrigin', () => {
  it('compares scheme, host and port', () => {
    expect(() => assertSameOrigin('https://api.example.com/v2', 'https://api.example.com/v1')).not.toThrow()
    expect(() => assertSameOrigin(new URL('https://API.example.com:443/'), 'https://api.example.com')).not.toThrow()
    for (const other of [
      'http://api.example.com/',
      'https://api.example.com:8443/',
      'https://evil.com/',
      'https://api.example.com.evil.com/',
    ]) {
      expect(() => assertSameOrigin(other, 'https://api.example.com/v1')).toThrow(/another origin/)
    }
  })
})

describe('path tricks through the client', () => {
  let api: TestServer
  let evil: TestServer

  beforeAll(async () => {
    api = await startServer((req, res) => res.end(req.url))
    evil = await startServer()
  })
  afterAll(async () => {
    await api.close()
    await evil.close()
  })

  it('never reach another server, even when both are allow-listed', async () => {
    const client = createHttpClient({ allowedHosts: '127.0.0.0/8' })
    const base = `${api.origin}/api`
    const E = `127.0.0.1:${evil.port}`
    const tricks = [`//${E}/`, `///${E}/`, `/\\${E}/`, `\\\\${E}`, `http://${E}/`, `http:${E}`, `/%2f%2f${E}`, `/..%2f..%2f${E}`]
    for (const path of tricks) {
      expect(() => resolveRequestUrl(base, path), path).toThrow(SwitchboardError)
    }
    for (const path of [`@${E}/`, `:@${E}`, `%40${E}`]) {
      const res = await client.request({ url: resolveRequestUrl(base, path) })
      expect(res.body).toMatch(/^\/api\//)
    }
    expect(evil.connections).toBe(0)
    await client.close()
  })
})
