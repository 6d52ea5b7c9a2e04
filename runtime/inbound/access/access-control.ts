import type { Context, MiddlewareHandler } from 'hono'
import type { Catalogue } from '../../core/catalogue/index.ts'
import { fieldDefinitions, pickAuthMethod } from '../../core/requests/index.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRole, ConnectionRecord, FieldValue } from '../../types.ts'
import type { AuthVariables } from '../callers/index.ts'
import { APP_ROLE_RULES, APP_RULES, matchRule, OWNER_RULES } from './policy.ts'
import { forbidden, requireOwner, requireRole, requireSomeRole } from './roles.ts'

type Ctx = Context<{ Variables: AuthVariables }>

const APP_PATH = /^\/api\/apps\/([^/]+)(\/.*)?$/

/**
 * The one place where roles are checked, for every authenticated `/api` route: app routes by the role
 * {@link APP_RULES} names (stricter on shared connections), workspace routes by {@link OWNER_RULES} and
 * {@link APP_ROLE_RULES}.
 * Runs before any handler, so a refused request reads no body, writes nothing and calls no upstream.
 *
 * @example
 * app.use('/api/*', authenticate({ store, clock }))
 * app.use('/api/*', accessControl({ store, catalogue }))
 */
export function accessControl(deps: { store: Store; catalogue: Catalogue }): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const inApp = APP_PATH.exec(c.req.path)
    if (inApp) {
      const appId = inApp[1]!
      const match = matchRule(APP_RULES, c.req.method, inApp[2] ?? '')
      let needed: AppRole = match?.rule.role ?? 'admin'
      const connection = match?.params.id === undefined ? undefined : await deps.store.get<ConnectionRecord>('connections', match.params.id)
      const inThisApp = connection?.appId === appId ? connection : undefined
      if (match?.rule.shared && inThisApp?.sharing === 'shared') needed = match.rule.shared
      const { role } = await requireRole(c, deps.store, appId, needed, match?.rule.what ?? `call ${c.req.method} ${c.req.path}`)
      if (role !== 'admin' && inThisApp && c.req.method === 'PUT' && match?.rule.path.endsWith('/credentials')) {
        await checkOwnCredentials(c, deps.catalogue, inThisApp)
      }
    } else {
      const match = matchRule(OWNER_RULES, c.req.method, c.req.path)
      if (match) requireOwner(c, match.rule.what)
      const anyApp = matchRule(APP_ROLE_RULES, c.req.method, c.req.path)
      if (anyApp) await requireSomeRole(c, deps.store, anyApp.rule.what)
    }
    await next()
  }
}

/**
 * A member connecting their personal credentials sets their own values of the auth method's fields
 * (secrets, and plain ones such as the email of Basic auth). The auth method and the connection's
 * fields (subdomain, region, base URL…) are shared by every member's requests: a member who could
 * change them could aim other people's credentials at another host.
 */
async function checkOwnCredentials(c: Ctx, catalogue: Catalogue, record: ConnectionRecord): Promise<void> {
  let body: { authMethod?: unknown; values?: Record<string, FieldValue> }
  try {
    // Read as text: Hono keeps it, and the route reads and validates the same text afterwards.
    body = JSON.parse(await c.req.text()) as typeof body
  } catch {
    return
  }
  if (body === null || typeof body !== 'object') return
  const refuse = (change: string) => forbidden(`Changing ${change} of a connection needs the app admin role; a member sends only their own credentials.`, { required: 'admin', role: 'member' })
  if (body.authMethod !== undefined && body.authMethod !== record.authMethod) throw refuse('the auth method')
  const { connector } = await catalogue.get(record.connectorId)
  const method = pickAuthMethod(connector, record.authMethod)
  const fields = fieldDefinitions(connector, method)
  // The auth method's own plain fields (the email of Basic auth) are the member's, kept with their
  // credentials; only the connection's fields are shared.
  const own = new Set((method.fields ?? []).map((f) => f.key))
  for (const [key, value] of Object.entries(body.values ?? {})) {
    const field = fields.get(key)
    if (field && field.type !== 'secret' && !own.has(key) && value !== record.fields[key]) throw refuse(`"${field.label ?? key}"`)
  }
}
