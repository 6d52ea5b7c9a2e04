/**
 * A throwaway PostgreSQL cluster: `initdb` in a temp directory as an unprivileged user (initdb and postgres
 * refuse to run as root), `postgres` on a free loopback port with its unix socket in that directory, stopped
 * and deleted at the end. Used by the test setup and the benchmarks; nothing here knows about vitest.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { chmod, chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import pg from 'pg'

/** The superuser initdb creates (trust authentication on loopback: a throwaway cluster). */
export const CLUSTER_USER = 'switchboard'

export const INSTALL_HINT =
  'PostgreSQL is not installed: no initdb on PATH nor in /usr/lib/postgresql/*/bin. The store tests start a throwaway ' +
  'PostgreSQL of their own. Install it: `apt-get install postgresql` (Debian/Ubuntu; .ci/run does this when initdb is ' +
  'missing), `dnf install postgresql-server`, or `brew install postgresql@16` (macOS).'

export interface ClusterOptions {
  /** Real fsync and full-page writes, for crash tests; off by default for speed (a crash may then lose data). */
  durable?: boolean
  /** Where to keep it; a new temp directory by default. Removed by {@link Cluster.destroy}. */
  dir?: string
}

/** A running cluster. */
export interface Cluster {
  readonly dir: string
  readonly port: number
  readonly durable: boolean
  /** `postgres://switchboard@127.0.0.1:<port>/<database>` */
  url(database: string): string
  /** Stops the server (fast shutdown: connections are ended); `start` brings it back on the same port. */
  stop(): Promise<void>
  start(): Promise<void>
  /** kill -9 of the postmaster, for crash tests. */
  crash(): Promise<void>
  /** Stops the server if running and deletes the directory. */
  destroy(): Promise<void>
}

/** The directory with initdb, pg_ctl and postgres, or an Error saying how to install them. */
export function findBinDir(): string {
  const has = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((tool) => existsSync(join(dir, tool)))
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const initdb = join(dir, 'initdb')
    if (dir !== '' && existsSync(initdb)) {
      const real = dirname(realpathSync(initdb))
      if (has(real)) return real
    }
  }
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : []
  for (const version of versions) if (has(join(root, version, 'bin'))) return join(root, version, 'bin')
  throw new Error(INSTALL_HINT)
}

/** As root: the uid and gid of `postgres` (Debian's package creates it) or else `nobody`. */
function unprivileged(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const users = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
  for (const name of ['postgres', 'nobody']) {
    const entry = users.find((fields) => fields[0] === name)
    if (entry) return { uid: Number(entry[2]), gid: Number(entry[3]) }
  }
  throw new Error(
    'Running as root, and there is neither a "postgres" nor a "nobody" user to run PostgreSQL as: create one (useradd --system postgres).',
  )
}

/** Runs a PostgreSQL tool as the unprivileged user; rejects with its output when it fails. */
function tool(bin: string, name: string, args: string[], cwd: string): Promise<string> {
  const user = unprivileged()
  return new Promise((resolve, reject) => {
    const child = spawn(join(bin, name), args, { cwd, ...user, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk))
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${name} ${args.join(' ')} exited with ${code}:\n${output}`)),
    )
  })
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise((done) => server.close(done))
  return port
}

/** Resolves once the server answers a query (pg_ctl -w has waited already; this makes sure over TCP). */
async function waitForQueries(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.query('SELECT 1')
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((done) => setTimeout(done, 200))
    } finally {
      await client.end().catch(() => {})
    }
  }
}

/**
 * Creates and starts a cluster.
 *
 * @example
 * const cluster = await startCluster({ durable: true })
 * const store = await createPostgresStore({ url: cluster.url('postgres') })
 * await cluster.destroy()
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const bin = findBinDir()
  const durable = options.durable === true
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'switchboard-pg-')))
  const data = join(dir, 'data')
  const user = unprivileged()
  await mkdir(dir, { recursive: true })
  await chmod(dir, 0o700)
  if (user) await chown(dir, user.uid, user.gid)
  await tool(
    bin,
    'initdb',
    ['-D', data, '-U', CLUSTER_USER, '--auth=trust', '-E', 'UTF8', '--locale=C', ...(durable ? [] : ['--no-sync'])],
    dir,
  )

  let port = 0
  let running = false
  const settings = [
    '-c listen_addresses=127.0.0.1',
    `-k ${dir}`,
    '-c max_connections=400',
    ...(durable ? ['-c fsync=on', '-c full_page_writes=on'] : ['-c fsync=off', '-c full_page_writes=off']),
  ]
  const pgCtl = (...args: string[]) => tool(bin, 'pg_ctl', ['-D', data, '-w', '-t', '300', ...args], dir)
  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      port ||= await freePort()
      try {
        await pgCtl('-l', join(dir, 'postgres.log'), '-o', [`-p ${port}`, ...settings].join(' '), 'start')
        break
      } catch (error) {
        const log = await readFile(join(dir, 'postgres.log'), 'utf8').catch(() => '')
        // Another process took the port between choosing and binding: choose again (only on first start).
        if (attempt < 5 && !running && /could not bind|already in use/i.test(log)) {
          port = 0
          continue
        }
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log.slice(-2000)}`)
      }
    }
    running = true
    await waitForQueries(`postgres://${CLUSTER_USER}@127.0.0.1:${port}/postgres`, 120_000)
  }
  await start()

  return {
    dir,
    get port() {
      return port
    },
    durable,
    url: (database) => `postgres://${CLUSTER_USER}@127.0.0.1:${port}/${database}`,
    async stop() {
      await pgCtl('-m', 'fast', 'stop')
    },
    start,
    async crash() {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
      process.kill(pid, 'SIGKILL')
      // Its backends notice the postmaster is gone and exit; wait for the pid file's server to be unreachable.
      while (await isAlive(pid)) await new Promise((done) => setTimeout(done, 50))
    },
    async destroy() {
      await stopClusterIn(dir)
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Stops whatever cluster `dir` holds, if it runs (immediate shutdown: it is thrown away next), without
 * needing the {@link Cluster} that started it, for a teardown in another process.
 *
 * @example
 * await stopClusterIn('/tmp/switchboard-pg-abc123')
 */
export async function stopClusterIn(dir: string): Promise<void> {
  if (!existsSync(join(dir, 'data', 'postmaster.pid'))) return
  await tool(findBinDir(), 'pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', '-t', '120', 'stop'], dir).catch(() => {})
}
