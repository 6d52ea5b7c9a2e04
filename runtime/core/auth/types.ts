/**
 * The contract every auth type implements. A type is a folder under `runtime/auth/<type>/` exporting one
 * {@link AuthType}; the registry maps a connector's `auth[].type` to it. Types whose credential is a token
 * the runtime obtains and renews (OAuth2 today) add a {@link TokenSource}, and the one token engine
 * (`auth/tokens/`) gives them single flight, re-read after acquiring, backoff and expiry for free.
 */
import type { AuthMethod, Connector, Field } from '../../../schemas/types/connector.ts'
import type { HttpClient } from '../../platform/http/index.ts'
import type { CredentialSecrets, FieldValue } from '../../types.ts'
import type { Loaded } from '../connections/context.ts'

/** What an auth method adds to a request. */
export interface AuthMaterial {
  headers: Record<string, string>
  query: Array<[string, string]>
  /** Header names that carry credentials: shown as `Basic ••••` in request previews. */
  credentialHeaders: string[]
  /** Query parameter names that carry credentials: shown masked by name in previews. */
  credentialQuery: string[]
  /** Every value that must never be shown: rendered secrets, derived header values, tokens. */
  secrets: string[]
  /** A client certificate for this connection's TLS handshakes only (mTLS). */
  tls?: ClientTlsMaterial
}

/** A client certificate and key (PEM), the key's passphrase, and a private CA the server's certificate chains to. */
export interface ClientTlsMaterial {
  cert: string
  key: string
  passphrase?: string
  ca?: string
}

/** Values by field key, with the field definitions that say which are required and secret. */
export interface AuthInput {
  values: Readonly<Record<string, FieldValue | undefined>>
  fields: ReadonlyMap<string, Field>
}

/**
 * The request an auth type applies to, as it will be sent (before the type's own headers and query).
 * Request-signing types sign it; the others ignore it.
 */
export interface OutgoingRequest {
  method: string
  url: URL
  headers: Readonly<Record<string, string>>
  /**
   * The body as sent, or `stream` when it is streamed through (the proxy) and cannot be read twice. Types that
   * sign the request ({@link AuthType.signs}) always get it whole: a proxied body is read first, within the limit.
   */
  body: string | Uint8Array | undefined | 'stream'
}

/** What `apply` gets. */
export interface ApplyInput extends AuthInput {
  /** The token the type's {@link TokenSource} made usable, for token types. */
  token?: string
  request: OutgoingRequest
}

/**
 * One auth type.
 *
 * @example
 * const bearer: AuthType<BearerAuth> = {
 *   type: 'bearer',
 *   needsCredentials: () => true,
 *   apply: (method, input) => bearerMaterial(renderCredential(method.token, input)!),
 * }
 */
export interface AuthType<M extends AuthMethod = AuthMethod> {
  readonly type: M['type']
  /** Whether a connection using the method is unusable until credentials are stored for it. */
  needsCredentials(method: M, fields: ReadonlyMap<string, Field>): boolean
  /** What the method adds to a request. Throws 428 `missing_credentials` when a required value is missing. */
  apply(method: M, input: ApplyInput): AuthMaterial
  /** For types whose credential is a token obtained and renewed from the provider. */
  readonly tokens?: TokenSource<M>
  /** What a token adds to the templates of the connector's requests: a session's `{{session.siteId}}` in a path. */
  templateValues?(token: string): Record<string, unknown>
  /** The statuses after which the token is renewed once and the request sent again; without it, 401 only. */
  renewOn?(method: M): readonly number[]
  /** Signs the request as sent (AWS SigV4, HMAC, OAuth 1.0a): `apply` needs its whole body and every header. */
  readonly signs?: boolean
}

/** A token the runtime holds for a credential and renews; each type keeps more beside it (refresh token, scopes). */
export interface HeldToken {
  /** What goes into requests; compared with a rejected one after a 401. */
  accessToken: string
  /** Epoch milliseconds; absent when it does not expire on its own. */
  expiresAt?: number
}

/** What the provider said to a renewal. */
export type RenewOutcome =
  | { ok: true; token: HeldToken }
  /** The provider refused. `revoked`: the grant is gone and a person must connect again (`invalid_grant`). */
  | {
      ok: false
      kind: 'rejected'
      revoked: boolean
      error: string
      description?: string
      /** Plain words for a person about a revoked credential, in place of the default (a session's refused login). */
      message?: string
    }
  /** 5xx, 429, timeout, network, redirect: worth trying again later, not a verdict on the grant. */
  | { ok: false; kind: 'unavailable'; reason: string }

/** Workspace-level registrations a token type may need (the OAuth app of a connector). */
export interface AuthServices {
  /** The workspace's OAuth client of a connector; 409 `oauth_app_missing` when none is set. */
  oauthClient(connectorId: string): Promise<{ clientId: string; clientSecret?: string }>
}

/** What `renew` gets. */
export interface RenewContext<M extends AuthMethod = AuthMethod> {
  method: M
  loaded: Loaded
  connector: Connector
  /** The connection's values for this credential, secrets included. */
  values: Readonly<Record<string, FieldValue>>
  /** The token held now, if any. */
  current: HeldToken | undefined
  http: HttpClient
  now: number
  timeoutMs: number
  services: AuthServices
}

/**
 * How a token type keeps its token: where it sits in the sealed secrets, whether and how it is renewed.
 *
 * @example
 * const source: TokenSource<OAuth2Auth> = { what: 'OAuth2 tokens', read: (s) => s.oauth, write: (s, t) => ({ ...s, oauth: t }), renewable,
 * renew }
 */
export interface TokenSource<M extends AuthMethod = AuthMethod> {
  /** Plain words for messages: "OAuth2 tokens". */
  readonly what: string
  read(secrets: CredentialSecrets): HeldToken | undefined
  write(secrets: CredentialSecrets, token: HeldToken): CredentialSecrets
  /** Whether a new token can be had with nobody present (a refresh token, client credentials, a stored login). */
  renewable(method: M, current: HeldToken | undefined): boolean
  /** Whether a method of the type holds a token at all (an OAuth 1.0a method with entered tokens does not); default yes. */
  holds?(method: M): boolean
  /** Asks the provider for a new token. Never throws for what the provider answers. */
  renew(context: RenewContext<M>): Promise<RenewOutcome>
}
