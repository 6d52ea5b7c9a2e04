import { openConfiguredStore, readConfig } from '../../../config.ts'
import { createUser, listUsers } from '../../../inbound/callers/index.ts'
import { readAll, type Store } from '../../../platform/store/index.ts'
import type { AppRecord } from '../../../types.ts'
import type { Io } from '../io.ts'

export const usage = `switchboard users <add|list>

  add <name> [--email <email>] [--app <appId> [--role member|admin]]   invite a user, optionally into an app
  list                                                                 everyone, with their apps and roles
Runs on the data directory (SWITCHBOARD_DATA_DIR); stop the runtime first. Issue a token with
"switchboard tokens issue <userId>".`

/**
 * Opens the store of the data directory for a command; a running runtime holds its lock, and the
 * store's own message says so.
 *
 * @example
 * return withStore(io, async (store) => { … return 0 })
 */
export async function withStore(io: Io, work: (store: Store) => Promise<number>): Promise<number> {
  let store: Store
  try {
    store = await openConfiguredStore(readConfig(process.env), (level, message) => {
      if (level === 'warn') io.err(message)
    })
  } catch (error) {
    return io.fail((error as Error).message)
  }
  try {
    return await work(store)
  } catch (error) {
    return io.fail((error as Error).message)
  } finally {
    await store.close()
  }
}

/** The value after `--name`, if given. */
export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i === -1 ? undefined : args[i + 1]
}

/**
 * `switchboard users add|list`: the owner's offline way to invite people and see who has access.
 *
 * @example
 * await usersCommand(['add', 'Ada', '--email', 'ada@example.com', '--app', 'default'], io)
 */
export async function usersCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'add') {
    const name = rest[0]
    const role = option(rest, '--role') ?? 'member'
    const appId = option(rest, '--app')
    const email = option(rest, '--email')
    if (!name || name.startsWith('--') || name.trim() === '') return io.fail(`name the user\n\n${usage}`, 2)
    if (role !== 'member' && role !== 'admin') return io.fail('--role must be "member" or "admin"', 2)
    return withStore(io, async (store) => {
      if (appId !== undefined && !(await store.get<AppRecord>('apps', appId))) return io.fail(`there is no app "${appId}"`)
      const user = await createUser(store, { name, ...(email === undefined ? {} : { email }) }, new Date().toISOString())
      if (appId !== undefined) {
        await store.update<AppRecord>(
          'apps',
          appId,
          (app) => app && { ...app, members: [...app.members.filter((m) => m.userId !== user.id), { userId: user.id, role }] },
        )
      }
      io.out(
        `Added ${user.name} as ${user.id}${appId === undefined ? '' : `, ${role} of app "${appId}"`}. Issue a token: switchboard ` +
          `tokens issue ${user.id}`,
      )
      return 0
    })
  }
  if (sub === 'list') {
    return withStore(io, async (store) => {
      const apps = await readAll<AppRecord>(store, 'apps')
      for (const user of await listUsers(store)) {
        const roles = apps.flatMap((a) => a.members.filter((m) => m.userId === user.id).map((m) => `${a.id}:${m.role}`))
        const email = user.email ? ` <${user.email}>` : ''
        io.out(`${user.id}  ${user.name}${email}${user.owner ? '  (owner)' : ''}${roles.length ? `  ${roles.join(', ')}` : ''}`)
      }
      return 0
    })
  }
  return io.fail(`name a subcommand\n\n${usage}`, 2)
}
