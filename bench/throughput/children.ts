import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

/** A benchmark process and the first line it printed. */
export interface Child {
  line: string
  /** The process id, to read its CPU time. */
  pid: number
  stop(): Promise<void>
}

/**
 * Starts `bench/throughput/<file>` in a Node process of its own (through the TypeScript runner) and waits for
 * its first line on stdout, which says where it listens.
 *
 * @example
 * const upstream = await startChild('upstream.ts')
 * const port = Number(upstream.line.split(' ')[1])
 */
export function startChild(file: string, args: string[] = []): Promise<Child> {
  // BENCH_PROFILE=<dir> profiles the runtime process while it is measured (runtime.ts), to name the top frames.
  const child: ChildProcess = spawn(process.execPath, ['bin/run-ts.js', `bench/throughput/${file}`, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((done, fail) => {
    let out = ''
    child.once('exit', (code) => fail(new Error(`${file} exited (${code}) before it was ready`)))
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const end = out.indexOf('\n')
      if (end === -1) return
      child.removeAllListeners('exit')
      done({
        line: out.slice(0, end),
        pid: child.pid!,
        stop: () =>
          new Promise<void>((stopped) => {
            if (child.exitCode !== null) return stopped()
            child.once('exit', () => stopped())
            child.kill('SIGTERM')
            setTimeout(() => child.kill('SIGKILL'), 5000).unref()
          }),
      })
    })
  })
}
