import { SwitchboardError } from '../../../errors.ts'
import { connectionRefusedError, dnsError, timeoutError, tlsError, upstreamError } from '../errors.ts'

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA'])
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT'])
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED'])
const UNREACHABLE_CODES = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN'])

export interface FailureContext {
  /** `url.host` of the hop that failed. */
  host: string
  connectTimeoutMs: number
}

/**
 * Turns whatever undici or Node threw into one SwitchboardError. The wrappers (a FetchError,
 * undici's "fetch failed" TypeError) are skipped because their messages quote the full URL, query string
 * and all; only the innermost error, whose message names at most an address and port, is kept as `cause`.
 *
 * @example
 * classifyError(new TypeError('fetch failed', { cause: econnrefused }), { host: 'api.test', connectTimeoutMs: 10_000 })
 * // SwitchboardError connection_refused, cause: econnrefused
 */
export function classifyError(error: unknown, context: FailureContext): SwitchboardError {
  const chain = causeChain(error)
  const known = chain.find((e): e is SwitchboardError => e instanceof SwitchboardError)
  if (known) return known
  const coded = chain.find((e) => typeof (e as { code?: unknown }).code === 'string') as (Error & { code: string }) | undefined
  const root = coded
  const code = coded?.code ?? ''
  const { host } = context
  if (code === 'ECONNREFUSED') return connectionRefusedError(host, root)
  if (DNS_CODES.has(code)) return dnsError(host, code, root)
  if (isTlsCode(code)) return tlsError(host, code, root)
  if (TIMEOUT_CODES.has(code)) return timeoutError(host, 'connect', context.connectTimeoutMs)
  if (RESET_CODES.has(code)) return upstreamError(host, 'reset', 'the connection was closed unexpectedly', code, root)
  if (UNREACHABLE_CODES.has(code)) return upstreamError(host, 'unreachable', 'the network cannot reach it', code, root)
  if (code.startsWith('HPE_') || code === 'UND_ERR_INFO') {
    return upstreamError(host, 'network', 'it sent a malformed HTTP response', code, root)
  }
  return upstreamError(host, 'network', 'the request could not be completed', code || undefined, root)
}

// OpenSSL and Node name TLS failures in several ways: ERR_TLS_*, ERR_SSL_*, certificate verification
// codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE, …) and EPROTO
// for a server that does not speak TLS at all.
function isTlsCode(code: string): boolean {
  return /^ERR_(TLS|SSL)_|CERT|^EPROTO$|_SIGNATURE$|^UNABLE_TO_/.test(code)
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  let current = error
  while (current !== undefined && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current)
    current = (current as { cause?: unknown }).cause
  }
  return chain
}
