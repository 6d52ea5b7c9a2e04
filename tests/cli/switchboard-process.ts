/**
 * The `switchboard` command as people run it, in its own process: a command that runs to its end, and
 * `switchboard serve` that runs until it is stopped.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { repo } from '../runtime/harness.ts'

const bin = join(repo, 'bin/switchboard.js')

/** This process's environment without anything that would change how the command runs, plus `env`. */
export function childEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('SWITCHBOARD_') && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'PORT' && key !== 'HOST')
      out[key] = value
  }
  return { ...out, ...env }
}

export interface Finished {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `switchboard <args>` to its end.
 *
 * @example
 * const { code, stdout } = await switchboard(['store', 'migrate', '--from', dir, '--to', url])
 */
export function switchboard(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repo, env: childEnv(env), timeout: 240_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

export interface Served {
  child: ChildProcess
  /** `http://127.0.0.1:<port>` */
  origin: string
  lines: string[]
  stderr: string[]
  /** The first stdout line that matches, as it comes. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

/**
 * Starts `switchboard serve` on a port of its choosing and resolves once it listens; rejects with its output
 * when it exits first.
 *
 * @example
 * const served = await serve({ SWITCHBOARD_DATABASE_URL: url, SWITCHBOARD_MASTER_KEY: key, SWITCHBOARD_DATA_DIR: dir })
 */
export function serve(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: repo,
    env: childEnv({ PORT: '0', HOST: '127.0.0.1', SWITCHBOARD_ALLOWED_HOSTS: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const stderr: string[] = []
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)))
  const output = () => `${lines.join('\n')}\n${stderr.join('\n')}`
  const waiters = new Set<(line: string) => void>()
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const seen = lines.map((line) => pattern.exec(line)).find((match) => match !== null)
      if (seen) return resolve(seen)
      const waiter = (line: string) => {
        const match = pattern.exec(line)
        if (!match) return
        waiters.delete(waiter)
        resolve(match)
      }
      waiters.add(waiter)
      void exited.then((code) => reject(new Error(`switchboard serve exited (${code}) before printing ${pattern}:\n${output()}`)))
    })
  createInterface({ input: child.stderr! }).on('line', (line) => void stderr.push(line))
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line)
    for (const waiter of waiters) waiter(line)
  })
  return waitFor(/^Switchboard is running on http:\/\/localhost:(\d+) /).then(([, port]) => ({
    child,
    origin: `http://127.0.0.1:${port}`,
    lines,
    stderr,
    waitFor,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }))
}
