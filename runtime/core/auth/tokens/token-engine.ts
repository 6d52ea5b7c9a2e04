import type { AuthMethod } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { backoffDelay } from '../../../platform/backoff/index.ts'
import type { KeyRing } from '../../../platform/crypto/index.ts'
import type { HttpClient } from '../../../platform/http/index.ts'
import type { Store } from '../../../platform/store/index.ts'
import type { ConnectionRecord, CredentialRecord, CredentialSecrets } from '../../../types.ts'
import type { Loaded } from '../../connections/context.ts'
import { credentialId, openCredentials, putCredentials } from '../../connections/credentials.ts'
import { connectUrl } from '../../connections/view.ts'
import { aboutConnection, type ConnectionEvents } from '../../events/index.ts'
import { effectiveValues } from '../../requests/index.ts'
import type { AuthServices, HeldToken, RenewOutcome, TokenSource } from '../types.ts'

/** Set on a credential record whose grant the provider refused; cleared by connecting again (a new record). */
export const EXPIRED_AT = 'oauthExpiredAt'

/** A credential's recent renewal failures, kept in the store so every replica backs off alike. */
interface TokenFailureRecord {
  [k: string]: unknown
  id: string
  count: number
  /** Epoch ms before which the provider is not asked again. */
  until: number
  /** The IV of the credential's seal the failures were had with: credentials entered again are tried at once. */
  seal?: string
}

/** Whose token: a loaded connection and the credential owner (`undefined` for shared credentials). */
export interface TokenTarget {
  loaded: Loaded
  owner: string | undefined
}

/** What the engine is built from. */
export interface TokenEngineOptions {
  store: Store
  keyRing: KeyRing
  http: HttpClient
  clock: () => Date
  publicUrl: string
  log: (line: string) => void
  services: AuthServices
  /** Renew this long before `expiresAt` (default 60 000 ms). */
  refreshMarginMs?: number | undefined
  /** First wait after a failed renewal; doubles per failure up to `maxBackoffMs` (defaults 5 s, 5 min). */
  backoffMs?: number | undefined
  maxBackoffMs?: number | undefined
  /** Timeout of one renewal request (default 15 000 ms). */
  tokenTimeoutMs?: number | undefined
  /** Told of `refresh.failed` and `connection.expired`, by the replica that had the failure. */
  events?: ConnectionEvents | undefined
  /** Told of every renewal the provider was asked for and how it ended, for metrics. */
  onRenewal?: ((connectorId: string, result: 'ok' | 'failed' | 'rejected') => void) | undefined
}

/**
 * The token lifecycle of every auth type that holds a token (OAuth2 access tokens today; sessions and signed
 * JWTs use the same engine). Renews proactively when the token expires within the margin, and reactively when
 * an API rejected it (`rejected`). Per credential there is never more than one renewal at a time: concurrent
 * callers share one promise, and the flight re-reads the stored token first, so a token renewed meanwhile (by
 * another flight or a reconnect) is used as it is. The new token (and a rotated refresh token) is durably
 * stored before anyone gets it, so a provider that rotates refresh tokens and revokes the family on reuse never
 * sees one used twice. A revoked grant marks the credential (and a shared connection) `expired`, after which
 * calls fail at once with the connect link and the provider is not contacted again; an unreachable provider
 * is asked again only after a growing pause.
 *
 * @example
 * const engine = createTokenEngine(options)
 * const token = await engine.token({ loaded, owner }, oauth2.tokens!)                  // proactive
 * const next = await engine.token({ loaded, owner }, oauth2.tokens!, { rejected: token }) // after a 401
 */
export function createTokenEngine(options: TokenEngineOptions) {
  const margin = options.refreshMarginMs ?? 60_000
  const baseBackoff = options.backoffMs ?? 5_000
  const maxBackoff = options.maxBackoffMs ?? 300_000
  // Callers in this process share one flight per credential; the store's lock makes it one across replicas.
  const flights = new Map<string, Promise<string>>()
  const now = () => options.clock().getTime()
  const due = (token: HeldToken) => token.expiresAt !== undefined && token.expiresAt - margin <= now()
  const usable = (token: HeldToken | undefined, rejected: string | undefined): token is HeldToken =>
    token !== undefined && token.accessToken !== rejected && (token.expiresAt === undefined || token.expiresAt > now())

  type Current = { record: CredentialRecord | undefined; secrets: CredentialSecrets | undefined; token: HeldToken | undefined }

  async function read(target: TokenTarget, source: TokenSource, id: string): Promise<Current> {
    const record = await options.store.get<CredentialRecord>('credentials', id)
    if (record?.[EXPIRED_AT] !== undefined) throw expiredError(target)
    const secrets = record && withFields(openCredentials(options.keyRing, record), record)
    const token = secrets && source.read(secrets)
    // Without a stored credential there is nothing to renew from: a person must connect first.
    if (!record || (!token && !source.renewable(target.loaded.method, undefined))) throw missingError(target, source)
    return { record, secrets, token }
  }

  /** A usable token for the target's credential, renewed first when due or when `rejected` is the one held. */
  async function token(target: TokenTarget, source: TokenSource, call: { rejected?: string } = {}): Promise<string> {
    const id = credentialId(target.loaded.record.id, target.owner)
    const { token: held } = await read(target, source, id)
    if (usable(held, call.rejected) && !due(held)) return held.accessToken
    let flight = flights.get(id)
    if (!flight) {
      flight = options.store.lock(`token:${id}`, () => renew(target, source, id, held, call.rejected)).finally(() => flights.delete(id))
      flights.set(id, flight)
    }
    return flight
  }

  async function renew(
    target: TokenTarget,
    source: TokenSource,
    id: string,
    seen: HeldToken | undefined,
    rejected: string | undefined,
  ): Promise<string> {
    // Re-read now that this flight holds the lock: the token may have changed since the caller looked (renewed
    // by another replica, or connected again).
    const current = await read(target, source, id)
    const held = current.token
    if (held && held.accessToken !== seen?.accessToken && usable(held, rejected) && !due(held)) return held.accessToken
    const stored = await options.store.get<TokenFailureRecord>('tokenFailures', id)
    // A JWT key or client secret entered again since the failures is worth trying now.
    const failure = stored?.seal === undefined || stored.seal === current.record?.sealed.iv ? stored : undefined
    if (failure && now() < failure.until) {
      if (usable(held, rejected)) return held.accessToken
      const waitS = Math.ceil((failure.until - now()) / 1000)
      throw new SwitchboardError(
        503,
        'token_refresh_backoff',
        `The provider's token endpoint failed a moment ago; the runtime waits before asking it again. Try again in ${waitS} s.`,
        { details: { retryAfterMs: failure.until - now() } },
      )
    }
    const method: AuthMethod = target.loaded.method
    if (!source.renewable(method, held)) {
      if (usable(held, rejected)) return held.accessToken
      return expire(target, source, id, held)
    }
    const { loaded } = target
    const values = effectiveValues(loaded.fields, loaded.record.fields, current.secrets?.fields, current.secrets?.values)
    const outcome: RenewOutcome = await source.renew({
      method,
      loaded,
      connector: loaded.connector,
      values,
      current: held,
      http: options.http,
      now: now(),
      timeoutMs: options.tokenTimeoutMs ?? 15_000,
      services: options.services,
    })
    options.onRenewal?.(loaded.connector.id, outcome.ok ? 'ok' : outcome.kind === 'rejected' ? 'rejected' : 'failed')
    if (outcome.ok) {
      if (stored) await options.store.delete('tokenFailures', id)
      return save(target, source, id, current.record, outcome.token)
    }
    if (outcome.kind === 'rejected' && outcome.revoked) return expire(target, source, id, held, outcome.message)
    const count = (failure?.count ?? 0) + 1
    const wait = backoffDelay(count, { baseMs: baseBackoff, maxMs: maxBackoff })
    const seal = current.record?.sealed.iv
    await options.store.put<TokenFailureRecord>('tokenFailures', { id, count, until: now() + wait, ...(seal ? { seal } : {}) })
    // The provider's own words (masked where it was given) say what to fix: "Invalid JWT Signature.".
    const said = outcome.kind === 'rejected' && outcome.description ? `: ${outcome.description}` : ''
    const why = outcome.kind === 'rejected' ? `refused the request (${outcome.error}${said})` : `did not answer usably (${outcome.reason})`
    options.log(`tokens: token endpoint for credential ${id} ${why}; next attempt in ${wait} ms`)
    await options.events?.emit({
      type: 'refresh.failed',
      at: options.clock().toISOString(),
      data: { ...aboutConnection(loaded.record), problem: refusalCode(outcome) },
    })
    if (usable(held, rejected)) return held.accessToken
    throw new SwitchboardError(
      502,
      'token_refresh_failed',
      `The provider's token endpoint ${why}, so "${loaded.record.name}" has no fresh access token. Try again in a ` +
        `while${outcome.kind === 'rejected' ? "; if it persists, check the connection's credentials (client id and secret, or key)" : ''}.`,
      {
        details: { retryAfterMs: wait, ...(outcome.kind === 'rejected' ? { error: outcome.error } : { reason: outcome.reason }) },
      },
    )
  }

  /** Stores the new token, unless the credential changed meanwhile (then what is stored now is used). */
  async function save(
    target: TokenTarget,
    source: TokenSource,
    id: string,
    seen: CredentialRecord | undefined,
    next: HeldToken,
  ): Promise<string> {
    const at = options.clock().toISOString()
    const stored = await options.store.transaction(async (tx) => {
      const record = await tx.get<CredentialRecord>('credentials', id)
      if (record?.sealed.ct !== seen?.sealed.ct) return record ? source.read(openCredentials(options.keyRing, record)) : undefined
      const secrets: CredentialSecrets = record ? withFields(openCredentials(options.keyRing, record), record) : { values: {} }
      await putCredentials(
        tx,
        options.keyRing,
        { id: target.loaded.record.id, authMethod: target.loaded.record.authMethod },
        target.owner,
        source.write(secrets, next),
        at,
        { untested: record?.untested === true },
      )
      return next
    })
    if (!stored)
      throw new SwitchboardError(
        428,
        'connection_required',
        `"${target.loaded.record.name}" was disconnected while its token was being renewed. Connect it again.`,
      )
    return stored.accessToken
  }

  /**
   * Marks the credential expired, unless a new token was stored meanwhile (then that one is used). `why` is the
   * type's own words for the refusal (a session's refused login), said once, when it happens.
   */
  async function expire(target: TokenTarget, source: TokenSource, id: string, seen: HeldToken | undefined, why?: string): Promise<string> {
    const at = options.clock().toISOString()
    const replaced = await options.store.transaction(async (tx) => {
      const record = await tx.get<CredentialRecord>('credentials', id)
      if (!record) return undefined
      const held = source.read(openCredentials(options.keyRing, record))
      if (held && held.accessToken !== seen?.accessToken && record[EXPIRED_AT] === undefined) return held
      await tx.put<CredentialRecord>('credentials', { ...record, [EXPIRED_AT]: at })
      const connection = await tx.get<ConnectionRecord>('connections', record.connectionId)
      if (connection && record.userId === undefined) {
        await tx.put<ConnectionRecord>('connections', { ...connection, status: 'expired', updatedAt: at })
      }
      return undefined
    })
    if (replaced) return replaced.accessToken
    options.log(`tokens: the provider refused the grant of credential ${id}; connection ${target.loaded.record.id} needs authorizing again`)
    const record = target.loaded.record
    await options.events?.emit({
      type: 'connection.expired',
      at,
      data: { ...aboutConnection(target.owner === undefined ? { ...record, status: 'expired' } : record), problem: 'connection_expired' },
    })
    throw expiredError(target, why)
  }

  function expiredError(target: TokenTarget, why?: string): SwitchboardError {
    const { record } = target.loaded
    const url = connectUrl(options.publicUrl, record)
    return new SwitchboardError(
      428,
      'connection_expired',
      why === undefined
        ? `"${record.name}" must be authorized again: the provider no longer accepts its grant (it was revoked or expired). Reconnect ` +
            `at ${url}.`
        : `"${record.name}": ${why} Reconnect at ${url}.`,
      {
        details: { connectUrl: url, ...authorizeDetail(options.publicUrl, target), ...(why === undefined ? {} : { refused: true }) },
      },
    )
  }

  function missingError(target: TokenTarget, source: TokenSource): SwitchboardError {
    const { record } = target.loaded
    const url = connectUrl(options.publicUrl, record)
    return new SwitchboardError(
      428,
      'connection_required',
      `"${record.name}" has no ${source.what}${target.owner ? ' of yours' : ''} yet. Connect it at ${url}, then try again.`,
      {
        details: { connectUrl: url, ...authorizeDetail(options.publicUrl, target) },
      },
    )
  }

  return {
    token,
    /** Forgets a credential's failures, after it was connected again. */
    async forget(id: string): Promise<void> {
      await options.store.delete('tokenFailures', id)
    },
  }
}

/** The engine's type. */
export type TokenEngine = ReturnType<typeof createTokenEngine>

/** Methods a person authorizes in a browser get the authorize link beside the connect link. */
function authorizeDetail(publicUrl: string, target: TokenTarget): { authorizeUrl?: string } {
  const { method, record } = target.loaded
  if (method.type !== 'oauth2' || method.grant === 'client_credentials') return {}
  return {
    authorizeUrl: `${publicUrl}/api/apps/${encodeURIComponent(record.appId)}/connections/${encodeURIComponent(record.id)}/oauth/authorize`,
  }
}

function withFields(secrets: CredentialSecrets, record: CredentialRecord): CredentialSecrets {
  return record.fields ? { ...secrets, fields: record.fields } : secrets
}

/** The provider's RFC 6749 §5.2 code as `token_<code>` when it is one (a provider's free text never goes on). */
function refusalCode(outcome: RenewOutcome): string {
  return !outcome.ok && outcome.kind === 'rejected' && /^[a-z_]{1,40}$/.test(outcome.error)
    ? `token_${outcome.error}`
    : 'token_refresh_failed'
}
