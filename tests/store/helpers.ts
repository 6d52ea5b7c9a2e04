import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach } from 'vitest'
import type { StoreLog } from '../../runtime/platform/store/index.ts'

const repo = resolve(import.meta.dirname, '../..')

/** A fresh temp directory per call, removed after the test. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = []
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
  })
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-store-'))
    made.push(dir)
    return dir
  }
}

/** A `log` option that remembers what it was told. */
export function recordingLog(): StoreLog & { lines: string[] } {
  const lines: string[] = []
  return Object.assign((level: string, message: string) => void lines.push(`${level}: ${message}`), { lines })
}

export interface Child {
  process: ChildProcess
  lines: string[]
  stderr: () => string
  /** Resolves with the exit code (null when killed) once all output has been read. */
  exited: Promise<number | null>
  /** Resolves when a stdout line satisfying `test` arrives (rejects if the child exits first). */
  waitForLine: (test: (line: string) => boolean) => Promise<string>
}

/** Runs one of the fixtures in its own Node process, through the repo's TypeScript runner. */
export function runFixture(name: string, args: string[]): Child {
  const child = spawn(process.execPath, ['bin/run-ts.js', `tests/store/fixtures/${name}`, ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const watchers = new Set<() => void>()
  let partial = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n')
    partial = parts.pop()!
    lines.push(...parts)
    for (const watcher of watchers) watcher()
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk))
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)))
  const waitForLine = (test: (line: string) => boolean) =>
    new Promise<string>((done, fail) => {
      const check = () => {
        const line = lines.find(test)
        if (line !== undefined) {
          watchers.delete(check)
          done(line)
        }
      }
      watchers.add(check)
      check()
      void exited.then(() => {
        check()
        if (watchers.delete(check)) fail(new Error(`fixture ${name} exited before the expected line; stderr: ${stderr}`))
      })
    })
  return { process: child, lines, stderr: () => stderr, exited, waitForLine }
}

/** A small seeded PRNG (mulberry32), so a failing crash trial can be replayed exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
