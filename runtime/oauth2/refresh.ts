import { connectUrl, credentialId, openCredentials, putCredentials } from '../connections/index.ts'
import { SwitchboardError } from '../errors.ts'
import { effectiveValues } from '../requests/index.ts'
import type { ConnectionRecord, CredentialRecord, CredentialSecrets, OAuthTokens } from '../types.ts'
import { clientFor, oauthMethod, renderEndpoint, renderParams } from './internal/endpoints.ts'
import { authorizeLink } from './internal/links.ts'
import type { OAuthApps } from './oauth-apps.ts'
import { joinScopes, requestedScopes } from './scopes.ts'
import { requestToken, type TokenOutcome } from './token-endpoint.ts'
import type { TokenSet } from './token-response.ts'
import type { OAuth2Options, TokenTarget } from './types.ts'

/** Set on a credential record whose grant the provider refused; cleared by connecting again (a new record). */
const EXPIRED = 'oauthExpiredAt'

/**
 * Keeps OAuth2 access tokens usable (RFC 6749 §6). Refreshes proactively when the token expires within the
 * margin, and reactively when an API rejected it (`rejected`). Per credential there is never more than one
 * refresh at a time: concurrent callers share one promise, and the flight re-reads the stored token first,
 * so a token refreshed meanwhile (by another flight or a reconnect) is used as it is. The new refresh token
 * is durably stored before anyone gets the new access token; providers that rotate refresh tokens and
 * revoke the family on reuse never see one used twice. `invalid_grant` marks the credential (and a shared
 * connection) `expired`, after which calls fail at once with the connect link and the provider is not
 * contacted again; an unreachable token endpoint is retried only after a growing pause.
 *
 * @example
 * const refresher = createTokenRefresher(options, apps)
 * const token = await refresher.accessToken({ loaded, owner })                // proactive
 * const next = await refresher.accessToken({ loaded, owner }, { rejected: token }) // after a 401
 */
export function createTokenRefresher(options: OAuth2Options, apps: OAuthApps) {
  const margin = options.refreshMarginMs ?? 60_000
  const baseBackoff = options.backoffMs ?? 5_000
  const maxBackoff = options.maxBackoffMs ?? 300_000
  const flights = new Map<string, Promise<string>>()
  const failures = new Map<string, { count: number; until: number }>()
  const now = () => options.clock().getTime()
  const due = (tokens: OAuthTokens) => tokens.expiresAt !== undefined && tokens.expiresAt - margin <= now()
  const usable = (tokens: OAuthTokens, rejected: string | undefined) => tokens.accessToken !== rejected && (tokens.expiresAt === undefined || tokens.expiresAt > now())

  async function read(id: string): Promise<{ record: CredentialRecord; secrets: CredentialSecrets } | undefined> {
    const record = await options.store.get<CredentialRecord>('credentials', id)
    return record && { record, secrets: openCredentials(options.keyRing, record) }
  }

  async function current(target: TokenTarget, id: string): Promise<{ record: CredentialRecord; secrets: CredentialSecrets; tokens: OAuthTokens }> {
    const found = await read(id)
    const tokens = found?.secrets.oauth
    if (!found || !tokens) {
      const url = connectUrl(options.publicUrl, target.loaded.record)
      throw new SwitchboardError(428, 'connection_required', `"${target.loaded.record.name}" has no OAuth2 tokens${target.owner ? ' of yours' : ''} yet. Connect it at ${url}, then try again.`, { details: { connectUrl: url, authorizeUrl: authorizeLink(options.publicUrl, target.loaded.record) } })
    }
    if (found.record[EXPIRED] !== undefined) throw expiredError(target)
    return { ...found, tokens }
  }

  function expiredError(target: TokenTarget): SwitchboardError {
    const url = connectUrl(options.publicUrl, target.loaded.record)
    return new SwitchboardError(428, 'connection_expired', `"${target.loaded.record.name}" must be authorized again: the provider no longer accepts its grant (it was revoked or expired). Reconnect at ${url}.`, {
      details: { connectUrl: url, authorizeUrl: authorizeLink(options.publicUrl, target.loaded.record) },
    })
  }

  async function accessToken(target: TokenTarget, call: { rejected?: string } = {}): Promise<string> {
    const id = credentialId(target.loaded.record.id, target.owner)
    const { tokens } = await current(target, id)
    if (usable(tokens, call.rejected) && !due(tokens)) return tokens.accessToken
    let flight = flights.get(id)
    if (!flight) {
      flight = refresh(target, id, tokens, call.rejected).finally(() => flights.delete(id))
      flights.set(id, flight)
    }
    return flight
  }

  async function refresh(target: TokenTarget, id: string, seen: OAuthTokens, rejected: string | undefined): Promise<string> {
    // Re-read now that this flight is the only one: the token may have changed since the caller looked.
    const { record, secrets, tokens } = await current(target, id)
    if (tokens.accessToken !== seen.accessToken && usable(tokens, rejected) && !due(tokens)) return tokens.accessToken
    const failure = failures.get(id)
    if (failure && now() < failure.until) {
      if (usable(tokens, rejected)) return tokens.accessToken
      throw new SwitchboardError(503, 'token_refresh_backoff', `The provider's token endpoint failed a moment ago; the runtime waits before asking it again. Try again in ${Math.ceil((failure.until - now()) / 1000)} s.`, { details: { retryAfterMs: failure.until - now() } })
    }
    const method = oauthMethod(target.loaded)
    if (!tokens.refreshToken && method.grant !== 'client_credentials') {
      if (usable(tokens, rejected)) return tokens.accessToken
      return expire(target, id, tokens)
    }
    const values = effectiveValues(target.loaded.fields, target.loaded.record.fields, secrets.fields, secrets.values)
    const client = await clientFor(apps, target.loaded, values)
    const params: Record<string, string> = tokens.refreshToken
      ? { grant_type: 'refresh_token', refresh_token: tokens.refreshToken }
      : { grant_type: 'client_credentials', ...scopeParam(requestedScopes(method, tokens.scope), method.scopeSeparator) }
    const outcome: TokenOutcome = await requestToken(options.http, {
      url: renderEndpoint(tokens.refreshToken ? method.refreshUrl ?? method.tokenUrl : method.tokenUrl, values, 'token URL'),
      method,
      client,
      params,
      extra: renderParams(method.tokenParams, values),
      timeoutMs: options.tokenTimeoutMs ?? 15_000,
    })
    if (outcome.ok) {
      failures.delete(id)
      return store(target, id, record, tokens, outcome.tokens)
    }
    if (outcome.kind === 'rejected' && outcome.error === 'invalid_grant' && tokens.refreshToken) return expire(target, id, tokens)
    const count = (failure?.count ?? 0) + 1
    const wait = Math.min(baseBackoff * 2 ** (count - 1), maxBackoff)
    failures.set(id, { count, until: now() + wait })
    const why = outcome.kind === 'rejected' ? `refused the request (${outcome.error})` : `did not answer usably (${outcome.reason})`
    options.log(`oauth2: token endpoint for credential ${id} ${why}; next attempt in ${wait} ms`)
    if (usable(tokens, rejected)) return tokens.accessToken
    throw new SwitchboardError(502, 'token_refresh_failed', `The provider's token endpoint ${why}, so "${target.loaded.record.name}" has no fresh access token. Try again in a while${outcome.kind === 'rejected' ? '; if it persists, check the OAuth app\'s client id and secret' : ''}.`, {
      details: { retryAfterMs: wait, ...(outcome.kind === 'rejected' ? { error: outcome.error } : { reason: outcome.reason }) },
    })
  }

  /** Stores the new tokens (keeping the old refresh token when none came back), unless they changed meanwhile. */
  async function store(target: TokenTarget, id: string, seenRecord: CredentialRecord, before: OAuthTokens, got: TokenSet): Promise<string> {
    const next: OAuthTokens = {
      accessToken: got.accessToken,
      ...(got.refreshToken ?? before.refreshToken ? { refreshToken: got.refreshToken ?? before.refreshToken } : {}),
      ...(got.expiresIn === undefined ? {} : { expiresAt: now() + got.expiresIn * 1000 }),
      ...(got.scope ?? before.scope ? { scope: got.scope ?? before.scope } : {}),
      ...(got.tokenType ? { tokenType: got.tokenType } : {}),
    }
    const at = options.clock().toISOString()
    const stored = await options.store.transaction((tx) => {
      const record = tx.get<CredentialRecord>('credentials', id)
      if (!record) return undefined
      const secrets = openCredentials(options.keyRing, record)
      if (record.sealed.ct !== seenRecord.sealed.ct) return secrets.oauth
      putCredentials(tx, options.keyRing, { id: record.connectionId, authMethod: record.authMethod }, record.userId, { ...secrets, oauth: next }, at)
      return next
    })
    if (!stored) throw new SwitchboardError(428, 'connection_required', `"${target.loaded.record.name}" was disconnected while its token was being refreshed. Connect it again.`)
    return stored.accessToken
  }

  /** Marks the credential expired, unless a new token was stored meanwhile (then that one is used). */
  async function expire(target: TokenTarget, id: string, seen: OAuthTokens): Promise<string> {
    const at = options.clock().toISOString()
    const replaced = await options.store.transaction((tx) => {
      const record = tx.get<CredentialRecord>('credentials', id)
      if (!record) return undefined
      const tokens = openCredentials(options.keyRing, record).oauth
      if (tokens && tokens.accessToken !== seen.accessToken && record[EXPIRED] === undefined) return tokens
      tx.put<CredentialRecord>('credentials', { ...record, [EXPIRED]: at })
      const connection = tx.get<ConnectionRecord>('connections', record.connectionId)
      if (connection && record.userId === undefined) tx.put<ConnectionRecord>('connections', { ...connection, status: 'expired', updatedAt: at })
      return undefined
    })
    if (replaced) return replaced.accessToken
    options.log(`oauth2: the provider refused the grant of credential ${id}; connection ${target.loaded.record.id} needs authorizing again`)
    throw expiredError(target)
  }

  return {
    accessToken,
    /** Forgets a credential's failures, after it was connected again. */
    forget(id: string): void {
      failures.delete(id)
    },
  }
}

function scopeParam(scopes: string[], separator: ' ' | ',' | '+' | undefined): Record<string, string> {
  return scopes.length === 0 ? {} : { scope: joinScopes(scopes, separator) }
}

/** The refresher's type. */
export type TokenRefresher = ReturnType<typeof createTokenRefresher>
