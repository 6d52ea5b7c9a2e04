import { Hono } from 'hono'
import type { CreateUser, IssuedToken, IssueToken, Me, Token, TokenList, User, UserList } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import type { Store } from '../../platform/store/index.ts'
import { idParam, type Policy, type RouteEnv } from '../access/index.ts'
import { createUser, issueToken, listTokens, listUsers, requireUser, revokeToken, tokenView, userView } from '../callers/index.ts'
import { readBody } from './body.ts'

/**
 * People and their API tokens. The owner invites users and issues their tokens (shown once, kept
 * hashed); app admins may list users to add them as members; everyone reads who they are, lists their
 * own tokens and revokes them.
 *
 * @example
 * app.route('/api', userRoutes({ policy, store, clock, publicUrl }))
 */
export function userRoutes(deps: { policy: Policy; store: Store; clock: () => Date; publicUrl: string }) {
  const { store, policy } = deps
  const now = () => deps.clock().toISOString()
  return (
    new Hono<RouteEnv>()
      .get('/me', policy({ role: 'signed-in', what: 'say who you are' }), (c) => c.json<Me>({ user: userView(c.get('user')) }))
      .get('/users', policy({ role: 'admin-anywhere', what: 'list users' }), async (c) =>
        c.json<UserList>({ users: (await listUsers(store)).map(userView) }),
      )
      .post('/users', policy({ role: 'owner', what: 'invite users' }), async (c) => {
        const body = await readBody<CreateUser>(c, 'CreateUser')
        if (body.name.trim() === '')
          throw new SwitchboardError(400, 'invalid_body', 'The body is not valid: name must not be blank.', {
            details: { errors: [{ path: '/name', keyword: 'pattern', message: 'name must not be blank' }] },
          })
        return c.json<User>(userView(await createUser(store, body, now())), 201)
      })
      .get('/users/:userId/tokens', policy({ role: 'owner', orSelf: 'userId', what: 'list the tokens of other users' }), async (c) => {
        const user = await requireUser(store, idParam(c, 'userId', 'user'))
        return c.json<TokenList>({ tokens: await listTokens(store, user.id) })
      })
      .post('/users/:userId/tokens', policy({ role: 'owner', what: 'issue API tokens' }), async (c) => {
        const user = await requireUser(store, idParam(c, 'userId', 'user'))
        const body = await readBody<IssueToken>(c, 'IssueToken')
        const { token, record } = await issueToken(store, user.id, body.name.trim(), { now: now() })
        c.header('Cache-Control', 'no-store')
        // Shown this once: only its hash is kept.
        return c.json<IssuedToken>({ token, signInUrl: `${deps.publicUrl}/signin?token=${token}`, ...tokenView(record) }, 201)
      })
      // Anyone revokes their own tokens, the owner anyone's; a token of someone else is not found.
      .delete('/tokens/:tokenId', policy({ role: 'signed-in', what: 'revoke tokens' }), async (c) => {
        const me = c.get('user')
        return c.json<Token>(await revokeToken(store, c.req.param('tokenId'), now(), (t) => me.owner || t.userId === me.id))
      })
  )
}
