/**
 * An OAuth 1.0a provider stand-in (RFC 5849), verifying signatures with its own base-string code (not the
 * library the runtime signs with): HMAC-SHA1 and RSA-SHA1, query and form-body parameters included, timestamps
 * within 5 minutes, nonces used once. It runs the three-legged flow as X (Twitter) does: `request_token` (with
 * `oauth_callback`), `authorize` (the person approves; here the test follows the redirect), `access_token` (with
 * `oauth_verifier`), and answers a bad signature with 401 `{"errors":[{"code":32,"message":"Could not authenticate you."}]}`.
 */
import { createHmac, createVerify, randomBytes } from 'node:crypto'
import type { RawReply, RawRequest } from './serve.ts'

export interface OAuth1Consumer {
  key: string
  /** HMAC-SHA1. */
  secret?: string
  /** RSA-SHA1: the consumer's public key (PEM). */
  publicKey?: string
}

export const enc = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '))

function pairs(text: string): Array<[string, string]> {
  return text
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=')
      return [formDecode(at === -1 ? pair : pair.slice(0, at)), at === -1 ? '' : formDecode(pair.slice(at + 1))]
    })
}

/** The `Authorization: OAuth …` parameters, decoded. */
export function oauthParams(header: string | undefined): Map<string, string> | undefined {
  if (!header?.startsWith('OAuth ')) return undefined
  const out = new Map<string, string>()
  for (const match of header.slice(6).matchAll(/([\w-]+)="([^"]*)"/g)) out.set(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!))
  return out
}

/** The signature base string of RFC 5849 §3.4.1. */
export function baseString(raw: RawRequest, oauth: Map<string, string>): string {
  const [path = '/', query = ''] = raw.url.split('?', 2) as [string, string?]
  const all: Array<[string, string]> = [...pairs(query)]
  if (String(raw.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) all.push(...pairs(raw.body.toString()))
  for (const [name, value] of oauth) if (name !== 'oauth_signature' && name !== 'realm') all.push([name, value])
  const normalized = all
    .map(([n, v]) => [enc(n), enc(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&')
  const uri = `http://${String(raw.headers.host).toLowerCase()}${path}`
  return [raw.method.toUpperCase(), enc(uri), enc(normalized)].join('&')
}

/**
 * The provider: consumers by key, tokens issued so far, and a handler for its endpoints. `api` answers a
 * signed API request (the token's user, or `null` for a two-legged request).
 */
export function createOAuth1Provider(options: {
  consumers: OAuth1Consumer[]
  /** Where `authorize` sends the person back is the `oauth_callback` the request token was asked with. */
  api: (raw: RawRequest, user: string | null) => RawReply
  now?: () => number
}) {
  const consumers = new Map(options.consumers.map((c) => [c.key, c]))
  const requestTokens = new Map<string, { secret: string; consumer: string; callback: string; verifier: string; approved: boolean }>()
  const accessTokens = new Map<string, { secret: string; consumer: string; user: string }>()
  const nonces = new Set<string>()
  const refuse: RawReply = { status: 401, body: { errors: [{ code: 32, message: 'Could not authenticate you.' }] } }

  function verify(raw: RawRequest): { oauth: Map<string, string>; consumer: OAuth1Consumer; tokenSecret: string } | undefined {
    const oauth = oauthParams(String(raw.headers.authorization ?? ''))
    const consumer = oauth && consumers.get(oauth.get('oauth_consumer_key') ?? '')
    if (!oauth || !consumer || oauth.get('oauth_version') !== '1.0') return undefined
    const timestamp = Number(oauth.get('oauth_timestamp'))
    if (!Number.isFinite(timestamp) || Math.abs((options.now?.() ?? Date.now()) / 1000 - timestamp) > 300) return undefined
    const nonce = `${consumer.key}:${oauth.get('oauth_token') ?? ''}:${timestamp}:${oauth.get('oauth_nonce')}`
    if (!oauth.get('oauth_nonce') || nonces.has(nonce)) return undefined
    const token = oauth.get('oauth_token')
    const tokenSecret =
      token === undefined ? '' : (accessTokens.get(token)?.secret ?? requestTokens.get(token)?.secret ?? (undefined as unknown as string))
    if (tokenSecret === undefined) return undefined
    const base = baseString(raw, oauth)
    const given = oauth.get('oauth_signature') ?? ''
    let ok = false
    if (oauth.get('oauth_signature_method') === 'HMAC-SHA1' && consumer.secret !== undefined) {
      ok =
        createHmac('sha1', `${enc(consumer.secret)}&${enc(tokenSecret)}`)
          .update(base)
          .digest('base64') === given
    } else if (oauth.get('oauth_signature_method') === 'RSA-SHA1' && consumer.publicKey) {
      ok = createVerify('RSA-SHA1').update(base).verify(consumer.publicKey, given, 'base64')
    }
    if (!ok) return undefined
    nonces.add(nonce)
    return { oauth, consumer, tokenSecret }
  }

  const form = (values: Record<string, string>): RawReply => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(values).toString(),
  })

  return {
    requestTokens,
    accessTokens,
    handle(raw: RawRequest): RawReply {
      const path = raw.url.split('?')[0]
      if (path === '/oauth/authorize') {
        // The person approves: back to the callback with the verifier (X appends to a callback with a query).
        const token = new URLSearchParams(raw.url.split('?')[1]).get('oauth_token') ?? ''
        const pending = requestTokens.get(token)
        if (!pending) return { status: 400, body: 'This page is no longer valid.' }
        pending.approved = true
        const joiner = pending.callback.includes('?') ? '&' : '?'
        return { status: 302, headers: { location: `${pending.callback}${joiner}oauth_token=${token}&oauth_verifier=${pending.verifier}` } }
      }
      const checked = verify(raw)
      if (!checked) return refuse
      const { oauth, consumer } = checked
      if (path === '/oauth/request_token') {
        const callback = oauth.get('oauth_callback')
        if (!callback)
          return {
            status: 401,
            body: { errors: [{ code: 417, message: 'Desktop applications only support the oauth_callback value oob' }] },
          }
        const token = `rt-${randomBytes(6).toString('hex')}`
        const secret = `rts-${randomBytes(12).toString('hex')}`
        requestTokens.set(token, {
          secret,
          consumer: consumer.key,
          callback,
          verifier: `v-${randomBytes(6).toString('hex')}`,
          approved: false,
        })
        return form({ oauth_token: token, oauth_token_secret: secret, oauth_callback_confirmed: 'true' })
      }
      if (path === '/oauth/access_token') {
        const token = oauth.get('oauth_token') ?? ''
        const pending = requestTokens.get(token)
        if (!pending || !pending.approved || pending.verifier !== oauth.get('oauth_verifier')) return refuse
        requestTokens.delete(token)
        const access = `at-${randomBytes(6).toString('hex')}`
        const secret = `ats-${randomBytes(12).toString('hex')}`
        accessTokens.set(access, { secret, consumer: consumer.key, user: 'mk_screen_name' })
        return form({ oauth_token: access, oauth_token_secret: secret, user_id: '1234', screen_name: 'mk_screen_name' })
      }
      const token = oauth.get('oauth_token')
      if (token !== undefined && !accessTokens.has(token)) return refuse
      return options.api(raw, token === undefined ? null : accessTokens.get(token)!.user)
    },
  }
}
