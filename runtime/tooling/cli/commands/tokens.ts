import { issueToken, listTokens, requireUser, revokeToken } from '../../../inbound/callers/index.ts'
import type { Io } from '../io.ts'
import { option, withStore } from './users.ts'

export const usage = `switchboard tokens <issue|list|revoke>

  issue <userId> [--name <what it is for>]   a new API token, printed once (only its hash is kept)
  list <userId>                              the user's tokens: name, created, last used, revoked
  revoke <tokenId>                           revoke a token by the id "list" shows
Runs on the data directory (SWITCHBOARD_DATA_DIR); stop the runtime first.`

/**
 * `switchboard tokens issue|list|revoke`: the owner's offline way to hand out and withdraw API tokens.
 *
 * @example
 * await tokensCommand(['issue', 'u_123', '--name', 'CI'], io) // prints the token once
 */
export async function tokensCommand(args: string[], io: Io): Promise<number> {
  const [sub, target, ...rest] = args
  if (!['issue', 'list', 'revoke'].includes(sub ?? '')) return io.fail(`name a subcommand\n\n${usage}`, 2)
  if (!target || target.startsWith('--')) return io.fail(`name the ${sub === 'revoke' ? 'token' : 'user'}\n\n${usage}`, 2)
  return withStore(io, async (store) => {
    const now = new Date().toISOString()
    if (sub === 'revoke') {
      const token = await revokeToken(store, target, now)
      io.out(`Revoked "${token.name}" (${token.id.slice(0, 12)}…) of ${token.userId}.`)
      return 0
    }
    const user = await requireUser(store, target)
    if (sub === 'issue') {
      const { token } = await issueToken(store, user.id, option(rest, '--name') ?? 'API token', { now })
      io.out(token)
      io.err(`Issued for ${user.name}; shown once. Sign-in link: <public URL>/signin?token=<token>`)
      return 0
    }
    for (const t of await listTokens(store, user.id)) {
      io.out(
        `${t.id}  ${t.kind}  "${t.name}"  created ${t.createdAt}  last used ` +
          `${t.lastUsedAt ?? 'never'}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}`,
      )
    }
    return 0
  })
}
