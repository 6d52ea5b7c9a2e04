// This file is generated from schemas/api.schema.json by `npm run generate`. Do not edit it by hand.

/**
 * An identifier made of letters, digits, dashes and underscores.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Id".
 */
export type Id = string
/**
 * What people call the connection; unique per app and connector.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ConnectionName".
 */
export type ConnectionName = string
/**
 * A value entered for a field.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "FieldValue".
 */
export type FieldValue = string | number | boolean
/**
 * `shared`: the credentials an admin entered serve everyone and workflows; `personal`: each user connects their own.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Sharing".
 */
export type Sharing = 'shared' | 'personal'
/**
 * An absolute http(s) URL.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "HttpUrl".
 */
export type HttpUrl = string
/**
 * A role inside an app: `admin` adds, edits and deletes connections, sets sharing and manages members; `member` uses connections and connects their own personal credentials.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AppRole".
 */
export type AppRole = 'admin' | 'member'

/**
 * Bodies the HTTP API accepts and the views it answers with. Every request body is validated against its definition here.
 */
export interface Api {
  [k: string]: unknown | undefined
}
/**
 * Values by field key: connection fields and the chosen auth method's fields.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "FieldValues".
 */
export interface FieldValues {
  [k: string]: FieldValue | undefined
}
/**
 * A connector definition as a JSON object; the endpoint validates it against connector.schema.json and answers with the problems.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ConnectorDocument".
 */
export interface ConnectorDocument {}
/**
 * A new app; the person creating it becomes its admin. The id is generated when not given; only the workspace owner may choose one, so nobody else can probe which ids exist.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "CreateApp".
 */
export interface CreateApp {
  id?: Id
  name: string
}
/**
 * Adds a user to an app, or changes their role there.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "SetMember".
 */
export interface SetMember {
  role: AppRole
}
/**
 * A person the workspace owner invites. They sign in with an API token the owner issues for them.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "CreateUser".
 */
export interface CreateUser {
  name: string
  email?: string
}
/**
 * A new API token for a user; what it is for, so it can be told apart and revoked later. The token itself is shown once, in the answer.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "IssueToken".
 */
export interface IssueToken {
  name: string
}
/**
 * Exchanges a user's token for a browser session (an HttpOnly cookie). Accepted only from the designer's own page, after the person confirmed whose account it is.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "SignIn".
 */
export interface SignIn {
  token: string
}
/**
 * Changes to an app: its name, and the connector actions its workflows use (their OAuth scopes are asked for when a connection authorizes: least privilege).
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "UpdateApp".
 */
export interface UpdateApp {
  name?: string
  /**
   * `<connectorId>.<actionKey>` of every action the app's workflows run.
   *
   * @maxItems 500
   */
  actions?: string[]
}
/**
 * A new connection; credentials may be given now or later with PUT …/credentials.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "CreateConnection".
 */
export interface CreateConnection {
  connectorId: string
  name: ConnectionName
  /**
   * Which of the connector's auth methods; defaults to the first.
   */
  authMethod?: string
  values?: FieldValues
  baseUrl?: HttpUrl
  sharing?: Sharing
}
/**
 * Changes to a connection's properties. Secrets are changed with PUT …/credentials.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "UpdateConnection".
 */
export interface UpdateConnection {
  name?: ConnectionName
  /**
   * null goes back to the connector's base URL.
   */
  baseUrl?: HttpUrl | null
  values?: FieldValues
  sharing?: Sharing
}
/**
 * Connect or reconnect: the chosen auth method's values.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "SetCredentials".
 */
export interface SetCredentials {
  authMethod?: string
  values: FieldValues
}
/**
 * The new connection's name; everything else is copied except credentials.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "CloneConnection".
 */
export interface CloneConnection {
  name: ConnectionName
}
/**
 * Test an unsaved connector definition with values that are used once and never stored.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "TestDraft".
 */
export interface TestDraft {
  /**
   * The draft definition (validated as a connector).
   */
  connector: {}
  authMethod?: string
  values?: FieldValues
  baseUrl?: HttpUrl
}
/**
 * Run one of the connector's actions through the connection.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "RunAction".
 */
export interface RunAction {
  /**
   * Values for the action's inputs, checked against its input schema.
   */
  inputs?: {}
  /**
   * `workflow`: a run with nobody present, which may only use a shared connection.
   */
  mode?: 'user' | 'workflow'
}
/**
 * What the upstream answered to an action, with the action's output selection applied.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ActionResult".
 */
export interface ActionResult {
  /**
   * Whether the upstream answered 2xx.
   */
  ok: boolean
  status: number
  /**
   * A safe subset of the response headers.
   */
  headers: {
    [k: string]: string | undefined
  }
  /**
   * The response body (JSON or text), or the part the action selects.
   */
  body: unknown
  durationMs: number
  attempts: number
  /**
   * The request sent, secrets masked.
   */
  request: {
    method: string
    url: string
    headers: {
      [k: string]: string | undefined
    }
    body?: string
  }
}
/**
 * What a connection test did and found. Secrets are masked everywhere in it.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "TestResult".
 */
export interface TestResult {
  ok: boolean
  /**
   * The upstream's HTTP status, when there was an answer.
   */
  status?: number
  durationMs: number
  /**
   * The connected account, from the connector's label template.
   */
  label?: string
  /**
   * What happened, in plain words, and what to do.
   */
  diagnosis: string
  /**
   * The kind of failure, for code that branches on it.
   */
  problem?:
    | 'credentials_rejected'
    | 'not_found'
    | 'dns_failure'
    | 'connection_refused'
    | 'tls_error'
    | 'timeout'
    | 'body_rule_failed'
    | 'unexpected_status'
    | 'redirected_elsewhere'
    | 'blocked_address'
    | 'invalid_url'
    | 'missing_credentials'
    | 'upstream_error'
  request: {
    method: string
    url: string
    headers: {
      [k: string]: string | undefined
    }
  }
  response?: {
    status: number
    contentType?: string
    /**
     * The start of the body (at most 2 KB).
     */
    excerpt: string
  }
}
/**
 * A connection as the API shows it: never a secret, only whether each secret has a value.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Connection".
 */
export interface Connection {
  id: string
  appId: string
  connectorId: string
  name: string
  authMethod: string
  sharing: Sharing
  status: 'not_connected' | 'connected' | 'expired' | 'error'
  /**
   * Values of the fields that are not secret.
   */
  fields: {
    [k: string]: FieldValue | undefined
  }
  /**
   * For each secret field: whether it has a value.
   */
  secrets: {
    [k: string]:
      | {
          hasValue: boolean
        }
      | undefined
  }
  /**
   * The base URL requests go to.
   */
  baseUrl: string
  /**
   * Whether the base URL was changed from the connector's.
   */
  baseUrlOverride?: boolean
  accountLabel?: string
  grantedScopes?: string[]
  lastTest?: {
    at: string
    ok: boolean
    status?: number
    diagnosis: string
    problem?: string
  }
  /**
   * Where a person completes authentication, when the connection needs it.
   */
  connectUrl?: string
  createdAt: string
  updatedAt: string
}
/**
 * The workspace's OAuth app for a connector: the client registered with the provider, used by every connection of that connector. The secret is write-only: omit it to keep the stored one, send null to remove it.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "SetOAuthApp".
 */
export interface SetOAuthApp {
  /**
   * The client id the provider issued.
   */
  clientId: string
  /**
   * The client secret; never shown again once saved.
   */
  clientSecret?: string | null
}
/**
 * The workspace's OAuth app for a connector as the API shows it: the client id, whether a secret is stored (never the secret), and the redirect URI to register with the provider.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "OAuthApp".
 */
export interface OAuthApp {
  connectorId: string
  /**
   * Whether a client id is set, so connections can authorize.
   */
  configured: boolean
  clientId?: string
  hasClientSecret: boolean
  /**
   * Read-only: the callback URL to register with the provider, byte for byte.
   */
  redirectUri: string
  updatedAt?: string
}
/**
 * Where to send the person to authorize a connection (`?format=json` of the authorize route), and the scopes asked for.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "OAuthAuthorization".
 */
export interface OAuthAuthorization {
  /**
   * The provider's authorize URL with state, PKCE challenge and scopes.
   */
  url: string
  scopes: string[]
  /**
   * When the flow stops being accepted (10 minutes).
   */
  expiresAt?: string
}
