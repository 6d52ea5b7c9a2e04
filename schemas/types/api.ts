// This file is generated from schemas/api.schema.json by `npm run generate`. Do not edit it by hand.
import type {Connector} from './connector.ts'

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
 * Every stable code an error answer can carry, for callers to branch on; the message says the same in words. `token_<code>` passes on a token endpoint's own RFC 6749 §5.2 code.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ErrorCode".
 */
export type ErrorCode =
  | 'access_denied'
  | 'action_not_found'
  | 'app_exists'
  | 'app_not_found'
  | 'base_url_not_allowed'
  | 'binding_required'
  | 'blocked_address'
  | 'body_too_deep'
  | 'body_too_large'
  | 'code_missing'
  | 'conflict'
  | 'connection_expired'
  | 'connection_name_taken'
  | 'connection_not_found'
  | 'connection_refused'
  | 'connection_required'
  | 'connector_exists'
  | 'connector_id_reserved'
  | 'connector_in_use'
  | 'connector_not_found'
  | 'connector_read_only'
  | 'connector_required'
  | 'cross_origin'
  | 'current_key_from_env'
  | 'decryption_failed'
  | 'delivery_not_found'
  | 'dns_failure'
  | 'flow_expired'
  | 'flow_outdated'
  | 'forbidden'
  | 'http_error'
  | 'id_mismatch'
  | 'insecure_data_dir'
  | 'insecure_key_file'
  | 'internal_error'
  | 'invalid_base_url'
  | 'invalid_binding'
  | 'invalid_body'
  | 'invalid_connector'
  | 'invalid_header_value'
  | 'invalid_inputs'
  | 'invalid_json'
  | 'invalid_key_file'
  | 'invalid_master_key'
  | 'invalid_mode'
  | 'invalid_plaintext'
  | 'invalid_private_key'
  | 'invalid_query'
  | 'invalid_request'
  | 'invalid_scope'
  | 'invalid_spec'
  | 'invalid_token'
  | 'invalid_url'
  | 'invalid_value'
  | 'invalid_values'
  | 'issuer_mismatch'
  | 'key_file_unreadable'
  | 'key_file_unwritable'
  | 'key_from_env'
  | 'key_in_use'
  | 'last_admin'
  | 'member_not_found'
  | 'metrics_disabled'
  | 'missing_credentials'
  | 'missing_field'
  | 'no_test'
  | 'not_authorization_code'
  | 'not_oauth2'
  | 'oauth2_draft'
  | 'oauth2_values'
  | 'oauth_app_missing'
  | 'other_origin'
  | 'personal_connection_required'
  | 'provider_unavailable'
  | 'rate_limited'
  | 'request_aborted'
  | 'response_too_large'
  | 'route_not_found'
  | 'scope_missing'
  | 'secret_too_short'
  | 'shared_connection_required'
  | 'shared_data_dir'
  | 'state_missing'
  | 'state_other_user'
  | 'state_repeated'
  | 'state_replayed'
  | 'state_unknown'
  | 'store_closed'
  | 'store_damaged'
  | 'store_format_unsupported'
  | 'store_invalid_options'
  | 'store_invalid_query'
  | 'store_invalid_record'
  | 'store_locked'
  | 'store_not_found'
  | 'store_schema_too_new'
  | 'store_tx_ended'
  | 'store_unavailable'
  | 'store_unreadable'
  | 'store_write_failed'
  | 'test_failed'
  | 'test_url_other_origin'
  | 'tls_error'
  | 'token_invalid_client'
  | 'token_invalid_grant'
  | 'token_invalid_request'
  | 'token_invalid_scope'
  | 'token_invalid_token_response'
  | 'token_not_found'
  | 'token_provider_error'
  | 'token_refresh_backoff'
  | 'token_refresh_failed'
  | 'token_unauthorized_client'
  | 'token_unsupported_grant_type'
  | 'too_many_redirects'
  | 'unauthenticated'
  | 'unknown_action'
  | 'unknown_auth_method'
  | 'unknown_connector'
  | 'unknown_key'
  | 'unknown_scope'
  | 'unmaskable_response'
  | 'unsupported_media_type'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'user_exists'
  | 'user_not_found'
  | 'webhook_not_found'
  | 'wrong_connector'
/**
 * `api`: a bearer token for scripts and workflows; `session`: the token behind the designer's cookie, ended by signing out.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "TokenKind".
 */
export type TokenKind = 'api' | 'session'
/**
 * An event an app's webhooks can be sent: a connection added, deleted or connected (verified: a provider issued its credentials, or typed ones passed their first test); a connection's check failing (`failed`), its grant refused by the provider (`expired`), a failing one passing again (`recovered`); a token refresh that failed.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "WebhookEvent".
 */
export type WebhookEvent =
  | 'connection.created'
  | 'connection.deleted'
  | 'connection.connected'
  | 'connection.failed'
  | 'connection.expired'
  | 'connection.recovered'
  | 'refresh.failed'
/**
 * What happened, as the audit trail names it.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AuditEvent".
 */
export type AuditEvent =
  | 'connection.created'
  | 'connection.updated'
  | 'connection.sharing_changed'
  | 'connection.connected'
  | 'connection.reconnected'
  | 'connection.unauthorized'
  | 'connection.deleted'
  | 'connection.tested'
  | 'action.run'
  | 'member.set'
  | 'member.removed'
  | 'binding.set'
  | 'binding.cleared'
  | 'connection.failed'
  | 'connection.expired'
  | 'connection.recovered'
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted'
/**
 * `app`: the app's binding, for everyone (app admins); `member`: the caller's own, to a personal connection.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "BindingScope".
 */
export type BindingScope = 'app' | 'member'
/**
 * `user`: a person is present; `workflow`: a run with nobody present, which may only use a shared connection.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "RunMode".
 */
export type RunMode = 'user' | 'workflow'

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
 * An OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML text) to convert into a draft connector. Nothing is stored; `$ref`s to other files find nothing.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ImportOpenApi".
 */
export interface ImportOpenApi {
  /**
   * The document's text.
   */
  spec: string
  /**
   * The uploaded file's name, used in messages.
   */
  fileName?: string
  /**
   * Globs of operations to import (operationId, `METHOD /path` or the path).
   *
   * @maxItems 50
   */
  include?: string[]
  /**
   * Globs of operations to leave out.
   *
   * @maxItems 50
   */
  exclude?: string[]
}
/**
 * What an import made of a spec: operations and actions counted, security schemes and what became of them, the test request chosen and why, operations not mapped and why, actions with something left out.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "OpenApiImportReport".
 */
export interface OpenApiImportReport {
  format: string
  title: string
  operations: number
  selected?: number
  actions: number
  baseUrl?: string
  fields?: string[]
  schemes: {
    name: string
    type: string
    methods: string[]
    notMapped?: string
  }[]
  authMethods?: string[]
  test: {
    method?: string
    path?: string
    reason: string
  }
  notMapped: {
    operation: string
    reason: string
  }[]
  notMappedCount: number
  partial: {
    operation: string
    action: string
    notes: string[]
  }[]
  notes: string[]
}
/**
 * The draft connector made from a spec, the validator's verdict on it, and the report of what could not be mapped.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "OpenApiImportResult".
 */
export interface OpenApiImportResult {
  connector: ConnectorDocument
  report: OpenApiImportReport
  validation: ValidationResult
}
/**
 * What a validator found in a connector definition: errors make it invalid, warnings do not.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ValidationResult".
 */
export interface ValidationResult {
  valid: boolean
  errors: ValidationProblem[]
  warnings: ValidationProblem[]
}
/**
 * One problem found in a document or a request body: where (a JSON pointer), which rule, and what to fix. Never contains a secret.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ValidationProblem".
 */
export interface ValidationProblem {
  /**
   * JSON pointer (RFC 6901) into the document; empty for the document itself.
   */
  path: string
  /**
   * The JSON Schema keyword that failed, or a rule name like `unknownPlaceholder`.
   */
  keyword: string
  /**
   * Plain words naming the place and what to fix.
   */
  message: string
}
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
  /**
   * Connectors the app needs besides those of its actions (the proxy, actions not declared yet): listed on its setup page.
   *
   * @maxItems 200
   */
  connectors?: string[]
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
 * How a paginated action's reading went: pages read, items gathered, and why it stopped — `end` (the last page), `max_pages` or `max_items` (the caps), `other_origin` (a next link to another origin, not followed; `next` shows it, secrets masked), `repeated` (the API gave the same cursor again), `failed` (a page did not answer 2xx: the answer is that page's).
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ActionPagination".
 */
export interface ActionPagination {
  pages: number
  items: number
  stopped: 'end' | 'max_pages' | 'max_items' | 'other_origin' | 'repeated' | 'failed'
  /**
   * The next link that was not followed (another origin).
   */
  next?: string
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
  /**
   * Requests sent in all (retries and every page included).
   */
  attempts: number
  pagination?: ActionPagination
  /**
   * Runs by connector: the connection the action ran through.
   */
  connectionId?: string
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
    /**
     * The body sent, secrets masked (a test request or login with a body).
     */
    body?: string
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
  /**
   * `not_connected`: no credentials yet. `untested`: credentials were typed in and are usable, but no test has checked them yet. `connected`: a test passed, or the provider issued the credentials itself (OAuth). `expired`: the provider refused to renew the grant: connect again. `error`: the last test failed.
   */
  status: 'not_connected' | 'untested' | 'connected' | 'expired' | 'error'
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
/**
 * The `details` of a 428 `connection_required` answer: the connection has no usable credentials (of the caller's, for a personal one), and a person completes them at `connectUrl`.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ConnectionRequiredDetails".
 */
export interface ConnectionRequiredDetails {
  /**
   * The designer's page that connects this connection.
   */
  connectUrl: string
}
/**
 * The `details` of a 403 `scope_missing` answer: the OAuth2 scopes the action needs that the connection was not granted, and, for sign-in (authorization code) connections, the link that authorizes again asking for them.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ScopeMissingDetails".
 */
export interface ScopeMissingDetails {
  missing: string[]
  granted: string[]
  /**
   * Starts the authorization again with the missing scopes.
   */
  reauthorizeUrl?: string
}
/**
 * Every error answer: a stable code, a message in plain words, and details where there are some (validation problems in `details.errors`, a `connectUrl`, the role required).
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ErrorEnvelope".
 */
export interface ErrorEnvelope {
  error: {
    code: ErrorCode
    message: string
    /**
     * Extra data for the caller; never a secret.
     */
    details?: unknown
    /**
     * The request's id, as in the `X-Request-Id` response header and the log: quote it when reporting a problem.
     */
    requestId?: string
  }
}
/**
 * Liveness: the runtime answers, and which version it is.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Health".
 */
export interface Health {
  ok: boolean
  version: string
}
/**
 * Who a browser session belongs to, as signing in names them.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "SessionUser".
 */
export interface SessionUser {
  id: string
  name: string
  /**
   * Whether this is the workspace owner.
   */
  owner: boolean
}
/**
 * The answer to signing in: whose session the cookie now holds.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "SignedIn".
 */
export interface SignedIn {
  user: SessionUser
}
/**
 * Whether the caller's browser session (the cookie) is signed in, and as whom. Not being signed in is an answer, not an error: the designer asks before it knows.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Session".
 */
export interface Session {
  signedIn: boolean
  user?: SessionUser
}
/**
 * A person in the workspace. They act through app roles, or as the workspace owner.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "User".
 */
export interface User {
  id: string
  name: string
  email?: string
  /**
   * The workspace owner can do everything; others act through app roles.
   */
  owner: boolean
  createdAt: string
}
/**
 * Who the caller is signed in as.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Me".
 */
export interface Me {
  user: User
}
/**
 * Everyone in the workspace, oldest first.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "UserList".
 */
export interface UserList {
  users: User[]
}
/**
 * An API token or browser session as listed: what it is for and when it was used, never the token itself.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Token".
 */
export interface Token {
  /**
   * The token's SHA-256 (hex): enough to revoke it, useless to sign in with.
   */
  id: string
  userId: string
  name: string
  kind: TokenKind
  createdAt: string
  /**
   * To the minute.
   */
  lastUsedAt?: string
  revokedAt?: string
}
/**
 * A user's tokens and browser sessions, newest first.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "TokenList".
 */
export interface TokenList {
  tokens: Token[]
}
/**
 * A token just issued: the only answer that ever holds the token and its sign-in link; only its hash is kept.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "IssuedToken".
 */
export interface IssuedToken {
  token: string
  /**
   * The designer's sign-in link for this token.
   */
  signInUrl: string
  id: string
  userId: string
  name: string
  kind: TokenKind
  createdAt: string
  lastUsedAt?: string
  revokedAt?: string
}
/**
 * A user's role in an app.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AppMember".
 */
export interface AppMember {
  userId: string
  role: AppRole
}
/**
 * An app: groups workflows and their connections; its members act in it by their role.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "App".
 */
export interface App {
  id: string
  name: string
  members: AppMember[]
  /**
   * `<connectorId>.<actionKey>` of the actions the app's workflows run: their scopes are asked for.
   */
  actions?: string[]
  /**
   * Connectors the app needs besides those of its actions.
   */
  connectors?: string[]
  createdAt: string
}
/**
 * The apps the caller has a role in (every app for the workspace owner), oldest first.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AppList".
 */
export interface AppList {
  apps: App[]
}
/**
 * Where to send which events. The URL is held to the same address rules as every outbound request: a private or loopback address needs SWITCHBOARD_ALLOWED_HOSTS.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "CreateWebhook".
 */
export interface CreateWebhook {
  url: HttpUrl
  /**
   * @minItems 1
   * @maxItems 7
   */
  events: [WebhookEvent, ...WebhookEvent[]]
  description?: string
}
/**
 * What to change of a webhook; what is left out stays. `enabled: false` pauses deliveries without forgetting the endpoint.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "UpdateWebhook".
 */
export interface UpdateWebhook {
  url?: HttpUrl
  /**
   * @minItems 1
   * @maxItems 7
   */
  events?: [WebhookEvent, ...WebhookEvent[]]
  description?: string
  enabled?: boolean
}
/**
 * An endpoint an app's events are sent to, signed per the Standard Webhooks spec. Its signing secret is shown once, when it is made.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Webhook".
 */
export interface Webhook {
  id: string
  appId: string
  url: string
  events: WebhookEvent[]
  description?: string
  enabled: boolean
  createdAt: string
  updatedAt: string
  createdBy: string
}
/**
 * A webhook just made, with its signing secret: shown this once, never again (receivers verify deliveries with it).
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "CreatedWebhook".
 */
export interface CreatedWebhook {
  webhook: Webhook
  secret: string
}
/**
 * An app's webhooks, oldest first.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "WebhookList".
 */
export interface WebhookList {
  webhooks: Webhook[]
}
/**
 * What a delivery's body holds (Standard Webhooks: `type`, `timestamp`, `data`): ids, names and outcome codes, never a credential, a header or a body of the API.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "WebhookPayload".
 */
export interface WebhookPayload {
  type: WebhookEvent
  timestamp: string
  data: {
    appId: string
    connectionId: string
    connectorId: string
    connectionName: string
    /**
     * The connection's status after the event.
     */
    status?: string
    /**
     * What went wrong, as a stable code (`credentials_rejected`, `connection_refused`, `token_refresh_failed`).
     */
    problem?: string
    /**
     * The API's status in the check that failed, when it answered.
     */
    httpStatus?: number
  }
}
/**
 * One event sent (or being sent) to one webhook: `pending` while attempts remain, `delivered` once the receiver answered 2xx, `failed` when the retries ran out.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "WebhookDelivery".
 */
export interface WebhookDelivery {
  id: string
  webhookId: string
  /**
   * The `webhook-id` header: the same for every attempt and for replays, so a receiver can drop repeats.
   */
  messageId: string
  event: WebhookEvent
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  createdAt: string
  lastAttemptAt?: string
  nextAttemptAt?: string
  /**
   * The receiver's status at the last attempt, when it answered.
   */
  responseStatus?: number
  /**
   * Why the last attempt failed, in words (never the receiver's body).
   */
  lastError?: string
  /**
   * The delivery this one sends again.
   */
  replayOf?: string
  payload: WebhookPayload
}
/**
 * A webhook's deliveries, newest first (the most recent 100).
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "WebhookDeliveryList".
 */
export interface WebhookDeliveryList {
  deliveries: WebhookDelivery[]
}
/**
 * Plain facts about an audited event (what changed, how many credentials were dropped, the outcome); never a secret, never a field value.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AuditDetails".
 */
export interface AuditDetails {
  [k: string]: string | number | boolean | null | string[] | undefined
}
/**
 * One entry of an app's audit trail: who did what to which connection, and how it ended.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AuditEntry".
 */
export interface AuditEntry {
  /**
   * Increasing within the app; the pagination cursor.
   */
  seq: number
  at: string
  appId: string
  /**
   * Who acted.
   */
  userId: string
  event: AuditEvent
  connectionId?: string
  connectorId?: string
  connectionName?: string
  details?: AuditDetails
}
/**
 * A page of an app's audit trail, newest first; `next` is the `before` of the following page, absent on the last.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AuditPage".
 */
export interface AuditPage {
  entries: AuditEntry[]
  next?: number
  /**
   * How many entries the app's trail keeps; older ones are dropped.
   */
  capacity: number
}
/**
 * Which part of the audit trail to read: one connection's entries, a page size, the `next` of the previous page.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AuditQuery".
 */
export interface AuditQuery {
  connection?: string
  limit?: number
  before?: number
}
/**
 * A connector as the catalogue lists it: enough to pick one, without its requests.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ConnectorSummary".
 */
export interface ConnectorSummary {
  id: string
  name: string
  description?: string
  icon?: string
  categories: string[]
  /**
   * The types of its auth methods, each once.
   */
  authTypes: string[]
  /**
   * How many actions it defines.
   */
  actions: number
  /**
   * Ships with Switchboard (read-only), or custom.
   */
  builtIn: boolean
}
/**
 * The catalogue: built-in connectors first, then custom ones by name.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ConnectorList".
 */
export interface ConnectorList {
  connectors: ConnectorSummary[]
}
/**
 * Narrows the catalogue: words in a connector's name, id or description, and a category.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "CatalogueQuery".
 */
export interface CatalogueQuery {
  q?: string
  category?: string
}
/**
 * One connector's whole definition, and whether it ships with Switchboard.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ConnectorEntry".
 */
export interface ConnectorEntry {
  connector: Connector
  builtIn: boolean
}
/**
 * An app's connections as the caller sees them, oldest first.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "ConnectionList".
 */
export interface ConnectionList {
  connections: Connection[]
}
/**
 * Which connector the app needs a connection to.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "NeedsQuery".
 */
export interface NeedsQuery {
  connector: string
}
/**
 * Whether the app has a connection to a connector that the caller can use now, and if not, where to complete it: the existing connection's connect page, or the page that adds one.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Needs".
 */
export interface Needs {
  connectorId: string
  connected: boolean
  connectionId?: string
  connectUrl?: string
}
/**
 * A connection as an app's setup shows it to the caller: its status is the caller's own for a personal connection.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "SetupConnection".
 */
export interface SetupConnection {
  id: string
  name: string
  sharing: Sharing
  /**
   * The caller's own for a personal connection; see Connection.
   */
  status: 'not_connected' | 'untested' | 'connected' | 'expired' | 'error'
  accountLabel?: string
  /**
   * Where the caller completes authentication, when it needs it.
   */
  connectUrl?: string
}
/**
 * One connector an app needs, and its state for the caller. `connected`: the connection in use has usable credentials (tested or not yet: see its status). `missing`: no connection yet (`connectUrl` adds one), or the one in use needs connecting (`connectUrl` is its connect page). `choose`: several connections and none bound: pick one. The connection in use is the caller's own binding (personal connections), else the app's binding, else the only connection there is.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "SetupTool".
 */
export interface SetupTool {
  connectorId: string
  /**
   * The connector's name.
   */
  name: string
  /**
   * The keys of the app's actions on this connector.
   */
  actions: string[]
  /**
   * Whether the app lists the connector itself (`connectors`), not only through its actions.
   */
  declared: boolean
  state: 'connected' | 'missing' | 'choose'
  connection?: SetupConnection
  /**
   * How the connection in use was picked: the caller's own binding, the app's, or the only one there is.
   */
  chosenBy?: 'member' | 'app' | 'only'
  /**
   * Every connection of the app to this connector.
   */
  candidates: SetupConnection[]
  /**
   * The connection the app binds (set by an app admin).
   */
  appBinding?: string
  /**
   * The personal connection the caller binds for themselves.
   */
  myBinding?: string
  /**
   * `missing`: where to complete it.
   */
  connectUrl?: string
}
/**
 * Every connector an app needs (from its actions, and the ones it lists itself), each with its state for the caller.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AppSetup".
 */
export interface AppSetup {
  appId: string
  tools: SetupTool[]
}
/**
 * Binds a connector of an app to one of its connections. `app` (an app admin): for everyone, shared or personal. `member`: the caller's own pick among personal connections. Default: `app` for a shared connection, `member` for a personal one.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "SetBinding".
 */
export interface SetBinding {
  connectionId: Id
  scope?: BindingScope
}
/**
 * Which binding to clear: the app's (app admins) or the caller's own (default).
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "BindingQuery".
 */
export interface BindingQuery {
  /**
   * `app`: the app's binding (app admins); `member`: the caller's own.
   */
  scope?: 'app' | 'member'
}
/**
 * One action run, proxied request or health check of a connection: how it ended, never a body or a secret.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "RunEntry".
 */
export interface RunEntry {
  /**
   * Increasing within the store (across replicas, in blocks: order by `at`).
   */
  seq: number
  at: string
  /**
   * `check`: a scheduled health check by the runtime itself (`userId` system; `action` says test or refresh).
   */
  kind: 'action' | 'proxy' | 'check'
  appId: string
  connectionId: string
  userId: string
  mode: RunMode
  /**
   * The action's key (`kind: action`); `test` or `refresh` for a health check (`kind: check`).
   */
  action?: string
  /**
   * The upstream request's method, once known.
   */
  method?: string
  /**
   * The proxied path under the base URL, without its query (which may carry anything).
   */
  path?: string
  /**
   * `ok`: 2xx/3xx; `http_error`: the upstream answered 4xx/5xx; `failed`: no complete answer.
   */
  outcome: 'ok' | 'http_error' | 'failed'
  /**
   * The upstream's status, when it answered.
   */
  status?: number
  /**
   * The error code, when the run failed (`upstream_timeout`, `invalid_inputs`, …).
   */
  code?: string
  durationMs: number
  /**
   * Requests sent, retries included; absent when none was.
   */
  attempts?: number
  /**
   * Response bytes passed on (proxy).
   */
  bytes?: number
}
/**
 * Which runs to read: one connection's (app-wide only), one kind, one outcome, a time window, a page size, and the `next` of the page before.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "RunQuery".
 */
export interface RunQuery {
  /**
   * A connection's id (on `GET /api/apps/:appId/runs`).
   */
  connection?: string
  kind?: 'action' | 'proxy' | 'check'
  outcome?: 'ok' | 'http_error' | 'failed'
  /**
   * Runs at or after this time (ISO 8601; the route checks it).
   */
  since?: string
  /**
   * Runs before this time (ISO 8601; the route checks it).
   */
  until?: string
  /**
   * The `next` of the previous page.
   */
  before?: string
  limit?: number
}
/**
 * A page of runs, newest first, from the durable run history: each connection keeps its newest `capacity` runs, for at most `maxAgeDays`.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "RunList".
 */
export interface RunList {
  runs: RunEntry[]
  /**
   * Pass as `before` for the following page; absent on the last one. A page read with `kind` or `outcome` may hold fewer runs than `limit` and still have a `next`.
   */
  next?: string
  /**
   * How many runs each connection keeps.
   */
  capacity: number
  /**
   * How long runs are kept.
   */
  maxAgeDays?: number
}
/**
 * Starting an OAuth2 authorization: extra scopes on top of the defaults and those granted (comma-separated), and `format=json` to get the provider's URL instead of a redirect.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "AuthorizeQuery".
 */
export interface AuthorizeQuery {
  scopes?: string
  format?: 'json'
}
/**
 * Every route of the HTTP API, as `METHOD /path` with Hono's path syntax: the query it reads, the body it accepts and what it answers on success. A route without `response` answers 204, `status` names a success status other than 200; errors answer an ErrorEnvelope. `/api/openapi.json` is generated from these entries. An example is an exchange: a body and its answer.
 *
 * This interface was referenced by `Api`'s JSON-Schema
 * via the `definition` "Routes".
 */
export interface Routes {
  /**
   * Liveness, without authentication.
   */
  'GET /api/health'?: {
    response: Health
  }
  /**
   * This API as an OpenAPI 3.1 document, generated from the routes and this schema.
   */
  'GET /api/openapi.json'?: {
    response: {
      openapi: '3.1.0'
    }
  }
  /**
   * The interactive API reference: route groups, schemas, and trying a request with a token.
   */
  'GET /api/docs'?: {
    response: string
  }
  /**
   * The printed sign-in link: redirects to the designer's sign-in page with the token in the fragment (303).
   */
  'GET /signin'?: {
    query?: {
      /**
       * The sign-in token.
       */
      token?: string
    }
    status?: 303
  }
  /**
   * Where OAuth2 providers send the person back: completes the authorization bound to `state` and redirects to the designer (302).
   */
  'GET /oauth/callback'?: {
    query?: {
      state?: string
      code?: string
      error?: string
      error_description?: string
      iss?: string
    }
    status?: 302
  }
  /**
   * Where OAuth 1.0a providers send the person back: completes the authorization bound to `state` and redirects to the designer (302).
   */
  'GET /oauth1/callback'?: {
    query?: {
      state?: string
      oauth_token?: string
      oauth_verifier?: string
      denied?: string
    }
    status?: 302
  }
  /**
   * The Prometheus text exposition (format 0.0.4), for a scraper sending `Authorization: Bearer <SWITCHBOARD_METRICS_TOKEN>`; 404 `metrics_disabled` when no token is set.
   */
  'GET /metrics'?: {
    /**
     * `text/plain; version=0.0.4`: `# HELP`, `# TYPE` and one sample per line.
     */
    response: string
  }
  /**
   * Signs in the designer's page: sets the session cookie.
   */
  'POST /api/session'?: {
    body: SignIn
    response: SignedIn
  }
  /**
   * Whether this browser is signed in (200 either way), and as whom.
   */
  'GET /api/session'?: {
    response: Session
  }
  /**
   * Ends the browser session (204).
   */
  'POST /api/session/signout'?: {}
  /**
   * Who the caller is.
   */
  'GET /api/me'?: {
    response: Me
  }
  /**
   * The catalogue, built-in and custom.
   */
  'GET /api/connectors'?: {
    query?: CatalogueQuery
    response: ConnectorList
  }
  /**
   * The problems of a posted definition.
   */
  'POST /api/connectors/validate'?: {
    body: ConnectorDocument
    response: ValidationResult
  }
  /**
   * Converts an OpenAPI or Swagger document into a draft connector, stores nothing (a spec that cannot be read: 400 `invalid_spec`).
   */
  'POST /api/connectors/import/openapi'?: {
    body: ImportOpenApi
    response: OpenApiImportResult
  }
  /**
   * Tests an unsaved draft with values that are never stored.
   */
  'POST /api/connectors/test'?: {
    body: TestDraft
    response: TestResult
  }
  /**
   * One connector's definition.
   */
  'GET /api/connectors/:id'?: {
    response: ConnectorEntry
  }
  /**
   * Adds a custom connector (201).
   */
  'POST /api/connectors'?: {
    body: ConnectorDocument
    response: ConnectorEntry
    status?: 201
  }
  /**
   * Replaces a custom connector.
   */
  'PUT /api/connectors/:id'?: {
    body: ConnectorDocument
    response: ConnectorEntry
  }
  /**
   * Deletes a custom connector nothing uses (204).
   */
  'DELETE /api/connectors/:id'?: {}
  /**
   * The workspace's OAuth app for a connector.
   */
  'GET /api/connectors/:id/oauth-app'?: {
    response: OAuthApp
  }
  /**
   * Sets the workspace's OAuth app for a connector.
   */
  'PUT /api/connectors/:id/oauth-app'?: {
    body: SetOAuthApp
    response: OAuthApp
  }
  /**
   * Removes the workspace's OAuth app for a connector (204).
   */
  'DELETE /api/connectors/:id/oauth-app'?: {}
  /**
   * Everyone in the workspace.
   */
  'GET /api/users'?: {
    response: UserList
  }
  /**
   * Invites a person (201).
   */
  'POST /api/users'?: {
    body: CreateUser
    response: User
    status?: 201
  }
  /**
   * A user's tokens and sessions.
   */
  'GET /api/users/:userId/tokens'?: {
    response: TokenList
  }
  /**
   * Issues an API token, shown once (201).
   */
  'POST /api/users/:userId/tokens'?: {
    body: IssueToken
    response: IssuedToken
    status?: 201
  }
  /**
   * Revokes a token.
   */
  'DELETE /api/tokens/:tokenId'?: {
    response: Token
  }
  /**
   * The apps the caller has a role in.
   */
  'GET /api/apps'?: {
    response: AppList
  }
  /**
   * Creates an app; its creator becomes its admin (201).
   */
  'POST /api/apps'?: {
    body: CreateApp
    response: App
    status?: 201
  }
  /**
   * One app with its members.
   */
  'GET /api/apps/:appId'?: {
    response: App
  }
  /**
   * Changes an app's name, or the actions and connectors it uses.
   */
  'PATCH /api/apps/:appId'?: {
    body: UpdateApp
    response: App
  }
  /**
   * Adds a member or changes their role.
   */
  'PUT /api/apps/:appId/members/:userId'?: {
    body: SetMember
    response: App
  }
  /**
   * Removes a member.
   */
  'DELETE /api/apps/:appId/members/:userId'?: {
    response: App
  }
  /**
   * Whether the app has a usable connection to a connector, and where to complete one.
   */
  'GET /api/apps/:appId/needs'?: {
    query: NeedsQuery
    response: Needs
  }
  /**
   * Every connector the app needs, each with its state for the caller: connected, missing or several to choose from.
   */
  'GET /api/apps/:appId/setup'?: {
    response: AppSetup
  }
  /**
   * Binds a connector to a connection: for the app (app admins), or the caller's own personal one.
   */
  'PUT /api/apps/:appId/setup/:connectorId'?: {
    body: SetBinding
    response: SetupTool
  }
  /**
   * Clears a binding: the caller's own, or with `scope=app` the app's (app admins).
   */
  'DELETE /api/apps/:appId/setup/:connectorId'?: {
    query?: BindingQuery
    response: SetupTool
  }
  /**
   * Runs a connector's action through the connection the app binds to it (428 when there is none to use).
   */
  'POST /api/apps/:appId/run/:connectorId/:actionKey'?: {
    body: RunAction
    response: ActionResult
  }
  /**
   * The app's webhooks (app admins).
   */
  'GET /api/apps/:appId/webhooks'?: {
    response: WebhookList
  }
  /**
   * Registers a webhook; answers its signing secret once (201).
   */
  'POST /api/apps/:appId/webhooks'?: {
    body: CreateWebhook
    response: CreatedWebhook
    status?: 201
  }
  /**
   * One webhook.
   */
  'GET /api/apps/:appId/webhooks/:webhookId'?: {
    response: Webhook
  }
  /**
   * Changes a webhook's URL, events, description or whether it is enabled.
   */
  'PATCH /api/apps/:appId/webhooks/:webhookId'?: {
    body: UpdateWebhook
    response: Webhook
  }
  /**
   * Deletes a webhook, its secret and its deliveries (204).
   */
  'DELETE /api/apps/:appId/webhooks/:webhookId'?: {}
  /**
   * The webhook's recent deliveries, newest first.
   */
  'GET /api/apps/:appId/webhooks/:webhookId/deliveries'?: {
    response: WebhookDeliveryList
  }
  /**
   * Sends a delivery's event again, as a new delivery with the same message id (202).
   */
  'POST /api/apps/:appId/webhooks/:webhookId/deliveries/:deliveryId/replay'?: {
    response: WebhookDelivery
    status?: 202
  }
  /**
   * A page of the app's audit trail.
   */
  'GET /api/apps/:appId/audit'?: {
    query?: AuditQuery
    response: AuditPage
  }
  /**
   * A page of the app's run history across its connections, newest first. App admins only.
   */
  'GET /api/apps/:appId/runs'?: {
    query?: RunQuery
    response: RunList
  }
  /**
   * The app's connections.
   */
  'GET /api/apps/:appId/connections'?: {
    response: ConnectionList
  }
  /**
   * Adds a connection (201).
   */
  'POST /api/apps/:appId/connections'?: {
    body: CreateConnection
    response: Connection
    status?: 201
  }
  /**
   * One connection.
   */
  'GET /api/apps/:appId/connections/:id'?: {
    response: Connection
  }
  /**
   * Renames a connection, changes its base URL, fields or sharing.
   */
  'PATCH /api/apps/:appId/connections/:id'?: {
    body: UpdateConnection
    response: Connection
  }
  /**
   * Deletes a connection and its credentials (204).
   */
  'DELETE /api/apps/:appId/connections/:id'?: {}
  /**
   * Connects or reconnects.
   */
  'PUT /api/apps/:appId/connections/:id/credentials'?: {
    body: SetCredentials
    response: Connection
  }
  /**
   * Unauthorizes: drops the credentials, keeps the connection.
   */
  'DELETE /api/apps/:appId/connections/:id/credentials'?: {
    response: Connection
  }
  /**
   * Copies a connection without its credentials (201).
   */
  'POST /api/apps/:appId/connections/:id/clone'?: {
    body: CloneConnection
    response: Connection
    status?: 201
  }
  /**
   * Tests a connection.
   */
  'POST /api/apps/:appId/connections/:id/test'?: {
    response: TestResult
  }
  /**
   * Runs one of the connector's actions.
   */
  'POST /api/apps/:appId/connections/:id/actions/:actionKey'?: {
    body: RunAction
    response: ActionResult
  }
  /**
   * A page of a connection's run history, newest first (`connection` is not read here).
   */
  'GET /api/apps/:appId/connections/:id/runs'?: {
    query?: RunQuery
    response: RunList
  }
  /**
   * Starts an OAuth2 authorization: a redirect to the provider, or its URL with `format=json`.
   */
  'GET /api/apps/:appId/connections/:id/oauth/authorize'?: {
    query?: AuthorizeQuery
    response: OAuthAuthorization
    status?: 302 | 200
  }
  /**
   * Starts an OAuth 1.0a three-legged authorization: gets a request token and redirects to the provider, or answers its URL with `format=json`.
   */
  'GET /api/apps/:appId/connections/:id/oauth1/authorize'?: {
    query?: AuthorizeQuery
    response: {
      /**
       * The provider's authorize page, with the request token.
       */
      url: string
      /**
       * When the started sign-in expires (ISO 8601).
       */
      expiresAt: string
    }
    status?: 302 | 200
  }
  /**
   * Sends a request to the base URL itself with the credentials injected; answers what the upstream answered.
   */
  'ALL /api/apps/:appId/connections/:id/proxy'?: {
    body?: unknown
    response?: unknown
  }
  /**
   * Sends a request under the base URL with the credentials injected; answers what the upstream answered.
   */
  'ALL /api/apps/:appId/connections/:id/proxy/*'?: {
    body?: unknown
    response?: unknown
  }
}
