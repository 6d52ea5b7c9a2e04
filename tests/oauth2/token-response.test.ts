/**
 * How token endpoint answers are read, from examples of real providers and of broken ones.
 */
import { describe, expect, it } from 'vitest'
import { parseScopes, parseTokenResponse } from '../../runtime/core/auth/oauth2/index.ts'

const JSON_TYPE = 'application/json; charset=utf-8'
const FORM_TYPE = 'application/x-www-form-urlencoded'

describe('parseTokenResponse', () => {
  const examples: Array<[string, string, string | null, unknown, object?]> = [
    [
      'RFC 6749 JSON',
      '{"access_token":"at1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt1","scope":"read write"}',
      JSON_TYPE,
      { accessToken: 'at1', tokenType: 'Bearer', expiresIn: 3600, refreshToken: 'rt1', scope: ['read', 'write'] },
    ],
    [
      'GitHub, form-encoded with commas',
      'access_token=gho_1&scope=repo%2Cgist&token_type=bearer',
      FORM_TYPE,
      { accessToken: 'gho_1', scope: ['repo', 'gist'], tokenType: 'bearer' },
    ],
    ['form-encoded without a content type', 'access_token=gho_2&token_type=bearer', null, { accessToken: 'gho_2', tokenType: 'bearer' }],
    ['expires_in as a string', '{"access_token":"at2","expires_in":"600"}', JSON_TYPE, { accessToken: 'at2', expiresIn: 600 }],
    [
      'Slack user token, nested',
      '{"ok":true,"access_token":"xoxb-1","scope":"chat:write",' +
        '"authed_user":{"access_token":"xoxp-1","scope":"users:read,chat:write","expires_in":43200,"refresh_token":"xoxe-1"}}',
      JSON_TYPE,
      { accessToken: 'xoxp-1', scope: ['users:read', 'chat:write'], expiresIn: 43200, refreshToken: 'xoxe-1' },
      {
        accessToken: '/authed_user/access_token',
        refreshToken: '/authed_user/refresh_token',
        expiresIn: '/authed_user/expires_in',
        scope: '/authed_user/scope',
      },
    ],
    ['scope as a list', '{"access_token":"at3","scope":["a","b"]}', JSON_TYPE, { accessToken: 'at3', scope: ['a', 'b'] }],
    ['JSON with a text/plain content type', '{"access_token":"at4"}', 'text/plain', { accessToken: 'at4' }],
  ]
  for (const [name, text, type, expected, pointers] of examples) {
    it(`reads ${name}`, () => expect(parseTokenResponse(text, type, pointers)).toEqual(expected))
  }

  const refusals: Array<[string, string, string | null, string]> = [
    ['an OAuth error', '{"error":"invalid_grant","error_description":"Token has been revoked."}', JSON_TYPE, 'invalid_grant'],
    ['Slack\'s 200 {"ok": false}', '{"ok":false,"error":"invalid_code"}', JSON_TYPE, 'invalid_code'],
    ['a form-encoded error', 'error=bad_verification_code&error_description=The+code+is+incorrect', FORM_TYPE, 'bad_verification_code'],
    ['no access token', '{"token_type":"bearer"}', JSON_TYPE, 'invalid_token_response'],
    ['an HTML page', '<html><body>Sign in</body></html>', 'text/html', 'invalid_token_response'],
    ['broken JSON', '{"access_token":', JSON_TYPE, 'invalid_token_response'],
    ['a token at the wrong nested place', '{"access_token":"xoxb-1"}', JSON_TYPE, 'invalid_token_response'],
  ]
  for (const [name, text, type, error] of refusals) {
    it(`refuses ${name}`, () => {
      const pointers = name.includes('nested') ? { accessToken: '/authed_user/access_token' } : undefined
      expect(parseTokenResponse(text, type, pointers)).toMatchObject({ error })
    })
  }

  it('ignores an expires_in that is not a positive number', () => {
    for (const value of ['"soon"', '0', '-5', '""', 'null']) {
      expect(parseTokenResponse(`{"access_token":"a","expires_in":${value}}`, JSON_TYPE)).toEqual({ accessToken: 'a' })
    }
  })
})

describe('parseScopes', () => {
  it('splits on spaces and commas, drops empties and repeats', () => {
    expect(parseScopes('read  write,admin , read')).toEqual(['read', 'write', 'admin'])
    expect(parseScopes('')).toEqual([])
    expect(parseScopes(undefined)).toBeUndefined()
    expect(parseScopes(42)).toBeUndefined()
  })
})
