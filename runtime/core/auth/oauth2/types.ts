/**
 * The OAuth2 flows of the runtime: what they store (flow states, the workspace OAuth app per connector) and
 * what they are built from. Keeping tokens fresh is the token engine's (`auth/tokens/`).
 */
import type { Connection, TestResult } from '../../../../schemas/types/api.ts'
import type { SealedSecret } from '../../../platform/crypto/index.ts'
import type { Actor, ConnectionDeps } from '../../connections/index.ts'
import type { ConnectionEvents } from '../../events/index.ts'

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
  log: (line: string) => void
  /** How long a started flow is accepted (default 10 minutes). */
  stateTtlMs?: number | undefined
  /** Timeout of one token request (default 15 000 ms). */
  tokenTimeoutMs?: number | undefined
  /** Told when a person completed authorization through the callback (for the audit trail). */
  onAuthorized?: (event: AuthorizedEvent) => Promise<unknown> | undefined
  /** Tests a connection right after it got its tokens (fills in the account label). */
  afterConnect?: (appId: string, id: string, actor: Actor) => Promise<TestResult | undefined>
  /** The connection as the API shows it, answered after connecting. */
  view: (appId: string, id: string, actor: Actor) => Promise<Connection>
  /** Forgets a credential's past token endpoint failures once it was connected again. */
  forget: (credentialId: string) => Promise<void>
  /** Told `connection.connected` when the client-credentials grant connected a connection. */
  events?: ConnectionEvents | undefined
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
