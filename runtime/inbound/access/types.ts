import type { Context } from 'hono'
import type { Catalogue } from '../../core/catalogue/index.ts'
import type { Loaded } from '../../core/connections/index.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRecord, AppRole } from '../../types.ts'
import type { AuditEvent, AuditLog } from '../audit/index.ts'
import type { AuthVariables } from '../callers/index.ts'

/**
 * Who may call a route:
 * - `public`: anyone, without signing in;
 * - `signed-in`: anyone signed in;
 * - `owner`: the workspace owner (and, with `orSelf`, the user the path names);
 * - `member`, `admin`: that role or more in the app of `:appId` (the owner is an admin of every app); people
 *   outside the app get the same 404 as for an app that does not exist;
 * - `member-anywhere`, `admin-anywhere`: that role in at least one app, or the owner.
 */
export type RouteRole = 'public' | 'signed-in' | 'owner' | 'member' | 'admin' | 'member-anywhere' | 'admin-anywhere'

/** What a route declares where it is defined: who may call it, and what it records in the audit trail. */
export interface RoutePolicy {
  role: RouteRole
  /** App roles: the role needed when the connection of `:id` is shared (its credentials serve everyone). */
  shared?: AppRole
  /** `owner`: a path parameter naming a user who may call it too (their own tokens). */
  orSelf?: string
  /** What the route does, for the refusal ("To <what> …", "Only the workspace owner can <what>."). */
  what: string | ((c: Context) => string)
  /** The audit events the route records (with `audited`); it may record no other. */
  audit?: AuditEvent | readonly AuditEvent[]
  /** The route reads its body as a stream and limits it itself (the proxy): no buffered-body limit. */
  streamsBody?: true
  /** A larger body limit than the app's, for the one route whose input is a whole document (a spec upload). */
  maxBodyBytes?: number
}

/** What a route's policy found out about a request, shared with its handler so nothing is read twice. */
export interface RouteState {
  policy: RoutePolicy
  /** The app of `:appId`, for app routes, as the role check read it. */
  app?: AppRecord
  /** The caller's role in that app. */
  role?: AppRole
  /** The connection of `:id`, read once by whoever needs it first (the shared-connection check, the handler). */
  connection?: Promise<Loaded>
  deps: { store: Store; catalogue: Catalogue; audit: AuditLog }
  /** The largest body the handler may read, in bytes (readBody counts it as it reads). */
  bodyLimit: number
}

/** The Hono environment of every route: the caller (authentication) and the route's state (its policy). */
export interface RouteEnv {
  Variables: AuthVariables & { route: RouteState /** Set for every request by the access log. */; requestId: string }
}
