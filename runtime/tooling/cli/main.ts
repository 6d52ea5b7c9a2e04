import * as importer from './commands/import.ts'
import * as keys from './commands/keys.ts'
import * as serve from './commands/serve.ts'
import * as store from './commands/store.ts'
import * as tokens from './commands/tokens.ts'
import * as types from './commands/types.ts'
import * as users from './commands/users.ts'
import * as validate from './commands/validate.ts'
import { type Io, processIo } from './io.ts'

type Command = (args: string[], io: Io) => Promise<number>

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  validate: { run: validate.validateCommand, usage: validate.usage },
  types: { run: types.typesCommand, usage: types.usage },
  import: { run: importer.importCommand, usage: importer.usage },
  serve: { run: serve.serveCommand, usage: serve.usage },
  keys: { run: keys.keysCommand, usage: keys.usage },
  users: { run: users.usersCommand, usage: users.usage },
  tokens: { run: tokens.tokensCommand, usage: tokens.usage },
  store: { run: store.storeCommand, usage: store.usage },
}

/**
 * The `switchboard` command line: dispatches to a subcommand and returns the exit code.
 *
 * @example
 * process.exitCode = await main(['validate', 'connectors/github.json'])
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help())
    return name === undefined ? 2 : 0
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!command) return io.fail(`unknown command "${name}"\n\n${help()}`, 2)
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage)
    return 0
  }
  return command.run(args, io)
}

function help(): string {
  return `usage: switchboard <command> [options]

commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.split('\n')[0]}`)
  .join('\n')}

Run "switchboard <command> --help" for details.`
}
