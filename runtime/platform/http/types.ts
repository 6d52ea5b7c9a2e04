import type ipaddr from 'ipaddr.js'
import type { Cancellation } from './cancellation.ts'

/** One parsed entry of `SWITCHBOARD_ALLOWED_HOSTS`. */
export type AllowedHostEntry =
  | { kind: 'host'; hostname: string; port?: number; source: string }
  | { kind: 'cidr'; network: ipaddr.IPv4 | ipaddr.IPv6; prefixLength: number; source: string }

/**
 * The exceptions to the private-address rule, for tests and on-premise tools. A host entry opens one name
 * (optionally one port) as the URL spells it; a CIDR entry opens addresses, whatever name resolved to them.
 */
export interface AllowedHosts {
  readonly entries: readonly AllowedHostEntry[]
  /** Whether a host entry names `hostname` (as the URL spells it, WHATWG-normalised) and `port`. */
  allowsHost(hostname: string, port: number): boolean
  /** Whether a CIDR entry contains `address`; with `exact`, only an entry for that single address counts. */
  allowsAddress(address: string, options?: { exact?: boolean }): boolean
}

/** How one IP address is classified for outbound requests. */
export interface AddressClassification {
  /** The address as given, normalised (`::ffff:7f00:1` stays IPv6; see `embedded`). */
  address: string
  /** `true` only for globally routable unicast addresses. */
  isPublic: boolean
  /** ipaddr.js range name (`loopback`, `private`, `linkLocal`, …) or one of ours (`metadata`, `ipv4Compatible`). */
  range: string
  /** Plain words for messages: "a loopback address". */
  description: string
  /** A cloud instance-metadata endpoint: refused even by a broad CIDR allow-list entry. */
  metadata: boolean
  /** The non-public IPv4 address embedded in a mapped / compatible / NAT64 / 6to4 IPv6 address, if any. */
  embedded?: string
}

/** One answer of a DNS lookup, as `dns.promises.lookup(host, { all: true })` gives them. */
export interface LookupAddress {
  address: string
  family?: number
}

/**
 * Resolves a host name to every address it has. Injectable so tests can point names anywhere without DNS.
 *
 * @example
 * const lookup: LookupFunction = async (host) => host === 'api.test' ? [{ address: '127.0.0.1', family: 4 }] : []
 */
export type LookupFunction = (hostname: string) => Promise<readonly LookupAddress[]>

/** Options of {@link createHttpClient}. Every limit has a safe default. */
export interface HttpClientOptions {
  /** `SWITCHBOARD_ALLOWED_HOSTS` as a string or list, or already parsed. Default: nothing allowed. */
  allowedHosts?: string | readonly string[] | AllowedHosts
  /** DNS lookup plus TCP and TLS handshakes, per connection. Default 10 000. */
  connectTimeoutMs?: number
  /** Whole exchange, redirects and body included (a stream's too). Default 30 000. */
  timeoutMs?: number
  /** Largest response body, counted after decompression. Default 10 MiB. */
  maxResponseBytes?: number
  /** Same-origin redirects followed before giving up. Default 5; 0 returns the 3xx response itself. */
  maxRedirects?: number
  /** DNS lookup; default `dns.promises.lookup` with `all: true`. */
  lookup?: LookupFunction
  /** Sent when the request has no User-Agent. Default `Switchboard`. */
  userAgent?: string
  /** Extra trusted CA certificates (PEM), for on-premise tools with a private CA. */
  ca?: string | readonly string[]
}

/** How the response body is returned. `auto`: JSON when the content type says so, text otherwise. */
export type HttpResponseType = 'auto' | 'json' | 'text' | 'stream'

/** Query values; `undefined` and `null` are left out, arrays repeat the key. */
export type HttpQuery = Record<string, string | number | boolean | null | undefined | readonly (string | number | boolean)[]>

/**
 * Bodies the client can send. Plain objects and arrays are sent as JSON; streams cannot follow 307/308.
 * A string body without a Content-Type header goes out as `application/json`: set the header
 * for anything else.
 */
export type HttpBody = string | Uint8Array | URLSearchParams | ReadableStream<Uint8Array> | Record<string, unknown> | unknown[]

/** One request. Only `url` is required. */
export interface HttpRequestOptions {
  /** Absolute http(s) URL; build it with `resolveRequestUrl` when it comes from a base URL and a path. */
  url: string | URL
  /** Default `GET`. */
  method?: string
  headers?: Record<string, string> | Headers | readonly (readonly [string, string])[]
  /** Appended to the URL's own query. */
  query?: HttpQuery
  body?: HttpBody
  /** Default `auto`. */
  responseType?: HttpResponseType
  /**
   * `same-origin` (default): redirects within the request's origin are followed, a redirect to another
   * origin is the answer. `manual`: every redirect is the answer (auth endpoints: a token request never
   * follows one).
   */
  redirect?: 'same-origin' | 'manual'
  /** Cancels the request (and a returned stream). */
  signal?: AbortSignal | Cancellation
  /** Overrides the client's total timeout for this request. */
  timeoutMs?: number
  /** A client certificate (mTLS): the request goes through a connection pool of its own for `owner` and this certificate. */
  tls?: ClientTls
}

/** A client certificate and key (PEM) for one credential's TLS handshakes, and a private CA its server chains to. */
export interface ClientTls {
  /** Whose certificate (a connection's credential): pools are never shared between owners. */
  owner: string
  cert: string
  key: string
  passphrase?: string
  /** Trusted besides the usual roots. */
  ca?: string
}

/** Response headers as they came: lowercase names, a list where a header came more than once. */
export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>

/** What every response carries. */
export interface HttpResponseMeta {
  status: number
  statusText: string
  /** The headers (made from `rawHeaders` when first read). */
  readonly headers: Headers
  /** The same headers as a record, for hot paths that only look a few up. */
  readonly rawHeaders: RawHeaders
  /** The URL of the final hop, after redirects. */
  url: string
  /** How many redirects were followed. */
  redirects: number
  /** Time until the body was read (buffered) or until the headers arrived (stream). */
  durationMs: number
}

/** A response whose body was read, within `maxResponseBytes`. */
export interface HttpResponse extends HttpResponseMeta {
  /** Parsed JSON, or the text when the body is not JSON (or not valid JSON: see `invalidJson`). */
  body: unknown
  /** The body as text (UTF-8). */
  text: string
  /** Body size in bytes after decompression. */
  bytes: number
  /** JSON was expected (content type or `responseType: 'json'`) but the body did not parse; `body` is the text. */
  invalidJson: boolean
}

/** A response whose body is handed on as a stream; the size cap and total timeout apply while it is read. */
export interface HttpStreamResponse extends HttpResponseMeta {
  /** The body as it arrives (made on first use; not after `bytes()`). */
  readonly body: ReadableStream<Uint8Array>
  /** The body read whole, without a web stream in between (not after `body` was taken). */
  bytes(): Promise<Uint8Array>
}

/** The one outbound HTTP client of the runtime. */
export interface HttpClient {
  request(options: HttpRequestOptions & { responseType: 'stream' }): Promise<HttpStreamResponse>
  request(options: HttpRequestOptions & { responseType?: Exclude<HttpResponseType, 'stream'> }): Promise<HttpResponse>
  /** The parsed allow-list in use. */
  readonly allowedHosts: AllowedHosts
  /** Closes pooled connections. */
  close(): Promise<void>
}
