import { STATUS_CODES } from 'node:http'
import { Readable } from 'node:stream'
import { Agent, type Dispatcher } from 'undici'
import { parseAllowedHosts } from './allowed-hosts.ts'
import { Cancellation, onCancel } from './cancellation.ts'
import { abortedError, invalidRequestError, responseTooLargeError, timeoutError, tooManyRedirectsError } from './errors.ts'
import { firstValue } from './header-values.ts'
import { capStream, decodeBody, readCapped } from './internal/body.ts'
import { classifyError } from './internal/classify-error.ts'
import { createClientTlsPools } from './internal/client-tls.ts'
import { createGuardedConnector } from './internal/connector.ts'
import { decodeStream } from './internal/decode.ts'
import { type Hop, isRedirect, nextHop } from './internal/redirects.ts'
import type {
  AllowedHosts,
  HttpClient,
  HttpClientOptions,
  HttpQuery,
  HttpRequestOptions,
  HttpResponse,
  HttpResponseMeta,
  HttpStreamResponse,
  RawHeaders,
} from './types.ts'
import { assertUrlAllowed } from './url-policy.ts'

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  timeoutMs: 30_000,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'Switchboard',
}

/**
 * Creates the one outbound HTTP client of the runtime: every call to a third-party API (connection tests,
 * actions, proxy, OAuth token calls) goes through it. It refuses non-public addresses unless allow-listed
 * (checked on the URL, then on every resolved address at connect time, then again on every redirect),
 * follows redirects itself and only within the request's origin (a redirect elsewhere is answered as it is,
 * so nothing a request carries reaches another origin), and bounds every request in time and size.
 * Upstream 4xx/5xx answers are responses, not errors; every failure is a `SwitchboardError`.
 *
 * Built on undici's dispatcher API (`Agent.request`), which hands the body over as a Node stream without the
 * web-stream machinery of `fetch`: every proxied call goes through here, so its cost is paid on every call.
 * Bodies are serialised as callers expect (objects as JSON, form parameters as a form) and decoded as
 * `fetch` does (gzip, deflate, br). A 4xx or 5xx is an answer, not an error.
 *
 * @example
 * const http = createHttpClient({ allowedHosts: process.env.SWITCHBOARD_ALLOWED_HOSTS })
 * const res = await http.request({ url: 'https://api.github.com/user', headers: { authorization: `Bearer ${token}` } })
 * if (res.status === 200) console.log((res.body as { login: string }).login)
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const settings = readSettings(options)
  const allowedHosts = isAllowedHosts(options.allowedHosts) ? options.allowedHosts : parseAllowedHosts(options.allowedHosts)
  const connectorOptions = { allowedHosts, connectTimeoutMs: settings.connectTimeoutMs, lookup: options.lookup, ca: options.ca }
  const dispatcher = new Agent({ connect: createGuardedConnector(connectorOptions) })
  const clientTls = createClientTlsPools(connectorOptions)

  async function request(req: HttpRequestOptions): Promise<HttpResponse | HttpStreamResponse> {
    const started = performance.now()
    const timeoutMs = req.timeoutMs ?? settings.timeoutMs
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw invalidRequestError('timeoutMs must be a positive whole number.')
    const responseType = req.responseType ?? 'auto'
    const cancel = new Cancellation()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      cancel.cancel(new DOMException('The total timeout elapsed.', 'TimeoutError'))
    }, timeoutMs)
    const onCallerAbort = () => cancel.cancel(req.signal?.reason)
    if (req.signal?.aborted) onCallerAbort()
    const stopListening = onCancel(req.signal, onCallerAbort)
    const cleanup = () => {
      clearTimeout(timer)
      stopListening()
    }
    let host = 'the server'
    const fail = (error: unknown) => {
      if (timedOut) return timeoutError(host, 'total', timeoutMs)
      if (req.signal?.aborted) return abortedError(host)
      return classifyError(error, { host, connectTimeoutMs: settings.connectTimeoutMs })
    }

    try {
      let hop = firstHop(req, allowedHosts, settings.userAgent)
      const follow = req.redirect !== 'manual' && settings.maxRedirects > 0
      for (let redirects = 0; ; redirects++) {
        host = hop.url.host
        const response = await send(req.tls ? clientTls.get(req.tls) : dispatcher, hop, cancel)
        const location = firstValue(response.headers.location) ?? null
        const next = follow && isRedirect(response.status, location) ? nextHop(hop, response.status, location, allowedHosts) : undefined
        if (next) {
          discard(response.raw)
          if (redirects >= settings.maxRedirects) throw tooManyRedirectsError(host, settings.maxRedirects)
          hop = next
          continue
        }
        const raw = response.headers
        const meta = { status: response.status, statusText: response.statusText, url: hop.url.href, redirects }
        // A declared length past the limit fails before a byte is read (unless compressed: the limit is on
        // the decoded size, which the header does not give).
        const encoding = firstValue(raw['content-encoding'])
        if (Number(firstValue(raw['content-length']) ?? NaN) > settings.maxResponseBytes && encoding === undefined) {
          discard(response.raw)
          throw responseTooLargeError(host, settings.maxResponseBytes)
        }
        const decodedBody = encoding === undefined ? response.raw : await decodeStream(response.raw, encoding)
        if (responseType === 'stream') {
          return withHeaders(streamed({ ...meta, durationMs: performance.now() - started }, decodedBody, host, fail, cleanup), raw)
        }
        const bytes = await readCapped(decodedBody, settings.maxResponseBytes, host)
        cleanup()
        const decoded = decodeBody(bytes, firstValue(raw['content-type']) ?? null, responseType)
        return withHeaders({ ...meta, durationMs: performance.now() - started, ...decoded, bytes: bytes.byteLength }, raw)
      }
    } catch (error) {
      cleanup()
      throw fail(error)
    }
  }

  /**
   * A streamed answer: its body as a web stream, made when first asked for, or read whole with `bytes()`
   * without one (a small answer passed on in one write need not pay for a web stream). Either way within the
   * size cap and the total timeout.
   */
  function streamed(
    meta: Omit<HttpResponseMeta, 'headers' | 'rawHeaders'>,
    decoded: Readable,
    host: string,
    fail: (error: unknown) => unknown,
    cleanup: () => void,
  ): Omit<HttpStreamResponse, 'headers' | 'rawHeaders'> {
    let web: ReadableStream<Uint8Array> | undefined
    let taken = false
    return {
      ...meta,
      get body() {
        if (taken && !web) throw new TypeError('The body was already read with bytes().')
        taken = true
        web ??= capStream(decoded, settings.maxResponseBytes, host, { mapError: fail, done: cleanup })
        return web
      },
      async bytes() {
        if (taken) throw new TypeError('The body was already taken.')
        taken = true
        try {
          return await readCapped(decoded, settings.maxResponseBytes, host)
        } catch (error) {
          throw fail(error)
        } finally {
          cleanup()
        }
      },
    }
  }

  return {
    request: request as HttpClient['request'],
    allowedHosts,
    close: async () => {
      await Promise.all([dispatcher.close(), clientTls.close()])
    },
  }
}

/**
 * Drops a body not to be read. undici's body stream answers destroy with an 'error' event (AbortError); with no
 * listener that would be thrown outside any caller.
 */
function discard(readable: Readable): void {
  readable.on('error', () => {})
  readable.destroy()
}

/** The answer to one hop, body not yet read. */
interface HopResponse {
  status: number
  statusText: string
  /** As undici gives them: lowercase names, a list where a header came more than once. */
  headers: RawHeaders
  /** The body as it came, still encoded. */
  raw: Readable
}

/**
 * Gives a response its headers: `rawHeaders` as they came, and `headers` as a `Headers` made when first read.
 * Hot paths (the proxy) read the record and never pay for the `Headers`.
 */
function withHeaders<T extends object>(response: T, raw: RawHeaders): T & Pick<HttpResponseMeta, 'headers' | 'rawHeaders'> {
  let headers: Headers | undefined
  return Object.defineProperties(response, {
    rawHeaders: { value: raw, enumerable: true },
    headers: { get: () => (headers ??= toHeaders(raw)), enumerable: true },
  }) as T & Pick<HttpResponseMeta, 'headers' | 'rawHeaders'>
}

function toHeaders(raw: RawHeaders): Headers {
  const out = new Headers()
  for (const name in raw) {
    const value = raw[name]
    if (value === undefined) continue
    if (Array.isArray(value)) for (const item of value) out.append(name, item)
    else out.append(name, value)
  }
  return out
}

/** Sends one hop through the dispatcher; redirects are the caller's. */
async function send(dispatcher: Dispatcher, hop: Hop, signal: Cancellation): Promise<HopResponse> {
  const { headers, body } = serialise(hop)
  const answer = await dispatcher.request({
    origin: hop.url.origin,
    path: `${hop.url.pathname}${hop.url.search}`,
    method: hop.method as Dispatcher.HttpMethod,
    headers,
    // A web stream (the proxy's request body) goes as the Node stream undici reads.
    body: body === undefined ? null : typeof body === 'string' || body instanceof Uint8Array ? body : Readable.from(body),
    signal,
  })
  return { status: answer.statusCode, statusText: STATUS_CODES[answer.statusCode] ?? '', headers: answer.headers, raw: answer.body }
}

/**
 * A hop's headers and body as undici sends them: objects and arrays as JSON, form parameters as a form, a string
 * without a Content-Type as JSON (the rule callers were written against), bytes and streams as they are.
 */
function serialise(hop: Hop): { headers: Record<string, string>; body: string | Uint8Array | AsyncIterable<Uint8Array> | undefined } {
  const value = hop.body
  if (value === undefined || value === null) return { headers: hop.headers, body: undefined }
  const headers = { ...hop.headers }
  let body: string | Uint8Array | AsyncIterable<Uint8Array> | undefined
  if (typeof value === 'string') {
    headers['content-type'] ??= 'application/json'
    body = value
  } else if (value instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8'
    body = value.toString()
  } else if (value instanceof Uint8Array || value instanceof ReadableStream) body = value as Uint8Array | AsyncIterable<Uint8Array>
  else {
    headers['content-type'] ??= 'application/json'
    headers.accept ??= 'application/json'
    body = JSON.stringify(value)
  }
  return { headers, body }
}

function firstHop(req: HttpRequestOptions, allowedHosts: AllowedHosts, userAgent: string): Hop {
  let url = assertUrlAllowed(req.url, allowedHosts)
  const extra = queryString(req.query)
  // Copied before changing it: the URL may be the caller's.
  if (url === req.url && (url.hash !== '' || extra)) url = new URL(url)
  url.hash = ''
  if (extra) url.search = url.search ? `${url.search}&${extra}` : `?${extra}`
  const method = (req.method ?? 'GET').toUpperCase()
  if ((method === 'GET' || method === 'HEAD') && req.body !== undefined) {
    throw invalidRequestError(`A ${method} request cannot have a body.`)
  }
  const headers = headerRecord(req.headers)
  // The Host header always names the URL's host: a caller-set one would send the request to one virtual
  // host after the checks were made for another.
  delete headers.host
  headers['user-agent'] ??= userAgent
  return { url, method, headers, body: req.body }
}

/**
 * Request headers as one record with lowercase names, values trimmed, repeated names joined with ", " (as
 * `Headers` would): what undici sends, without a `Headers` in between. Values are checked by undici as it sends.
 */
function headerRecord(init: HttpRequestOptions['headers']): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  if (init === undefined) return out
  const add = (name: string, value: string) => {
    const key = name.toLowerCase()
    const trimmed = String(value).trim()
    out[key] = out[key] === undefined ? trimmed : `${out[key]}, ${trimmed}`
  }
  if (init instanceof Headers) init.forEach((value, name) => add(name, value))
  else if (Array.isArray(init)) for (const [name, value] of init as readonly (readonly [string, string])[]) add(name, value)
  else for (const name in init) add(name, (init as Record<string, string>)[name]!)
  return out
}

// Appended as written, not through URLSearchParams, so the URL's own query keeps its exact encoding.
function queryString(query: HttpQuery | undefined): string {
  const parts: string[] = []
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`)
    }
  }
  return parts.join('&')
}

function isAllowedHosts(value: HttpClientOptions['allowedHosts']): value is AllowedHosts {
  return typeof value === 'object' && value !== null && 'allowsHost' in value
}

function readSettings(options: HttpClientOptions) {
  const settings = {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    maxRedirects: options.maxRedirects ?? DEFAULTS.maxRedirects,
    userAgent: options.userAgent ?? DEFAULTS.userAgent,
  }
  for (const key of ['connectTimeoutMs', 'timeoutMs', 'maxResponseBytes'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] <= 0) {
      throw new TypeError(`createHttpClient: ${key} must be a positive whole number (got ${settings[key]}).`)
    }
  }
  if (!Number.isInteger(settings.maxRedirects) || settings.maxRedirects < 0) {
    throw new TypeError(`createHttpClient: maxRedirects must be 0 or more (got ${settings.maxRedirects}).`)
  }
  return settings
}
