/**
 * Where a token the runtime obtained goes: `tokenMaterial` for OAuth2 and JWT methods. Every form the token is
 * sent in is a secret and a credential header or parameter, so previews mask it by name and by value.
 */
import { describe, expect, it } from 'vitest'
import { tokenMaterial } from '../../runtime/core/auth/placement.ts'

describe('tokenMaterial', () => {
  it('defaults to Authorization: Bearer', () => {
    expect(tokenMaterial('tok-5f1e2d3c4b5a', undefined)).toMatchObject({
      headers: { Authorization: 'Bearer tok-5f1e2d3c4b5a' },
      credentialHeaders: ['Authorization'],
      secrets: expect.arrayContaining(['tok-5f1e2d3c4b5a']),
    })
  })

  it('a custom header with no prefix, a custom prefix, and Bearer by default in Authorization', () => {
    expect(tokenMaterial('tok-5f1e2d3c4b5a', { in: 'header', name: 'X-Auth-Token', prefix: '' }).headers).toEqual({
      'X-Auth-Token': 'tok-5f1e2d3c4b5a',
    })
    const zoho = tokenMaterial('tok-5f1e2d3c4b5a', { in: 'header', name: 'Authorization', prefix: 'Zoho-oauthtoken ' })
    expect(zoho.headers).toEqual({ Authorization: 'Zoho-oauthtoken tok-5f1e2d3c4b5a' })
    expect(zoho.secrets).toEqual(expect.arrayContaining(['tok-5f1e2d3c4b5a', 'Zoho-oauthtoken tok-5f1e2d3c4b5a']))
    expect(tokenMaterial('tok-5f1e2d3c4b5a', { in: 'header', name: 'authorization' }).headers).toEqual({
      authorization: 'Bearer tok-5f1e2d3c4b5a',
    })
    expect(tokenMaterial('tok-5f1e2d3c4b5a', { in: 'header', name: 'X-Token' }).headers).toEqual({ 'X-Token': 'tok-5f1e2d3c4b5a' })
  })

  it('a query parameter, named as a credential parameter', () => {
    const material = tokenMaterial('tok-5f1e2d3c4b5a', { in: 'query', name: 'access_token' })
    expect(material.query).toEqual([['access_token', 'tok-5f1e2d3c4b5a']])
    expect(material.credentialQuery).toEqual(['access_token'])
    expect(material.headers).toEqual({})
  })
})
