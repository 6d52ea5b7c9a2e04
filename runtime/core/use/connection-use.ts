import { randomUUID } from 'node:crypto'
import type { AuthMethod, Connector, Field } from '../../../schemas/types/connector.ts'
import type { Cancellation, HttpClient, HttpResponse, HttpStreamResponse } from '../../platform/http/index.ts'
import type { CredentialSecrets, FieldValue } from '../../types.ts'
import { type AuthMaterial, authTypeOf, type TokenEngine, type TokenTarget, withAuthQuery } from '../auth/index.ts'
import { type Actor, type ConnectionDeps, type Loaded, loadConnection } from '../connections/context.ts'
import { credentialOwner } from '../connections/credentials.ts'
import { gatedHttp, type RateLimitsCore } from '../limits/index.ts'
import { createMasker, effectiveValues, type Masker, type PreparedRequest, prepareRequest, type RequestSpec } from '../requests/index.ts'
import { assertMaskable, credentialsForUse } from './for-use.ts'
import { type RetryPolicy, sendWithRetries, streamWithRetries } from './retries.ts'
import { upstreamFailure } from './upstream-failure.ts'

/** What the connection-use core is built from. */
export interface UseDeps extends ConnectionDeps {
  tokens: TokenEngine
  /** Told how long each upstream exchange took (retries included, to the headers of a streamed answer), for metrics. */
  observeUpstream?: ((connectorId: string, seconds: number) => void) | undefined
  /** Rate limits (declared by connectors, and asked for by APIs' headers); without them nothing is limited. */
  limits?: RateLimitsCore | undefined
}

/** A request as it went out, with secrets masked: what callers may show. */
export interface RequestPreview {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
}

/** A sent request and its buffered answer. */
export interface Sent {
  request: RequestPreview
  /** The URL it was sent to (credentials in the query included): for origin checks, never for display. */
  url: URL
  response: HttpResponse
  attempts: number
  masker: Masker
}

/** A request passed through (the proxy): the caller's method, path, headers and streamed body. */
export interface PassThrough {
  method: string
  /** Path and query under the base URL, as the caller encoded them. */
  path: string
  /** The headers to send (lowercase names), before the connector's static headers and the auth method's are set over them. */
  headers: Readonly<Record<string, string | string[] | undefined>>
  body: ReadableStream<Uint8Array> | null
  signal?: AbortSignal | Cancellation
  timeoutMs?: number | undefined
}

/** A passed-through request and its streamed answer. */
export interface Streamed {
  url: URL
  response: HttpStreamResponse
  attempts: number
  masker: Masker
  /** Every value that must not reach the caller, for masking the streamed body. */
  secrets: string[]
}

/** One use of a connection (or of a draft): the only way a request with its credentials is made. */
export interface ConnectionUse {
  readonly connector: Connector
  readonly method: AuthMethod
  readonly fields: ReadonlyMap<string, Field>
  /** The stored credentials used (undefined for drafts and methods without secrets). */
  readonly secrets: CredentialSecrets | undefined
  /** Whose credentials (undefined: shared); undefined for drafts. */
  readonly target: TokenTarget | undefined
  /** Masks every secret known so far; tokens join once a request used them. */
  masker(): Masker
  /** Renders a connector request (test, action) and sends it; on a token type's 401, renews once and resends. */
  send(
    spec: RequestSpec,
    options?: { inputs?: Record<string, unknown>; retry?: RetryPolicy | false; onPreview?: (request: RequestPreview) => void },
  ): Promise<Sent>
  /** Passes a request through with the credentials injected, streaming both ways. */
  stream(
    request: PassThrough,
    options: {
      http: HttpClient
      retry?: RetryPolicy | undefined
      target: (baseUrl: URL, path: string, authQuery: ReadonlyArray<readonly [string, string]>) => URL
      inject: (incoming: PassThrough['headers'], injected: Readonly<Record<string, string>>) => Record<string, string>
    },
  ): Promise<Streamed>
}

/**
 * The one connection-use path. Connection tests, actions and the proxy each open a use of a connection and
 * send through it; nothing else puts credentials on the wire. Opening loads the connection, checks workflow
 * mode, picks the credentials (shared, or the caller's own on a personal connection) and refuses early with
 * the connect link when there are none. Sending renders the request, gets a usable token from the token
 * engine (for token types), applies the auth type to the request as it will be sent, and sends it through the
 * outbound client, which follows redirects only within the origin: whatever a request carries (any header,
 * query parameter or body templated over a secret) never reaches another origin. On a 401 a token type's
 * token is renewed once and the request sent once more. Everything shown back is masked by the use's masker.
 *
 * @example
 * const use = createConnectionUse(deps)
 * const conn = await use.open('default', 'c_1', actor, { afterwards: 'run the action again' })
 * const { response, masker } = await conn.send(action, { inputs })
 */
export function createConnectionUse(deps: UseDeps) {
  /**
   * What a connection's uses derive from its stored state (the values templates see, the rendered base request),
   * kept per state: keyed by the stored record, connector and opened credentials as objects. Reads of an
   * unchanged connection give the same objects, and any change (a new record, connector or credential) gives new
   * ones, so nothing derived from an older state is ever used; entries go with the objects they belong to.
   */
  const derivedStates = new WeakMap<object, WeakMap<object, Derived>>()
  const derivedOf = (loaded: Loaded, secrets: CredentialSecrets | undefined): Derived => {
    let bySecrets = derivedStates.get(loaded.record)
    if (!bySecrets) derivedStates.set(loaded.record, (bySecrets = new WeakMap()))
    const key = secrets ?? loaded.connector
    let derived = bySecrets.get(key)
    if (!derived || derived.connector !== loaded.connector) bySecrets.set(key, (derived = { connector: loaded.connector }))
    return derived
  }
  const valuesOf = (loaded: Loaded, secrets: CredentialSecrets | undefined): Record<string, FieldValue> => {
    const derived = derivedOf(loaded, secrets)
    derived.values ??= Object.freeze(effectiveValues(loaded.fields, loaded.record.fields, secrets?.fields, secrets?.values))
    return derived.values
  }

  return {
    /**
     * Opens a stored connection for the actor. `check` runs once the connection is loaded and before its
     * credentials are looked at (an unknown action or invalid inputs are reported before a missing credential).
     */
    async open(
      appId: string,
      id: string,
      actor: Actor,
      options: { mode?: 'user' | 'workflow' | undefined; afterwards: string; check?: (loaded: Loaded) => void },
    ): Promise<ConnectionUse> {
      const loaded = await loadConnection(deps, appId, id)
      options.check?.(loaded)
      const secrets = await credentialsForUse(deps, loaded, actor, options)
      const target: TokenTarget = { loaded, owner: credentialOwner(loaded.record, actor.userId) }
      return createUse(deps, {
        connector: loaded.connector,
        method: loaded.method,
        fields: loaded.fields,
        values: valuesOf(loaded, secrets),
        baseUrl: loaded.record.baseUrl,
        secrets,
        target,
        derived: derivedOf(loaded, secrets),
      })
    },

    /**
     * A use of an unsaved draft with values given now and never stored. A token type's token, when the caller
     * obtained one for the draft (a session's login), is used as it is: never stored, never renewed.
     */
    draft(draft: {
      connector: Connector
      method: AuthMethod
      fields: ReadonlyMap<string, Field>
      values: Record<string, FieldValue>
      baseUrl?: string | undefined
      token?: string | undefined
    }): ConnectionUse {
      const secretValues = Object.fromEntries(
        Object.entries(draft.values)
          .filter(([key]) => draft.fields.get(key)?.type === 'secret')
          .map(([k, v]) => [k, String(v)]),
      )
      assertMaskable(draft.fields, secretValues)
      return createUse(deps, { ...draft, secrets: undefined, target: undefined })
    },
  }
}

const ONLY_401: readonly number[] = [401]
const BASE_SPEC: RequestSpec = { method: 'GET', path: '' }

/** The connection-use core's type. */
export type ConnectionUseCore = ReturnType<typeof createConnectionUse>

interface UseContext {
  connector: Connector
  method: AuthMethod
  fields: ReadonlyMap<string, Field>
  values: Record<string, FieldValue>
  baseUrl?: string | undefined
  secrets: CredentialSecrets | undefined
  target: TokenTarget | undefined
  /** A draft's token, obtained once for it. */
  token?: string | undefined
  /** What uses of the same stored state share (absent for drafts). */
  derived?: Derived | undefined
}

/** What uses of one stored state of a connection share; filled as uses need it, read only. */
interface Derived {
  connector: Connector
  values?: Record<string, FieldValue>
  /** The base request rendered without a token (for auth types whose tokens add no template values). */
  base?: PreparedRequest
}

function createUse(deps: UseDeps, context: UseContext): ConnectionUse {
  const { connector, method, fields, values, target } = context
  const type = authTypeOf(method)
  const source = target && type.tokens?.holds?.(method) !== false ? type.tokens : undefined
  // Secret field values, then every derived value and token the requests carried.
  const known = new Set<string>()
  for (const [key, value] of Object.entries(values))
    if (fields.get(key)?.type === 'secret' && typeof value === 'string' && value !== '') known.add(value)
  let masker = createMasker(known)
  // Rate limits: requests go through a gate when the connector declares limits or the API asked to hold back;
  // otherwise the answers are only watched for that.
  const gate = deps.limits?.gate(connector, target, values)
  const http = gate ? gatedHttp(deps.http, gate) : deps.http
  const learn = (material: AuthMaterial) => {
    const before = known.size
    for (const secret of material.secrets) if (secret !== '') known.add(secret)
    if (known.size !== before) masker = createMasker(known)
  }

  /** The values templates see: the connection's, and what a token type's token adds (a session's captured ids). */
  const valuesWith = (token: string | undefined): Record<string, FieldValue> =>
    token === undefined || !type.templateValues ? values : ({ ...values, ...type.templateValues(token) } as Record<string, FieldValue>)

  /** Applies the auth type (with `token`) to a rendered request as it will be sent. */
  function authenticate(
    prepared: Pick<PreparedRequest, 'method' | 'url' | 'headers'>,
    token: string | undefined,
    body: string | Uint8Array | undefined | 'stream',
  ) {
    const material = type.apply(method, {
      values,
      fields,
      ...(token === undefined ? {} : { token }),
      request: { method: prepared.method, url: prepared.url, headers: prepared.headers, body },
    })
    learn(material)
    const url = withAuthQuery(prepared.url, material.query)
    const headers = { ...prepared.headers }
    for (const [name, value] of Object.entries(material.headers)) {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing]
      headers[name] = value
    }
    return { url, headers, material }
  }

  /** A client certificate goes to the outbound client with the credential it belongs to: its TLS pool is this one's only. */
  const tlsOwner = target ? `${target.loaded.record.id}/${target.owner ?? ''}` : `draft/${randomUUID()}`
  const tlsOf = (material: AuthMaterial) => (material.tls ? { tls: { ...material.tls, owner: tlsOwner } } : {})

  /** The answers that mean the API no longer takes the token: 401, or what the method says (a session ended with 403). */
  const renewOn = type.renewOn?.(method) ?? ONLY_401

  /** Calls `attempt` with a usable token (none for types without tokens); on a 401, renews once and calls again. */
  async function withToken<R>(attempt: (token: string | undefined) => Promise<R>, status: (result: R) => number | undefined): Promise<R> {
    if (!source || !target) return attempt(context.token)
    const token = await deps.tokens.token(target, source)
    const first = await attempt(token)
    const answered = status(first)
    if (answered === undefined || !renewOn.includes(answered)) return first
    // Once: a token the API rejects right after a renewal is not going to get better by renewing again.
    return attempt(await deps.tokens.token(target, source, { rejected: token }))
  }

  /**
   * Base URL and static headers for a request to the base URL itself (the proxy's starting point), rendered
   * once per token: they depend only on the connection's values and what the token adds, and a use lives for
   * one call (or the calls of one retry). Read only: what is sent is built from copies.
   */
  let base: { token: string | undefined; prepared: PreparedRequest } | undefined
  const preparedBase = (token: string | undefined): PreparedRequest => {
    const shared = context.derived
    // Without template values from the token, the base request is the same for every use of this state.
    if (shared && !type.templateValues) return (shared.base ??= frozen(render(undefined)))
    if (base === undefined || base.token !== token) base = { token, prepared: render(token) }
    return base.prepared
  }
  const frozen = (prepared: PreparedRequest) => Object.freeze({ ...prepared, headers: Object.freeze(prepared.headers) })
  const render = (token: string | undefined) =>
    prepareRequest({ connector, fields, values: valuesWith(token), baseUrl: context.baseUrl, spec: BASE_SPEC })

  return {
    connector,
    method,
    fields,
    secrets: context.secrets,
    target,
    masker: () => masker,

    send(spec, options = {}) {
      return withToken(
        async (token) => {
          const prepared = prepareRequest({
            connector,
            fields,
            values: valuesWith(token),
            baseUrl: context.baseUrl,
            spec,
            inputs: options.inputs,
          })
          const { url, headers, material } = authenticate(prepared, token, prepared.body)
          const current = masker
          const request: RequestPreview = {
            method: prepared.method,
            url: current.url(url, material.credentialQuery),
            headers: current.headers(headers, material.credentialHeaders),
            ...(prepared.body === undefined ? {} : { body: current.text(prepared.body) }),
          }
          options.onPreview?.(request)
          const outgoing = {
            url,
            method: prepared.method,
            headers,
            ...(prepared.body === undefined ? {} : { body: prepared.body }),
            ...tlsOf(material),
          }
          const started = performance.now()
          try {
            const sent =
              options.retry === false
                ? { response: await http.request({ ...outgoing, responseType: 'auto' }), attempts: 1 }
                : await sendWithRetries(http, outgoing, options.retry)
            if (!gate) deps.limits?.watch(connector, target, sent.response.status, sent.response.rawHeaders)
            return { request, url, response: sent.response, attempts: sent.attempts, masker: current }
          } catch (error) {
            throw upstreamFailure(error, current.text)
          } finally {
            deps.observeUpstream?.(connector.id, (performance.now() - started) / 1000)
          }
        },
        (sent) => sent.response.status,
      )
    },

    stream(request, options) {
      return withToken(
        async (token) => {
          // Base URL, static headers and auth as for a request to the base URL itself; the caller's path is
          // joined afterwards and never rendered as a template.
          const prepared = preparedBase(token)
          const unsigned = options.target(prepared.baseUrl, request.path, [])
          // A type that signs the request signs its whole body and the caller's headers as they will be sent.
          const body = type.signs && request.body ? await readWhole(request.body) : request.body
          const headers = type.signs ? options.inject(request.headers, prepared.headers) : prepared.headers
          const authenticated = authenticate(
            { method: request.method, url: unsigned, headers },
            token,
            body instanceof Uint8Array ? body : body ? 'stream' : undefined,
          )
          // The caller's query keeps its exact encoding; the auth method's parameters replace any of the same name.
          const query = authenticated.material.query
          const url = query.length === 0 ? unsigned : options.target(prepared.baseUrl, request.path, query)
          const current = masker
          const started = performance.now()
          try {
            const sent = await streamWithRetries(
              gate ? gatedHttp(options.http, gate) : options.http,
              {
                url,
                method: request.method,
                headers: options.inject(request.headers, authenticated.headers),
                ...(body ? { body } : {}),
                ...tlsOf(authenticated.material),
                ...(request.signal ? { signal: request.signal } : {}),
                ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
              },
              options.retry,
            )
            if (!gate) deps.limits?.watch(connector, target, sent.response.status, sent.response.rawHeaders)
            return { url, response: sent.response, attempts: sent.attempts, masker: current, secrets: [...known] }
          } catch (error) {
            throw upstreamFailure(error, current.text)
          } finally {
            deps.observeUpstream?.(connector.id, (performance.now() - started) / 1000)
          }
        },
        (first) => {
          if (!renewOn.includes(first.response.status)) return first.response.status
          // A streamed body was consumed by the first try: the 401 is the answer.
          if (request.body) return undefined
          void first.response.body.cancel().catch(() => {})
          return first.response.status
        },
      )
    },
  }
}

/** A streamed request body read whole (the proxy's limit still applies: past it, reading fails with 413). */
async function readWhole(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  const reader = stream.getReader()
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value)
  return Buffer.concat(chunks)
}
