/**
 * The OAuth2 part of the runtime: what it stores (flow states, the workspace OAuth app per connector) and
 * the narrow hook the request paths (connection tests, actions) call to get a usable access token.
 */
import type { ConnectionDeps, Loaded } from '../connections/index.ts'
import type { SealedSecret } from '../crypto/index.ts'
import type { Log } from '../routes/on-error.ts'
import type { CredentialSecrets } from '../types.ts'

/**
 * One started authorization-code flow, kept under the SHA-256 of its `state` (so the store file alone cannot
 * finish a flow). Single-use: `usedAt` is set by the first callback that presents it.
 */
export interface OAuthStateRecord {
  [k: string]: unknown
  id: string
  userId: string
  appId: string
  connectionId: string
  connectorId: string
  authMethod: string
  /** Scopes asked for; recorded as granted when the token response names none. */
  scopes: string[]
  /** Sent on authorize and again, byte for byte, on the token exchange (RFC 6749 §4.1.3). */
  redirectUri: string
  /** The token URL as rendered when the flow started; a callback after the fields changed is refused. */
  tokenUrl: string
  /** The PKCE verifier (RFC 7636), sealed; dropped once the flow is used. */
  verifier?: SealedSecret
  createdAt: string
  expiresAt: string
  usedAt?: string
}

/**
 * The workspace's OAuth app for a connector (its id is the connector's). The client secret is not here: it
 * is a sealed record in `credentials` (`oauth-app:<connectorId>`), so key rotation re-encrypts it too.
 */
export interface OAuthAppRecord {
  [k: string]: unknown
  id: string
  clientId: string
  updatedAt: string
  updatedBy: string
}

/** The client that authenticates at the token endpoint. */
export interface ClientCredentials {
  clientId: string
  clientSecret?: string
}

/** Options of `createOAuth2`: the connection service's parts, plus a log and tunables. */
export interface OAuth2Options extends Omit<ConnectionDeps, 'newId'> {
  log: Log
  /** Refresh this long before `expiresAt` (default 60 000 ms). */
  refreshMarginMs?: number
  /** How long a started flow is accepted (default 10 minutes). */
  stateTtlMs?: number
  /** First wait after a token endpoint failure; doubles per failure up to `maxBackoffMs` (defaults 5 s, 5 min). */
  backoffMs?: number
  maxBackoffMs?: number
  /** Timeout of one token request (default 15 000 ms). */
  tokenTimeoutMs?: number
  /** Told when a person completed authorization through the callback (for the audit trail). */
  onAuthorized?: (event: AuthorizedEvent) => Promise<unknown> | void
}

/** A completed authorization: who connected which connection, and what was granted (never a token). */
export interface AuthorizedEvent {
  appId: string
  connectionId: string
  connectorId: string
  connectionName: string
  userId: string
  /** Whether the same credential had tokens before (a reconnect). */
  reconnected: boolean
  scopes: string[]
}

/** Whose token: a loaded connection and the credential owner (`undefined` for shared credentials). */
export interface TokenTarget {
  loaded: Loaded
  owner: string | undefined
}

/**
 * What the request paths need from OAuth2: a fresh token around a request, and the least-privilege check.
 *
 * @example
 * const result = await oauth2.withAccessToken({ loaded, owner }, (token) => send(token), (r) => r.status)
 */
export interface OAuth2Hook {
  /**
   * Calls `send` with a usable access token (refreshed first when it is about to expire); when the API
   * answers 401, refreshes once and calls `send` once more.
   */
  withAccessToken<R>(target: TokenTarget, send: (accessToken: string) => Promise<R>, status: (result: R) => number | undefined): Promise<R>
  /** Throws 403 `scope_missing` (with `details.reauthorizeUrl`) when the grant lacks one of `scopes`. */
  assertScopes(target: TokenTarget, scopes: readonly string[] | undefined, secrets: CredentialSecrets | undefined): void
}
