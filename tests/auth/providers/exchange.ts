/**
 * HMAC-signing exchange stand-ins, each verifying as the real one documents it and rejecting stale timestamps:
 *
 * - Binance (spot API, "SIGNED endpoints"): `signature` = hex HMAC-SHA256 of the query string (without the
 *   signature) followed by the form body, keyed by the raw secret; `timestamp` in ms within `recvWindow` (5 s);
 *   the key in `X-MBX-APIKEY`. Errors: 401 `-2015` unknown key, 400 `-1022` bad signature, 400 `-1021` stale.
 * - Coinbase Exchange: `CB-ACCESS-SIGN` = base64 HMAC-SHA256 of `timestamp + METHOD + requestPath + body`,
 *   keyed by the base64-decoded secret; `CB-ACCESS-TIMESTAMP` in seconds within 30 s; `CB-ACCESS-KEY` and
 *   `CB-ACCESS-PASSPHRASE`. Errors: 401 `invalid signature`, `invalid passphrase`, `request timestamp expired`.
 * - Gate.io (API v4): `SIGN` = hex HMAC-SHA512 of `METHOD\npath\nquery\nhex(SHA512(body))\ntimestamp`, `KEY`,
 *   `Timestamp` in seconds within 60 s. Error: 401 `INVALID_SIGNATURE`, `REQUEST_EXPIRED`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { RawReply, RawRequest } from './serve.ts'

export interface ExchangeKeys {
  apiKey: string
  secret: string
  passphrase?: string
  /** The exchange's clock, to make Switchboard's timestamps stale. */
  now?: () => number
}

const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/** Verifies a Binance SIGNED request; `undefined` when it may go on. */
export function binance(raw: RawRequest, keys: ExchangeKeys): RawReply | undefined {
  if (raw.headers['x-mbx-apikey'] !== keys.apiKey) {
    return { status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' } }
  }
  const query = raw.url.split('?')[1] ?? ''
  const at = query.lastIndexOf('signature=')
  if (at === -1) return { status: 400, body: { code: -1102, msg: "Mandatory parameter 'signature' was not sent." } }
  const total = query.slice(0, Math.max(0, at - 1)) + raw.body.toString()
  const given = query.slice(at + 'signature='.length)
  const expected = createHmac('sha256', keys.secret).update(total).digest('hex')
  if (!equal(given, expected)) return { status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } }
  const params = new URLSearchParams(`${query.slice(0, Math.max(0, at - 1))}&${raw.body.toString()}`)
  const timestamp = Number(params.get('timestamp'))
  if (!Number.isFinite(timestamp) || Math.abs((keys.now?.() ?? Date.now()) - timestamp) > 5000) {
    return { status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } }
  }
  return undefined
}

/** Verifies a Coinbase Exchange request; `undefined` when it may go on. */
export function coinbase(raw: RawRequest, keys: ExchangeKeys): RawReply | undefined {
  const h = raw.headers
  if (h['cb-access-key'] !== keys.apiKey) return { status: 401, body: { message: 'invalid api key' } }
  if (h['cb-access-passphrase'] !== keys.passphrase) return { status: 401, body: { message: 'invalid passphrase' } }
  const timestamp = String(h['cb-access-timestamp'] ?? '')
  const prehash = timestamp + raw.method + raw.url + raw.body.toString()
  const expected = createHmac('sha256', Buffer.from(keys.secret, 'base64')).update(prehash).digest('base64')
  if (!equal(String(h['cb-access-sign'] ?? ''), expected)) return { status: 401, body: { message: 'invalid signature' } }
  if (!/^\d+$/.test(timestamp) || Math.abs((keys.now?.() ?? Date.now()) / 1000 - Number(timestamp)) > 30) {
    return { status: 401, body: { message: 'request timestamp expired' } }
  }
  return undefined
}

/** Verifies a Gate.io v4 request; `undefined` when it may go on. */
export function gate(raw: RawRequest, keys: ExchangeKeys): RawReply | undefined {
  const h = raw.headers
  if (h.key !== keys.apiKey) return { status: 401, body: { label: 'INVALID_KEY', message: 'Invalid key provided' } }
  const [path = '', query = ''] = raw.url.split('?')
  const timestamp = String(h.timestamp ?? '')
  const payload = [raw.method, path, query, createHash('sha512').update(raw.body).digest('hex'), timestamp].join('\n')
  const expected = createHmac('sha512', keys.secret).update(payload).digest('hex')
  if (!equal(String(h.sign ?? ''), expected)) return { status: 401, body: { label: 'INVALID_SIGNATURE', message: 'Signature mismatch' } }
  if (Math.abs((keys.now?.() ?? Date.now()) / 1000 - Number(timestamp)) > 60) {
    return { status: 401, body: { label: 'REQUEST_EXPIRED', message: 'gap between request Timestamp and server time exceeds 60' } }
  }
  return undefined
}
