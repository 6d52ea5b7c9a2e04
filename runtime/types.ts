/**
 * The records the runtime keeps in its store. API shapes live in `schemas/api.schema.json`; these are
 * the internal ones, which the API never returns as they are.
 */

import type { AppMember, AppRole, Connection, FieldValue, Sharing, TokenKind } from '../schemas/types/api.ts'
import type { Connector } from '../schemas/types/connector.ts'
import type { SealedSecret } from './platform/crypto/index.ts'

export type { AppRole, Connector, FieldValue, Sharing }

/** What a connection is doing, as people see it (from the API schema). */
export type ConnectionStatus = Connection['status']

/** The result of the last test, kept on the connection, as the API shows it. */
export type LastTest = NonNullable<Connection['lastTest']>

/** A connection as stored: non-secret values only; secrets live sealed in `credentials`. */
export interface ConnectionRecord {
  [k: string]: unknown
  id: string
  appId: string
  connectorId: string
  name: string
  /** The lower-cased name: unique per app and connector (the store's `byName` index). */
  nameKey?: string
  authMethod: string
  sharing: Sharing
  status: ConnectionStatus
  /** Values of non-secret fields (connection fields and the auth method's). */
  fields: Record<string, FieldValue>
  /** A base URL that replaces the connector's (data region, self-hosted instance). */
  baseUrl?: string
  accountLabel?: string
  grantedScopes?: string[]
  lastTest?: LastTest
  createdAt: string
  updatedAt: string
  createdBy: string
}

/** What a credential record decrypts to. */
export interface CredentialSecrets {
  /** Values of secret fields, by key. */
  values: Record<string, string>
  /**
   * Personal connections: the member's own values of the auth method's plain fields (their email for
   * Basic auth). Kept beside the sealed part, not in it; read with the credentials.
   */
  fields?: Record<string, FieldValue>
  /** OAuth2 tokens, for OAuth2 methods. */
  oauth?: OAuthTokens
  /** OAuth 1.0a methods with the three-legged flow: the access token and its secret. */
  oauth1?: { token: string; tokenSecret: string }
  /** JWT methods: the signed token in use, or the access token it was exchanged for. */
  jwt?: { accessToken: string; expiresAt?: number }
  /** Session methods: the values captured from the last login (JSON, as the token engine holds it) and when it ends. */
  session?: { accessToken: string; expiresAt?: number }
}

/** OAuth2 token set (RFC 6749 §5.1). */
export interface OAuthTokens {
  accessToken: string
  refreshToken?: string
  /** Epoch milliseconds; absent when the provider gave no expiry. */
  expiresAt?: number
  scope?: string[]
  tokenType?: string
}

/** Sealed credentials of one connection (shared) or one user of it (personal). */
export interface CredentialRecord {
  [k: string]: unknown
  /** `<connectionId>` for shared credentials, `<connectionId>~<userId>` for personal ones. */
  id: string
  connectionId: string
  userId?: string
  authMethod: string
  /** Which secret fields have a value (names only), so listing needs no decryption. */
  secretKeys: string[]
  sealed: SealedSecret
  updatedAt: string
  /** Personal credentials: the member's own values of the auth method's plain fields. */
  fields?: Record<string, FieldValue>
  /** Personal credentials: the owner's own last test and account, which nobody else sees. */
  lastTest?: LastTest
  accountLabel?: string
  /** Set when the provider refused to refresh this credential's grant. */
  oauthExpiredAt?: string
  /**
   * Personal credentials typed in by their owner and not yet checked by a test (the member's `untested` status);
   * the next test result replaces it. Credentials a provider issued (OAuth) never carry it.
   */
  untested?: boolean
}

/** A custom connector kept in the store. */
export interface ConnectorRecord {
  [k: string]: unknown
  id: string
  definition: Connector
  createdAt: string
  updatedAt: string
  createdBy: string
}

/** A person who can sign in. */
export interface UserRecord {
  [k: string]: unknown
  id: string
  name: string
  email?: string
  /** The workspace owner can do everything; others act through app roles. */
  owner: boolean
  createdAt: string
}

/** An API token; only its SHA-256 is kept, which is also its id. */
export interface TokenRecord {
  [k: string]: unknown
  id: string
  userId: string
  name: string
  /** `session` tokens sit behind the designer's cookie and end at sign-out. */
  kind: TokenKind
  createdAt: string
  lastUsedAt?: string
  revokedAt?: string
}

/** An app: groups workflows and their connections. */
export interface AppRecord {
  [k: string]: unknown
  id: string
  name: string
  members: AppMember[]
  /** `<connectorId>.<actionKey>` of the actions the app's workflows run: their scopes are requested. */
  actions?: string[]
  /** Connectors the app needs besides those of its actions. */
  connectors?: string[]
  createdAt: string
}

/**
 * Which connection an app uses for a connector: the app's binding (set by an app admin, for everyone), or a
 * member's own pick among personal connections. Kept apart from the app record, so nobody reads another
 * member's bindings by reading the app.
 */
export interface BindingRecord {
  [k: string]: unknown
  /** `<appId>~<connectorId>` for the app's binding, `<appId>~<connectorId>~<userId>` for a member's. */
  id: string
  appId: string
  connectorId: string
  connectionId: string
  /** A member's own binding; absent on the app's. */
  userId?: string
  setBy: string
  updatedAt: string
}
