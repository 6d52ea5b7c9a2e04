import { Hono, type Context } from 'hono'
import type { CreateUser, IssueToken } from '../../../schemas/types/api.ts'
import { forbidden, roleIn } from '../access/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import type { AppRecord } from '../../types.ts'
import { createUser, issueToken, listTokens, listUsers, requireUser, revokeToken, tokenView, userView, type AuthVariables } from '../callers/index.ts'
import { idParam, readBody } from './body.ts'

type Ctx = Context<{ Variables: AuthVariables }>

/**
 * People and their API tokens. The owner invites users and issues their tokens (shown once, kept
 * hashed); app admins may list users to add them as members; everyone lists and revokes their own
 * tokens. Who may call what beyond that is decided in `runtime/access`.
 *
 * @example
 * app.route('/api', userRoutes({ store, clock, publicUrl }))
 */
export function userRoutes(deps: { store: Store; clock: () => Date; publicUrl: string }) {
  const { store } = deps
  const now = () => deps.clock().toISOString()
  const selfOrOwner = (c: Ctx, userId: string, what: string) => {
    const me = c.get('user')
    if (!me.owner && me.id !== userId) throw forbidden(`Only the workspace owner can ${what} of other users.`, { required: 'owner' })
  }
  return new Hono<{ Variables: AuthVariables }>()
    .get('/users', async (c) => {
      const me = c.get('user')
      const adminSomewhere = me.owner || (await store.list<AppRecord>('apps', (a) => roleIn(a, me) === 'admin')).length > 0
      if (!adminSomewhere) throw forbidden('Listing users needs the app admin role in some app, or the workspace owner.', { required: 'admin' })
      return c.json({ users: (await listUsers(store)).map(userView) })
    })
    .post('/users', async (c) => {
      const body = await readBody<CreateUser>(c, 'CreateUser')
      if (body.name.trim() === '') throw new SwitchboardError(400, 'invalid_body', 'The body is not valid: name must not be blank.', { details: { errors: [{ path: '/name', keyword: 'pattern', message: 'name must not be blank' }] } })
      return c.json(userView(await createUser(store, body, now())), 201)
    })
    .get('/users/:userId/tokens', async (c) => {
      const userId = idParam(c, 'userId', 'user')
      selfOrOwner(c, userId, 'list the tokens')
      await requireUser(store, userId)
      return c.json({ tokens: await listTokens(store, userId) })
    })
    .post('/users/:userId/tokens', async (c) => {
      const user = await requireUser(store, idParam(c, 'userId', 'user'))
      const body = await readBody<IssueToken>(c, 'IssueToken')
      const { token, record } = await issueToken(store, user.id, body.name.trim(), { now: now() })
      c.header('Cache-Control', 'no-store')
      // Shown this once: only its hash is kept.
      return c.json({ token, signInUrl: `${deps.publicUrl}/signin?token=${token}`, ...tokenView(record) }, 201)
    })
    .delete('/tokens/:tokenId', async (c) => {
      const me = c.get('user')
      const tokenId = c.req.param('tokenId')
      return c.json(await revokeToken(store, tokenId, now(), (t) => me.owner || t.userId === me.id))
    })
}
