import { createHmac, createSign, randomBytes } from 'node:crypto'
import OAuth from 'oauth-1.0a'
import { bodyBytes, queryPairs } from '../signing/request-parts.ts'
import type { OutgoingRequest } from '../types.ts'

/** Who signs: the consumer, and the token when there is one (RFC 5849 §3.4). */
export interface OAuth1Signer {
  signatureMethod: 'HMAC-SHA1' | 'RSA-SHA1'
  consumerKey: string
  /** HMAC-SHA1. */
  consumerSecret?: string
  /** RSA-SHA1, PEM. */
  privateKey?: string
  token?: { key: string; secret: string }
  realm?: string
  /** Protocol parameters of the token endpoints (`oauth_callback`, `oauth_verifier`), signed with the rest. */
  extra?: Record<string, string>
}

/**
 * The `Authorization: OAuth …` header of a request (RFC 5849 §3.5.1), signed with `oauth-1.0a` over the
 * request as it will be sent: the query parameters and a form body's parameters are decoded as forms write
 * them (`+` is a space) and passed as parameters, the base string URI has no query, and the nonce is 128
 * random bits.
 *
 * @example
 * oauth1Header({ signatureMethod: 'HMAC-SHA1', consumerKey, consumerSecret, token }, request)
 * // 'OAuth oauth_consumer_key="…", oauth_nonce="…", oauth_signature="…", …'
 */
export function oauth1Header(signer: OAuth1Signer, request: Pick<OutgoingRequest, 'method' | 'url' | 'headers' | 'body'>): string {
  const oauth = new OAuth({
    consumer: { key: signer.consumerKey, secret: signer.consumerSecret ?? '' },
    signature_method: signer.signatureMethod,
    ...(signer.realm ? { realm: signer.realm } : {}),
    hash_function: (base, key) =>
      signer.signatureMethod === 'RSA-SHA1'
        ? createSign('RSA-SHA1')
            .update(base)
            .sign(signer.privateKey ?? '', 'base64')
        : createHmac('sha1', key).update(base).digest('base64'),
  })
  oauth.getNonce = () => randomBytes(16).toString('hex')
  const data: Record<string, string | string[]> = {}
  const add = ([name, value]: [string, string]) => {
    const had = data[name]
    data[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value]
  }
  queryPairs(request.url.search).forEach(add)
  // §3.4.1.3.1: a single-part form body's parameters are signed too.
  if (isForm(request.headers) && request.body !== undefined)
    queryPairs(Buffer.from(bodyBytes(request as OutgoingRequest)).toString('utf8')).forEach(add)
  const base = new URL(request.url.href)
  base.search = ''
  const authorization = oauth.authorize(
    { url: base.href, method: request.method.toUpperCase(), data: { ...data, ...signer.extra } },
    signer.token ? { key: signer.token.key, secret: signer.token.secret } : undefined,
  )
  for (const name of Object.keys(signer.extra ?? {})) {
    ;(authorization as unknown as Record<string, string>)[name] = signer.extra![name]!
  }
  return oauth.toHeader(authorization).Authorization
}

function isForm(headers: Readonly<Record<string, string>>): boolean {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type') return value.toLowerCase().startsWith('application/x-www-form-urlencoded')
  }
  return false
}
