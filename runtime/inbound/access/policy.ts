import type { Context, MiddlewareHandler } from 'hono'
import type { Catalogue } from '../../core/catalogue/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRecord, AppRole } from '../../types.ts'
import type { AuditLog } from '../audit/index.ts'
import { authenticateRequest, requestHeaders } from '../callers/index.ts'
import { appNotFound, atLeast, forbidden, roleIn } from './roles.ts'
import { connectionOf } from './route-context.ts'
import type { RouteEnv, RoutePolicy, RouteState } from './types.ts'

/** What a policy needs to check a request. */
export interface PolicyDeps {
  store: Store
  catalogue: Catalogue
  audit: AuditLog
  clock: () => Date
  /** Largest accepted request body in bytes (default 1 MiB). */
  maxBodyBytes?: number
}

/** Makes the middleware that declares and enforces a route's policy. */
export type Policy = (declared: RoutePolicy) => MiddlewareHandler<RouteEnv>

const DECLARED = new WeakMap<object, RoutePolicy>()

/**
 * The policy a handler declares, when it is a policy middleware: what the start-up check looks for.
 *
 * @example
 * policyOf(route.handler)?.role // 'admin'
 */
export function policyOf(handler: unknown): RoutePolicy | undefined {
  return typeof handler === 'function' ? DECLARED.get(handler) : undefined
}

/**
 * The route policy factory. Each route passes its policy as per-route middleware where it is defined;
 * the middleware limits the body, authenticates the caller (unless public), checks the role and puts what
 * it read (the app, the caller's role, the connection when it had to look at it) on the context for the
 * handler. A refused request reads no body, writes nothing and calls no upstream.
 *
 * @example
 * const policy = createPolicy({ store, catalogue, audit, clock })
 * app.post('/:id/clone', policy({ role: 'admin', what: 'clone connections', audit: 'connection.created' }), handler)
 */
export function createPolicy(deps: PolicyDeps): Policy {
  for (const key of ['store', 'catalogue', 'audit', 'clock'] as const) {
    if (!deps[key]) throw new TypeError(`createPolicy: deps.${key} is required`)
  }
  const defaultLimit = deps.maxBodyBytes ?? 1024 * 1024
  const shared = { store: deps.store, catalogue: deps.catalogue, audit: deps.audit }

  return (declared) => {
    checkDeclaration(declared)
    const bodyLimit = declared.maxBodyBytes ?? defaultLimit
    const middleware: MiddlewareHandler<RouteEnv> = async (c, next) => {
      // A declared length past the limit is refused before anything else; a body without one is counted as the
      // handler reads it (readBody). The proxy streams bodies and counts them itself, against its own limit.
      const length = requestHeaders(c)['content-length']
      if (!declared.streamsBody && length !== undefined && Number(length) > bodyLimit) throw bodyTooLarge(bodyLimit)
      const route: RouteState = { policy: declared, deps: shared, bodyLimit }
      c.set('route', route)
      if (declared.role !== 'public') {
        await authenticateRequest(c, deps)
        await checkRole(c, declared, route, deps.store)
      }
      await next()
    }
    DECLARED.set(middleware, declared)
    return middleware
  }
}

/**
 * 413 for a request body past a route's limit.
 *
 * @example
 * throw bodyTooLarge(1024 * 1024)
 */
export function bodyTooLarge(limit: number): SwitchboardError {
  return new SwitchboardError(413, 'body_too_large', `The request body is larger than ${Math.round(limit / 1024)} KB. Send less.`)
}

function checkDeclaration(p: RoutePolicy): void {
  const app = p.role === 'member' || p.role === 'admin'
  if (p.shared !== undefined && !app) throw new TypeError(`policy: "shared" applies to the app roles, not to "${p.role}"`)
  if (p.orSelf !== undefined && p.role !== 'owner') throw new TypeError(`policy: "orSelf" applies to "owner", not to "${p.role}"`)
  if (typeof p.what === 'string' && p.what.trim() === '') throw new TypeError('policy: "what" says what the route does, for refusals')
  if (p.audit !== undefined && !app) throw new TypeError('policy: only app routes record audit entries (the trail is per app)')
}

async function checkRole(c: Context<RouteEnv>, p: RoutePolicy, route: RouteState, store: Store): Promise<void> {
  const user = c.get('user')
  const what = typeof p.what === 'function' ? p.what(c) : p.what
  switch (p.role) {
    case 'owner':
      if (!user.owner && !(p.orSelf !== undefined && c.req.param(p.orSelf) === user.id))
        throw forbidden(`Only the workspace owner can ${what}.`, { required: 'owner' })
      return
    case 'member-anywhere':
    case 'admin-anywhere': {
      const needed: AppRole = p.role === 'admin-anywhere' ? 'admin' : 'member'
      if (user.owner) return
      const apps = await store.find<AppRecord>('apps', 'byMember', { equals: [user.id] })
      if (apps.some((a) => atLeast(roleIn(a, user)!, needed))) return
      throw forbidden(
        needed === 'member'
          ? `To ${what} you need a role in an app (member or admin). Ask an app admin to add you.`
          : `To ${what} you need the app admin role in some app, or to be the workspace owner.`,
        { required: needed },
      )
    }
    case 'member':
    case 'admin': {
      const appId = c.req.param('appId') ?? ''
      const app = await store.get<AppRecord>('apps', appId, { shared: true })
      const role = app && roleIn(app, user)
      if (!app || !role) throw appNotFound(appId)
      route.app = app
      route.role = role
      let needed: AppRole = p.role
      // Only someone short of the shared role needs the connection looked at; it stays for the handler.
      if (p.shared && !atLeast(role, p.shared) && (await connectionOf(c)).record.sharing === 'shared') needed = p.shared
      if (!atLeast(role, needed)) {
        throw forbidden(`To ${what} in app "${app.name}" you need the app ${needed} role; you are a ${role}. Ask an app admin.`, {
          required: needed,
          role,
        })
      }
      return
    }
    default:
  }
}
