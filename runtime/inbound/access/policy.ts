import type { AppRole } from '../../types.ts'

/** Who may call a route inside an app (`/api/apps/:appId…`). */
export interface AppRule {
  /** HTTP method, or `*` for any. */
  method: string
  /** Path after `/api/apps/:appId`; `:name` is one segment, a trailing `*` anything below. */
  path: string
  role: AppRole
  /** The role needed when the connection in the path is shared (its credentials serve everyone). */
  shared?: AppRole
  /** What the route does, for the refusal's message ("To <what> …"). */
  what: string
}

/**
 * Every route under an app and the role it needs. A route missing here needs the admin role, so a
 * new route is closed until someone decides who may call it.
 */
export const APP_RULES: readonly AppRule[] = [
  { method: 'GET', path: '', role: 'member', what: 'read the app' },
  { method: 'PATCH', path: '', role: 'admin', what: "change the app's name or the actions it uses" },
  { method: 'PUT', path: '/members/:userId', role: 'admin', what: 'add members or change their role' },
  { method: 'DELETE', path: '/members/:userId', role: 'admin', what: 'remove members' },
  { method: 'GET', path: '/audit', role: 'admin', what: 'read the audit trail' },
  { method: 'GET', path: '/needs', role: 'member', what: 'check which connections the app has' },
  { method: 'GET', path: '/connections', role: 'member', what: 'list connections' },
  { method: 'POST', path: '/connections', role: 'admin', what: 'add connections' },
  { method: 'GET', path: '/connections/:id', role: 'member', what: 'read connections' },
  { method: 'PATCH', path: '/connections/:id', role: 'admin', what: "change a connection's name, base URL, fields or sharing" },
  { method: 'DELETE', path: '/connections/:id', role: 'admin', what: 'delete connections' },
  { method: 'POST', path: '/connections/:id/clone', role: 'admin', what: 'clone connections' },
  { method: 'PUT', path: '/connections/:id/credentials', role: 'member', shared: 'admin', what: 'connect a shared connection (its credentials serve everyone)' },
  { method: 'DELETE', path: '/connections/:id/credentials', role: 'member', shared: 'admin', what: 'unauthorize a shared connection' },
  { method: 'GET', path: '/connections/:id/oauth/authorize', role: 'member', shared: 'admin', what: 'authorize a shared connection (its tokens serve everyone)' },
  { method: 'POST', path: '/connections/:id/test', role: 'member', what: 'test connections' },
  { method: 'POST', path: '/connections/:id/actions/:actionKey', role: 'member', what: 'run actions' },
  { method: 'GET', path: '/connections/:id/runs', role: 'member', what: 'list runs' },
  { method: '*', path: '/connections/:id/proxy', role: 'member', what: 'send requests through connections' },
  { method: '*', path: '/connections/:id/proxy/*', role: 'member', what: 'send requests through connections' },
]

/** A workspace route that only the owner may call. */
export interface OwnerRule {
  method: string
  /** Path from `/api`; same pattern language as {@link AppRule.path}. */
  path: string
  what: string
}

/** Workspace-wide routes reserved to the owner: the catalogue's custom connectors, OAuth apps, inviting people. */
export const OWNER_RULES: readonly OwnerRule[] = [
  { method: 'POST', path: '/api/connectors', what: 'create custom connectors' },
  { method: 'PUT', path: '/api/connectors/:id', what: 'change custom connectors' },
  { method: 'DELETE', path: '/api/connectors/:id', what: 'delete custom connectors' },
  { method: 'PUT', path: '/api/connectors/:id/oauth-app', what: 'change OAuth apps' },
  { method: 'DELETE', path: '/api/connectors/:id/oauth-app', what: 'delete OAuth apps' },
  { method: 'POST', path: '/api/users', what: 'invite users' },
  { method: 'POST', path: '/api/users/:id/tokens', what: 'issue API tokens' },
]

/**
 * Workspace routes that need the owner or a role (member or admin) in at least one app: they send
 * requests to upstream hosts, including those in `SWITCHBOARD_ALLOWED_HOSTS`, which a sign-in alone
 * must not reach.
 */
export const APP_ROLE_RULES: readonly OwnerRule[] = [
  { method: 'POST', path: '/api/connectors/test', what: 'test draft connectors' },
]

/** A matched rule and the path's named segments. */
export interface Match<R> {
  rule: R
  params: Record<string, string>
}

const compiled = new Map<string, { regex: RegExp; names: string[] }>()

function compile(path: string): { regex: RegExp; names: string[] } {
  let entry = compiled.get(path)
  if (!entry) {
    const names: string[] = []
    const source = path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => {
      names.push(name)
      return '([^/]+)'
    }).replace(/\/\*$/, '/.*')
    entry = { regex: new RegExp(`^${source}/?$`), names }
    compiled.set(path, entry)
  }
  return entry
}

/**
 * The first rule matching a method and path, with the path's named segments.
 *
 * @example
 * matchRule(APP_RULES, 'DELETE', '/connections/c_1') // { rule: { role: 'admin', … }, params: { id: 'c_1' } }
 */
export function matchRule<R extends { method: string; path: string }>(rules: readonly R[], method: string, path: string): Match<R> | undefined {
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase()
  for (const rule of rules) {
    if (rule.method !== '*' && rule.method !== verb) continue
    const { regex, names } = compile(rule.path)
    const found = regex.exec(path)
    if (found) return { rule, params: Object.fromEntries(names.map((name, i) => [name, decode(found[i + 1]!)])) }
  }
  return undefined
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
