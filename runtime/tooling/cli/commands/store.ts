import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { readConfig } from '../../../config.ts'
import type { Store, StoreLog } from '../../../platform/store/index.ts'
import {
  COLLECTION_NAMES,
  type CopyProgress,
  clearStore,
  copyStore,
  countRecords,
  digestStore,
  openLocation,
  parseLocation,
  type StoreDigest,
  type StoreLocation,
  sameLocation,
} from '../../store-migration/index.ts'
import type { Io } from '../io.ts'

export const usage = `switchboard store migrate --from <dir|url> --to <dir|url> [--force]

Copies every record of every collection from one store to another, sealed credentials as they are (nothing is
decrypted), then checks that both hold the same: counts per collection and a SHA-256 over every record.
  <dir>   a data directory (the embedded store); no runtime may be using it
  <url>   a PostgreSQL database, postgres://user:password@host:5432/database
  --force delete what the target holds first (without it, a target that is not empty is refused)
Stop every runtime using either store first. Pool settings: SWITCHBOARD_DATABASE_CONNECT_TIMEOUT_MS and the like.
A runtime on the target needs the same master key (SWITCHBOARD_MASTER_KEY or the key file) to open credentials.`

interface MigrateArgs {
  from: string
  to: string
  force: boolean
}

/** `--from`, `--to` (as `--to x` or `--to=x`) and `--force`, or what is wrong with the arguments. */
function parseArgs(args: string[]): MigrateArgs | string {
  const values: Partial<Record<'--from' | '--to', string>> = {}
  let force = false
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i]!.startsWith('--') && args[i]!.includes('=') ? args[i]!.split(/=(.*)/s) : [args[i]!, undefined]
    if (name === '--force' && inline === undefined) {
      force = true
      continue
    }
    if (name !== '--from' && name !== '--to') return `unknown argument "${args[i]}"`
    if (values[name] !== undefined) return `${name} is given twice`
    const value = inline ?? args[++i]
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      return `${name} needs a data directory or a postgres:// URL`
    values[name] = value
  }
  if (values['--from'] === undefined || values['--to'] === undefined) return 'name both stores: --from <dir|url> --to <dir|url>'
  return { from: values['--from'], to: values['--to'], force }
}

/**
 * `switchboard store migrate`: moves a workspace between the embedded store and PostgreSQL (or between two of
 * either). Exit 0 when the target holds exactly what the source holds, 1 when a store cannot be opened, is
 * not empty (without `--force`) or the check fails, 2 for bad arguments.
 *
 * @example
 * await storeCommand(['migrate', '--from', './data', '--to', 'postgres://sb@db:5432/switchboard'], io)
 */
export async function storeCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'migrate') return io.fail(`name a subcommand\n\n${usage}`, 2)
  const parsed = parseArgs(rest)
  if (typeof parsed === 'string') return io.fail(`${parsed}\n\n${usage}`, 2)
  let from: StoreLocation
  let to: StoreLocation
  let pool: ReturnType<typeof readConfig>['databasePool']
  try {
    from = parseLocation(parsed.from, '--from')
    to = parseLocation(parsed.to, '--to')
    pool = readConfig(process.env).databasePool
  } catch (error) {
    return io.fail((error as Error).message, 2)
  }
  if (await sameLocation(from, to)) return io.fail(`--from and --to name the same store (${from.label})`, 2)

  const log: StoreLog = (level, message) => void (level === 'warn' && io.err(message))
  const opened: Store[] = []
  try {
    for (const [location, role, option] of [
      [from, 'source', '--from'],
      [to, 'target', '--to'],
    ] as const) {
      try {
        opened.push(await openLocation(location, { role, log, pool }))
      } catch (error) {
        // The engines' messages point at the variable the runtime reads; here the URL came from an argument.
        return io.fail(`${option}: ${(error as Error).message.replace(/SWITCHBOARD_DATA(BASE_URL|_DIR)/g, option)}`)
      }
    }
    return await migrate(opened[0]!, opened[1]!, { from, to, force: parsed.force }, io)
  } finally {
    await Promise.allSettled(opened.map((store) => store.close()))
  }
}

async function migrate(source: Store, target: Store, run: { from: StoreLocation; to: StoreLocation; force: boolean }, io: Io) {
  const { from, to } = run
  let writing = false
  try {
    const held = await countRecords(target)
    const holding = COLLECTION_NAMES.filter((c) => held[c] > 0).map((c) => `${c} ${held[c]}`)
    if (holding.length > 0 && !run.force) {
      return io.fail(
        `${to.label} is not empty (${holding.join(', ')}). Migrate into an empty store, or add --force to delete what it holds first.`,
      )
    }
    writing = true
    if (holding.length > 0) io.err(`Deleting what ${to.label} holds (${holding.join(', ')}), as --force asks…`)
    if (holding.length > 0) await clearStore(target)
    const totals = await countRecords(source)
    const sum = COLLECTION_NAMES.reduce((n, c) => n + totals[c], 0)
    io.err(`Copying ${sum} records from ${from.label} to ${to.label}…`)
    await copyStore(source, target, { totals, onProgress: (progress) => report(progress, io) })
    io.err('Verifying…')
    const [a, b] = await Promise.all([digestStore(source), digestStore(target)])
    for (const line of table(a, b)) io.out(line)
    const differ = COLLECTION_NAMES.filter((c) => a.collections[c].sha256 !== b.collections[c].sha256)
    if (differ.length > 0) {
      return io.fail(
        `The target does not hold what the source holds (${differ.join(', ')}): was a runtime writing to either store? ` +
          'Stop every runtime using them and run again with --force.',
      )
    }
    io.out(`Migrated ${sum} records from ${from.label} to ${to.label}: counts and checksums match.`)
    io.out(keyNote(from))
    return 0
  } catch (error) {
    const partly = writing ? ` ${to.label} may hold part of the store now: run again with --force to start over.` : ''
    return io.fail(`The migration stopped: ${(error as Error).message}${partly}`)
  }
}

/** One collection's progress: a line rewritten in place on a terminal, a summary line per collection otherwise. */
function report(progress: CopyProgress, io: Io): void {
  const { collection, done, total, finished } = progress
  if (finished) {
    const line = `  ${collection}: ${done} record${done === 1 ? '' : 's'} copied`
    if (io.progress) io.progress(line, true)
    else io.err(line)
  } else {
    io.progress?.(`  ${collection}: ${done} of ${total} (${Math.floor((done / Math.max(total, 1)) * 100)}%)`)
  }
}

/** Counts side by side, a mark where a collection differs, and both checksums. */
function table(a: StoreDigest, b: StoreDigest): string[] {
  const row = (name: string, x: number | string, y: number | string, mark = '') =>
    `  ${name.padEnd(14)}${String(x).padStart(10)}${String(y).padStart(10)}${mark}`
  const total = (d: StoreDigest) => COLLECTION_NAMES.reduce((n, c) => n + d.collections[c].count, 0)
  return [
    row('collection', 'from', 'to'),
    ...COLLECTION_NAMES.map((c) =>
      row(c, a.collections[c].count, b.collections[c].count, a.collections[c].sha256 === b.collections[c].sha256 ? '' : '  differs'),
    ),
    row('total', total(a), total(b)),
    `  SHA-256 from  ${a.sha256}`,
    `  SHA-256 to    ${b.sha256}`,
  ]
}

/** The master key is not in the store: say where the source's is, since the target's runtime needs it. */
function keyNote(from: StoreLocation): string {
  const file = from.engine === 'embedded' && existsSync(join(from.dir, 'master.keys')) ? join(from.dir, 'master.keys') : undefined
  return (
    'Credentials were copied sealed: start the runtime on the target with the same master key ' +
    `(SWITCHBOARD_MASTER_KEY${file ? `, or the key file ${file} copied into its data directory` : ''}).`
  )
}
