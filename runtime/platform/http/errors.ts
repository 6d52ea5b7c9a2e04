import { SwitchboardError } from '../../errors.ts'

/**
 * The stable codes the HTTP client throws. Callers branch on these (and on `details.kind`) to tell a person
 * in plain words what went wrong; messages name the host at most, never a path, query string or header value,
 * because those routinely carry API keys.
 *
 * @example
 * if (isSwitchboardError(err) && err.code === HTTP_ERROR_CODES.blockedAddress) showAllowListHint()
 */
export const HTTP_ERROR_CODES = {
  blockedAddress: 'blocked_address',
  invalidUrl: 'invalid_url',
  dnsFailure: 'dns_failure',
  connectionRefused: 'connection_refused',
  tlsError: 'tls_error',
  upstreamTimeout: 'upstream_timeout',
  responseTooLarge: 'response_too_large',
  tooManyRedirects: 'too_many_redirects',
  upstreamError: 'upstream_error',
  requestAborted: 'request_aborted',
  invalidRequest: 'invalid_request',
} as const

/** One of {@link HTTP_ERROR_CODES}. */
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[keyof typeof HTTP_ERROR_CODES]

/** What kind of failure it was, for callers that write their own diagnosis. */
export type HttpFailureKind =
  | 'blocked'
  | 'url'
  | 'dns'
  | 'refused'
  | 'tls'
  | 'timeout'
  | 'size'
  | 'redirects'
  | 'reset'
  | 'unreachable'
  | 'network'
  | 'aborted'
  | 'request'

/** `details` of every error the HTTP client throws. `host` is `hostname[:port]`, never more of the URL. */
export interface HttpErrorDetails {
  kind: HttpFailureKind
  host?: string
  [key: string]: unknown
}

const ALLOW_LIST_HINT =
  'requests to private networks are refused. If this is an on-premise tool, add its host to SWITCHBOARD_ALLOWED_HOSTS.'

/**
 * A request aimed at a private, loopback, link-local, metadata or otherwise non-public address (OWASP SSRF
 * Prevention Cheat Sheet, "network layer" defence). `embedded` is the IPv4 address inside an IPv6 form
 * (`::ffff:7f00:1` → `127.0.0.1`) when that is what made it non-public.
 *
 * @example
 * blockedAddressError('wiki.corp', { address: '10.0.0.7', description: 'a private network address', range: 'private' })
 * // "wiki.corp" resolves to 10.0.0.7, a private network address; requests to private networks are refused. …
 */
export function blockedAddressError(
  host: string,
  blocked: { address: string; embedded?: string | undefined; description: string; range: string },
): SwitchboardError {
  const { address, embedded, description, range } = blocked
  const subject =
    host === address
      ? embedded
        ? `${address} stands for ${embedded}, ${description}`
        : `${address} is ${description}`
      : `"${host}" resolves to ${embedded ?? address}${embedded ? ` (written ${address})` : ''}, ${description}`
  return new SwitchboardError(400, HTTP_ERROR_CODES.blockedAddress, `${subject}; ${ALLOW_LIST_HINT}`, {
    details: { kind: 'blocked', host, address: embedded ?? address, range } satisfies HttpErrorDetails,
  })
}

/**
 * A local-only host name (`localhost`, `*.localhost`, RFC 6761 §6.3) refused before any DNS lookup.
 *
 * @example
 * localNameError('api.localhost')
 */
export function localNameError(host: string): SwitchboardError {
  return new SwitchboardError(
    400,
    HTTP_ERROR_CODES.blockedAddress,
    `"${host}" always points to this machine, a loopback address; ${ALLOW_LIST_HINT}`,
    { details: { kind: 'blocked', host, range: 'loopback' } satisfies HttpErrorDetails },
  )
}

/**
 * A URL that cannot be requested. `reason` is a plain sentence that must not quote the URL.
 *
 * @example
 * invalidUrlError('Only http and https URLs can be requested, not "file:".', 'scheme')
 */
export function invalidUrlError(reason: string, rule: string, extra: Record<string, unknown> = {}): SwitchboardError {
  return new SwitchboardError(400, HTTP_ERROR_CODES.invalidUrl, reason, {
    details: { kind: 'url', rule, ...extra } satisfies HttpErrorDetails,
  })
}

/**
 * The host name did not resolve.
 *
 * @example
 * dnsError('api.example.com', 'ENOTFOUND')
 */
export function dnsError(host: string, code: string | undefined, cause?: unknown): SwitchboardError {
  const why = code ? ` (${code})` : ''
  return new SwitchboardError(
    502,
    HTTP_ERROR_CODES.dnsFailure,
    `Could not find the address of ${host}${why}. Check the host name in the base URL.`,
    { details: { kind: 'dns', host, ...(code ? { code } : {}) } satisfies HttpErrorDetails, cause },
  )
}

/**
 * Nothing listens on the host and port (TCP RST).
 *
 * @example
 * connectionRefusedError('api.example.com:8443')
 */
export function connectionRefusedError(host: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError(
    502,
    HTTP_ERROR_CODES.connectionRefused,
    `${host} refused the connection. Check that the service is running and that the port is right.`,
    { details: { kind: 'refused', host } satisfies HttpErrorDetails, cause },
  )
}

/**
 * The TLS handshake failed: bad or expired certificate, wrong name, or a server that does not speak TLS.
 *
 * @example
 * tlsError('api.example.com', 'CERT_HAS_EXPIRED')
 */
export function tlsError(host: string, code: string | undefined, cause?: unknown): SwitchboardError {
  const why = code ? ` (${code})` : ''
  return new SwitchboardError(
    502,
    HTTP_ERROR_CODES.tlsError,
    `The secure connection to ${host} failed${why}. Its certificate may be invalid, expired or issued for another name, or it may not ` +
      `speak HTTPS on this port.`,
    { details: { kind: 'tls', host, ...(code ? { code } : {}) } satisfies HttpErrorDetails, cause },
  )
}

/**
 * The connect phase (DNS lookup, TCP and TLS handshakes) or the whole exchange took too long.
 *
 * @example
 * timeoutError('api.example.com', 'connect', 10_000)
 */
export function timeoutError(host: string, phase: 'connect' | 'total', timeoutMs: number): SwitchboardError {
  const seconds = formatSeconds(timeoutMs)
  const message =
    phase === 'connect'
      ? `Could not connect to ${host} within ${seconds}. Check that the host is reachable from the runtime.`
      : `${host} did not answer completely within ${seconds}.`
  return new SwitchboardError(504, HTTP_ERROR_CODES.upstreamTimeout, message, {
    details: { kind: 'timeout', host, phase, timeoutMs } satisfies HttpErrorDetails,
  })
}

/**
 * The response body passed the client's size limit (counted as it streams, after decompression).
 *
 * @example
 * responseTooLargeError('api.example.com', 10 * 1024 * 1024)
 */
export function responseTooLargeError(host: string, limitBytes: number): SwitchboardError {
  return new SwitchboardError(
    502,
    HTTP_ERROR_CODES.responseTooLarge,
    `The response from ${host} is larger than ${formatBytes(limitBytes)}, the limit for one response.`,
    { details: { kind: 'size', host, limitBytes } satisfies HttpErrorDetails },
  )
}

/**
 * Redirects went on past the client's limit (a loop, most likely).
 *
 * @example
 * tooManyRedirectsError('api.example.com', 5)
 */
export function tooManyRedirectsError(host: string, maxRedirects: number): SwitchboardError {
  return new SwitchboardError(
    502,
    HTTP_ERROR_CODES.tooManyRedirects,
    `${host} redirected more than ${maxRedirects} times; stopped following.`,
    { details: { kind: 'redirects', host, maxRedirects } satisfies HttpErrorDetails },
  )
}

/**
 * Anything else that went wrong on the way: connection reset, unreachable network, malformed response.
 *
 * @example
 * upstreamError('api.example.com', 'reset', 'the connection was reset', 'ECONNRESET')
 */
export function upstreamError(host: string, kind: HttpFailureKind, what: string, code?: string, cause?: unknown): SwitchboardError {
  const why = code ? ` (${code})` : ''
  return new SwitchboardError(502, HTTP_ERROR_CODES.upstreamError, `Request to ${host} failed: ${what}${why}.`, {
    details: { kind, host, ...(code ? { code } : {}) } satisfies HttpErrorDetails,
    cause,
  })
}

/**
 * The caller cancelled the request through its `signal`. 499 is the de-facto status for "client closed
 * request"; it rarely reaches anyone, since the caller stopped listening.
 *
 * @example
 * abortedError('api.example.com')
 */
export function abortedError(host: string): SwitchboardError {
  return new SwitchboardError(499, HTTP_ERROR_CODES.requestAborted, `The request to ${host} was cancelled.`, {
    details: { kind: 'aborted', host } satisfies HttpErrorDetails,
  })
}

/**
 * A request that cannot be sent as asked, whatever the server (a body on GET, say).
 *
 * @example
 * invalidRequestError('A GET or HEAD request cannot have a body.')
 */
export function invalidRequestError(message: string): SwitchboardError {
  return new SwitchboardError(400, HTTP_ERROR_CODES.invalidRequest, message, {
    details: { kind: 'request' } satisfies HttpErrorDetails,
  })
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}
