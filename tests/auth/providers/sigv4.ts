/**
 * An S3-like AWS Signature V4 verifier, written from the AWS documentation ("Create a signed AWS API request")
 * and independent of the library the runtime signs with: canonical request, string to sign, derived key. It
 * answers as S3 does: 403 `SignatureDoesNotMatch`, `InvalidAccessKeyId`, `RequestTimeTooSkewed`, 400
 * `XAmzContentSHA256Mismatch`, with an XML body.
 */
import { createHash, createHmac } from 'node:crypto'
import type { RawRequest } from './serve.ts'

export interface SigV4Keys {
  /** Secret by access key id. */
  secrets: Map<string, string>
  /** Session token an access key id needs (temporary credentials). */
  sessionTokens?: Map<string, string>
  region: string
  service: string
  /** The server's clock. */
  now?: () => number
}

export type SigV4Verdict = { ok: true; accessKeyId: string } | { ok: false; status: number; code: string }

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest()

/** RFC 3986 unreserved characters stay, everything else is %XX (upper case), as SigV4 wants. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function decode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '))
}

/** The canonical request of SigV4. S3 encodes the path once; every other service twice. */
export function canonicalRequest(
  request: { method: string; url: string; headers: Record<string, string | string[] | undefined> },
  signedHeaders: string[],
  payloadHash: string,
  service: string,
): string {
  const [path = '/', query = ''] = request.url.split('?', 2) as [string, string?]
  const segments = path.split('/').map((segment) => uriEncode(decode(segment)))
  const canonicalPath = service === 's3' ? segments.join('/') : segments.map(uriEncode).join('/')
  const pairs = query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=')
      const name = at === -1 ? pair : pair.slice(0, at)
      const value = at === -1 ? '' : pair.slice(at + 1)
      return [uriEncode(decode(name)), uriEncode(decode(value))] as const
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = request.headers[name]
      const text = Array.isArray(value) ? value.join(',') : (value ?? '')
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`
    })
    .join('')
  return [
    request.method,
    canonicalPath,
    pairs.map(([n, v]) => `${n}=${v}`).join('&'),
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n')
}

/** The signature over a canonical request. */
export function signature(secret: string, amzDate: string, scope: string, canonical: string): string {
  const [date, region, service] = scope.split('/') as [string, string, string]
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request')
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n')
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex')
}

/**
 * Verifies a request as S3 (or STS) would.
 *
 * @example
 * const verdict = verifySigV4(raw, { secrets: new Map([['AKID', 'secret']]), region: 'us-east-1', service: 's3' })
 */
export function verifySigV4(raw: RawRequest, keys: SigV4Keys): SigV4Verdict {
  const auth = String(raw.headers.authorization ?? '')
  const pattern =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([\da-f]{64})$/
  const match = pattern.exec(auth)
  if (!match) return { ok: false, status: 403, code: 'AccessDenied' }
  const [, accessKeyId, date, region, service, signedList, given] = match as unknown as string[]
  const secret = keys.secrets.get(accessKeyId!)
  if (!secret) return { ok: false, status: 403, code: 'InvalidAccessKeyId' }
  const amzDate = String(raw.headers['x-amz-date'] ?? '')
  const at = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))
  if (!Number.isFinite(at) || Math.abs((keys.now?.() ?? Date.now()) - at) > 15 * 60 * 1000) {
    return { ok: false, status: 403, code: 'RequestTimeTooSkewed' }
  }
  if (date !== amzDate.slice(0, 8) || region !== keys.region || service !== keys.service) {
    return { ok: false, status: 403, code: 'SignatureDoesNotMatch' }
  }
  const signed = signedList!.split(';')
  if (!signed.includes('host') || !signed.includes('x-amz-date')) return { ok: false, status: 403, code: 'AccessDenied' }
  // S3 requires every x-amz-* header sent to be signed.
  for (const name of Object.keys(raw.headers)) {
    if (name.startsWith('x-amz-') && !signed.includes(name)) return { ok: false, status: 403, code: 'AccessDenied' }
  }
  const bodyHash = sha256(raw.body)
  let payloadHash = bodyHash
  if (keys.service === 's3') {
    payloadHash = String(raw.headers['x-amz-content-sha256'] ?? '')
    if (payloadHash !== bodyHash) return { ok: false, status: 400, code: 'XAmzContentSHA256Mismatch' }
  }
  const token = keys.sessionTokens?.get(accessKeyId!)
  if (token !== undefined && (raw.headers['x-amz-security-token'] !== token || !signed.includes('x-amz-security-token'))) {
    return { ok: false, status: 403, code: 'InvalidToken' }
  }
  const canonical = canonicalRequest(raw, signed, payloadHash, keys.service)
  const expected = signature(secret, amzDate, `${date}/${region}/${service}/aws4_request`, canonical)
  return expected === given ? { ok: true, accessKeyId: accessKeyId! } : { ok: false, status: 403, code: 'SignatureDoesNotMatch' }
}

/** An S3 error document. */
export function s3Error(code: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>`
}
