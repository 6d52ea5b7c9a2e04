/**
 * Several runtime replicas on one PostgreSQL database, as people run them behind a load balancer: each one is
 * `switchboard serve` in its own process (PORT=0, its own empty data directory), all with the same database,
 * master key and public URL. Every process started here is SIGKILLed by `stop`, and by this process's exit if a
 * test never got that far, so none outlives the run. Nothing here knows about vitest: the benchmarks use it too.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { Agent, fetch } from 'undici'

const repo = resolve(import.meta.dirname, '../..')

/** One `switchboard serve` process. */
export interface Replica {
  /** `A`, `B`, `C`, … in start order. */
  readonly name: string
  /** `http://127.0.0.1:<port>`: where this replica listens (not the shared public URL); known once `ready`. */
  readonly origin: string
  /** Resolves once the replica listens and has settled the workspace (its "running" line). */
  readonly ready: Promise<void>
  readonly process: ChildProcess
  /** Every stdout line so far, and every stderr line. */
  readonly lines: string[]
  readonly stderr: string[]
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>
  /** Resolves with the first stdout line matching `test`, past or future; rejects if the process exits first. */
  waitFor(test: RegExp): Promise<RegExpExecArray>
  alive(): boolean
  /** Whether `kill` was called: it did not end by itself. */
  readonly killed: boolean
  /** kill -9, and waits until the process is gone. */
  kill(): Promise<void>
}

/** What an API call answered; bodies are read loosely, shapes are checked where it matters. */
export interface Answer {
  status: number
  text: string
  body: any
  location: string | null
}

export interface ReplicasOptions {
  databaseUrl: string
  /** How many replicas (default 3). */
  count?: number
  /** The one public URL every replica is configured with (the load balancer's); default a name no one resolves. */
  publicUrl?: string
  /** More environment for every replica. */
  env?: Record<string, string>
}

/** Replicas sharing one database, and the owner's token to call them with. */
export interface Replicas {
  readonly all: Replica[]
  readonly publicUrl: string
  /** The owner's API token, read from the one sign-in link the first start printed. */
  readonly ownerToken: string
  /** Base64 of the master key every replica got. */
  readonly masterKey: string
  /** Sends an API call to one replica as the owner (or with `token`); never follows redirects. */
  call(replica: Replica, method: string, path: string, options?: { body?: unknown; token?: string | null }): Promise<Answer>
  /** Replicas that ended without being killed here, each with the end of what it wrote to stderr. */
  crashed(): string[]
  /** kill -9 of every replica still running, and their data directories removed. */
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
// A test file that fails before its afterAll, or a benchmark that throws, still leaves nothing running.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Starts the replicas together on the database (so migrations and the first owner are settled between them, as
 * when a deployment starts), waits until each one listens, and reads the owner's token from the one that
 * created the workspace.
 *
 * @example
 * const replicas = await startReplicas({ databaseUrl: await freshDatabase() })
 * const [a, b] = replicas.all
 * await replicas.call(a!, 'GET', '/api/me')
 * await replicas.stop()
 */
export async function startReplicas(options: ReplicasOptions): Promise<Replicas> {
  const count = options.count ?? 3
  const publicUrl = options.publicUrl ?? 'http://switchboard.replicas.test'
  const masterKey = randomBytes(32).toString('base64')
  const dirs: string[] = []
  const all: Replica[] = []
  const stop = async () => {
    await Promise.all(all.map((replica) => replica.kill()))
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  }
  try {
    for (let i = 0; i < count; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'switchboard-replica-'))
      dirs.push(dir)
      const env = {
        ...cleanEnv(),
        PORT: '0',
        HOST: '127.0.0.1',
        SWITCHBOARD_DATA_DIR: dir,
        SWITCHBOARD_DATABASE_URL: options.databaseUrl,
        SWITCHBOARD_MASTER_KEY: masterKey,
        SWITCHBOARD_PUBLIC_URL: publicUrl,
        SWITCHBOARD_ALLOWED_HOSTS: '127.0.0.1',
        ...options.env,
      }
      all.push(spawnReplica(String.fromCharCode(65 + i), env))
    }
    await Promise.all(all.map((r) => r.ready))
    // Exactly one replica creates the owner and prints the link; it prints it right after its "running" line.
    const signIn = /^Sign in: \S+\?token=(sb_[A-Za-z0-9_-]+)$/
    const [, ownerToken] = await Promise.race(all.map((r) => r.waitFor(signIn)))
    return {
      all,
      publicUrl,
      ownerToken: ownerToken!,
      masterKey,
      crashed: () => all.filter((r) => !r.alive() && !r.killed).map((r) => `${r.name}: ${r.stderr.slice(-20).join('\n')}`),
      call: (replica, method, path, call = {}) =>
        callReplica(replica, method, path, call.token === undefined ? ownerToken! : call.token, call.body),
      stop,
    }
  } catch (error) {
    const output = all.map((r) => `--- ${r.name}\n${[...r.lines, ...r.stderr].join('\n')}`).join('\n')
    await stop()
    throw new Error(`${(error as Error).message}\n${output}`)
  }
}

/** This process's environment without anything that would change how a replica starts. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('SWITCHBOARD_') && !key.startsWith('VITEST') && !['NODE_OPTIONS', 'PORT', 'HOST'].includes(key)) env[key] = value
  }
  return env
}

function spawnReplica(name: string, env: NodeJS.ProcessEnv): Replica {
  const child = spawn(process.execPath, [join(repo, 'bin/switchboard.js'), 'serve'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  const lines: string[] = []
  const stderr: string[] = []
  const waiters = new Set<(line: string) => void>()
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line)
    for (const waiter of [...waiters]) waiter(line)
  })
  createInterface({ input: child.stderr! }).on('line', (line) => void stderr.push(line))
  const exited = new Promise<number | null>((done) =>
    child.on('close', (code) => {
      running.delete(child)
      done(code)
    }),
  )
  const alive = () => child.exitCode === null && child.signalCode === null
  const waitFor = (test: RegExp) => {
    for (const line of lines) {
      const match = test.exec(line)
      if (match) return Promise.resolve(match)
    }
    return new Promise<RegExpExecArray>((done, fail) => {
      const waiter = (line: string) => {
        const match = test.exec(line)
        if (!match) return
        waiters.delete(waiter)
        done(match)
      }
      waiters.add(waiter)
      void exited.then((code) => {
        if (waiters.delete(waiter)) fail(new Error(`replica ${name} exited (${code}) before printing ${test}: ${stderr.join('\n')}`))
      })
    })
  }
  let origin = ''
  let killed = false
  const ready = waitFor(/^Switchboard is running on http:\/\/localhost:(\d+) /).then(
    ([, port]) => void (origin = `http://127.0.0.1:${port}`),
  )
  // A replica that dies before it is ready is reported by startReplicas; this keeps the rejection from being unhandled.
  ready.catch(() => {})
  return {
    name,
    get origin() {
      return origin
    },
    ready,
    get killed() {
      return killed
    },
    process: child,
    lines,
    stderr,
    exited,
    alive,
    waitFor,
    async kill() {
      killed = true
      if (alive()) child.kill('SIGKILL')
      await exited
    },
  }
}

// A connection per call: a kept-alive one that sat idle through a long burst on a loaded machine may have been
// closed by the replica (its keep-alive timeout) before this side noticed, and the next call on it fails. That
// race is HTTP/1.1's, not the runtime's; a load balancer retries it, a test must not depend on it.
const noKeepAlive = new Agent({ pipelining: 0 })

async function callReplica(replica: Replica, method: string, path: string, token: string | null, body: unknown): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${replica.origin}${path}`, {
    method,
    headers,
    redirect: 'manual',
    dispatcher: noKeepAlive,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  const json = (res.headers.get('content-type') ?? '').includes('json') && text !== ''
  return { status: res.status, text, body: json ? JSON.parse(text) : text, location: res.headers.get('location') }
}
