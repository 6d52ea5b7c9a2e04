import { SwitchboardError } from '../../errors.ts'
import { responseTooLargeError } from '../../platform/http/errors.ts'
import { type Cancellation, firstValue, type HttpClient } from '../../platform/http/index.ts'
import type { RunEntry, RunLog } from '../actions/index.ts'
import { createByteMasker } from '../requests/index.ts'
import { type ConnectionUseCore, type RetryPolicy, upstreamFailure } from '../use/index.ts'
import { decodedCodings, downstreamHeaders, type HeaderRecord, upstreamHeaders } from './headers.ts'
import { bodyTooLarge, limitBody, masked, meter } from './streams.ts'
import { proxiedPath, upstreamUrl } from './target.ts'

/** Limits of the pass-through proxy. */
export interface ProxyOptions {
  /** Largest request body passed on, counted as it streams (default 50 MiB). */
  maxRequestBytes?: number
  /**
   * Largest response body passed on, counted as it streams (default 50 MiB). The HTTP client's own
   * `maxResponseBytes` applies as well: give the proxy a client of its own (`http`) to go past it.
   */
  maxResponseBytes?: number
  /** Total time of one proxied exchange, streamed body included (default: the client's). */
  timeoutMs?: number
  /** The client proxied requests go through (default: the app's). */
  http?: HttpClient
}

/** What the proxy is built from. */
export interface ProxyDeps {
  use: ConnectionUseCore
  /** The app's own client, when the options name none. */
  http: HttpClient
  runs: RunLog
  retry?: RetryPolicy | undefined
  options?: ProxyOptions | undefined
}

/** One proxied request, as the route hands it over. */
export interface ProxyCall {
  appId: string
  id: string
  userId: string
  method: string
  /** The request URL as the caller sent it (the proxied path and query are taken from it, encoding kept). */
  url: string
  /** As Node parses them: lowercase names. */
  headers: HeaderRecord
  body: ReadableStream<Uint8Array> | null
  signal: AbortSignal | Cancellation
}

const MiB = 1024 * 1024
/** Statuses whose responses have no body (RFC 9110 §6.4.1, §15.3.6, §15.4.5). */
const NO_BODY = new Set([204, 205, 304])
/** Answers declaring at most this many bytes (and no encoding) are read whole and passed on in one write. */
const SMALL_BODY = 64 * 1024

/**
 * Checks the proxy's options early and returns what serves
 * `ALL /api/apps/:appId/connections/:id/proxy/*`: any method, path, query and body passed to the
 * connection's base URL with its auth and the connector's static headers injected, bodies streamed
 * both ways within size limits, and the same credential rules as actions (428 with the connect link,
 * 409 for a workflow on a personal connection). Every request is recorded in the run log.
 *
 * @example
 * const proxy = createProxy({ use, http, runs })
 * const response = await proxy({ appId, id, userId, method, url, headers, body, signal })
 */
export function createProxy(deps: ProxyDeps) {
  const options = deps.options ?? {}
  const maxRequestBytes = options.maxRequestBytes ?? 50 * MiB
  const maxResponseBytes = options.maxResponseBytes ?? 50 * MiB
  for (const [name, value] of Object.entries({ maxRequestBytes, maxResponseBytes, timeoutMs: options.timeoutMs ?? 1 })) {
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`proxy: ${name} must be a positive whole number (got ${value}).`)
  }
  const http = options.http ?? deps.http

  return async (call: ProxyCall): Promise<Response> => {
    const started = performance.now()
    const { appId, id } = call
    const path = proxiedPath(call.url)
    const run: Omit<RunEntry, 'seq' | 'at' | 'outcome' | 'durationMs'> = {
      kind: 'proxy',
      appId,
      connectionId: id,
      userId: call.userId,
      mode: 'user',
      method: call.method.toUpperCase(),
      path: path.split('?')[0]!.slice(0, 300),
    }
    const elapsed = () => Math.round(performance.now() - started)
    try {
      run.mode = readMode(firstValue(call.headers['x-switchboard-mode']))
      const { response, attempts, url, masker, secrets } = await send(call, run.method!, run.mode, path)
      const host = url.host
      const tooLarge = () => upstreamFailure(responseTooLargeError(host, maxResponseBytes), masker.text)
      const answered = response.rawHeaders
      const coding = firstValue(answered['content-encoding']) ?? null
      const length = Number(firstValue(answered['content-length']) ?? NaN)
      if (response.status < 200 || response.status > 599 || (length > maxResponseBytes && coding === null)) {
        await response.body.cancel().catch(() => {})
        throw response.status < 200 || response.status > 599
          ? new SwitchboardError(
              502,
              'upstream_error',
              `Request to ${host} failed: it answered with status ${response.status}, which cannot be passed on.`,
              { details: { attempts } },
            )
          : tooLarge()
      }
      const bodiless = NO_BODY.has(response.status) || run.method === 'HEAD'
      const decoded = decodedCodings(coding)
      const headers = downstreamHeaders(answered, masker.header, !bodiless && decoded)
      const outcome = response.status < 400 ? 'ok' : 'http_error'
      if (!bodiless && length <= SMALL_BODY && (coding === null || /^\s*(identity)?\s*$/i.test(coding))) {
        // Small and declared: read whole, masked, and passed on in one write (a failure is a clean 502 here).
        const bytes = masked(await response.bytes(), maxResponseBytes, tooLarge, createByteMasker(secrets))
        headers.set('content-length', String(bytes.byteLength))
        await deps.runs.record({ ...run, outcome, status: response.status, durationMs: elapsed(), attempts, bytes: bytes.byteLength })
        return new Response(bytes as Uint8Array<ArrayBuffer>, { status: response.status, headers })
      }
      const entry = await deps.runs.record({ ...run, outcome, status: response.status, durationMs: elapsed(), attempts, bytes: 0 })
      if (bodiless) {
        await response.body.cancel().catch(() => {})
        return new Response(null, { status: response.status, headers })
      }
      if (coding !== null && coding.trim() !== '' && !/^identity$/i.test(coding.trim()) && !decoded) {
        // Bytes in an encoding the client cannot decode cannot be searched for secrets: not passed on.
        await response.body.cancel().catch(() => {})
        throw new SwitchboardError(
          502,
          'unmaskable_response',
          `${host} answered in a content encoding ("${coding.slice(0, 40)}") the runtime cannot decode, so it cannot make sure the ` +
            `answer holds no credential. Ask for another encoding (Accept-Encoding).`,
          { details: { attempts } },
        )
      }
      const body = meter(response.body, {
        limit: maxResponseBytes,
        onLimit: tooLarge,
        filter: createByteMasker(secrets),
        onEnd: ({ bytes, error }) => {
          entry.bytes = bytes
          entry.durationMs = elapsed()
          if (error !== undefined) {
            entry.outcome = 'failed'
            entry.code = error instanceof SwitchboardError ? error.code : 'request_aborted'
          }
          deps.runs.update(entry)
        },
      })
      return new Response(body, { status: response.status, headers })
    } catch (error) {
      const code = error instanceof SwitchboardError ? error.code : 'internal_error'
      const attempts = error instanceof SwitchboardError ? (error.details as { attempts?: unknown } | undefined)?.attempts : undefined
      await deps.runs.record({
        ...run,
        outcome: 'failed',
        code,
        durationMs: elapsed(),
        ...(typeof attempts === 'number' ? { attempts } : {}),
      })
      throw error
    }
  }

  /** Opens the connection for the caller (access, mode, credentials), then passes the request through. */
  async function send(call: ProxyCall, method: string, mode: 'user' | 'workflow', path: string) {
    const declared = firstValue(call.headers['content-length'])
    if (Number(declared ?? 0) > maxRequestBytes) throw bodyTooLarge(maxRequestBytes)
    const conn = await deps.use.open(call.appId, call.id, { userId: call.userId }, { mode, afterwards: 'send the request again' })
    const body = method === 'GET' || method === 'HEAD' || declared === '0' ? null : call.body
    return conn.stream(
      {
        method,
        path,
        headers: call.headers,
        body: body ? limitBody(body, maxRequestBytes) : null,
        signal: call.signal,
        timeoutMs: options.timeoutMs,
      },
      {
        http,
        retry: deps.retry,
        target: (baseUrl, rest, authQuery) => upstreamUrl(baseUrl, rest, authQuery),
        inject: upstreamHeaders,
      },
    )
  }
}

function readMode(header: string | undefined): 'user' | 'workflow' {
  if (header === undefined || header === 'user' || header === 'workflow') return header ?? 'user'
  throw new SwitchboardError(400, 'invalid_mode', 'X-Switchboard-Mode must be "user" or "workflow".')
}
