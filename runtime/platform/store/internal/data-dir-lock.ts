import { randomBytes } from 'node:crypto'
import { link, open, readFile, rename, rm } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { SwitchboardError } from '../../../errors.ts'
import type { StoreLog } from '../types.ts'
import { fsyncDirectory } from './durable-write.ts'
import { isProcessAlive, ownStartTime, processStartTime } from './process-start.ts'

/** The lock file's name inside the data directory, e.g. `data/switchboard.lock`. */
export const LOCK_FILE_NAME = 'switchboard.lock'

interface LockOwner {
  pid: number
  startedAt: number
  hostname: string
}

/** A held lock; `release()` removes the lock file if it is still ours. */
export interface DataDirLock {
  readonly path: string
  release(): Promise<void>
}

/** Lock files this process holds: a second store on the same directory in one process is refused too. */
const heldHere = new Set<string>()

/**
 * Makes this process the only user of `dir`. The lock file is created with O_EXCL, so of two processes
 * starting together exactly one wins; a lock whose process is gone (crash, kill -9, container restart) is
 * taken over. Nothing else in the directory is touched when the lock is refused.
 *
 * @example
 * const lock = await acquireDataDirLock('./data', log) // throws SwitchboardError 'store_locked' if taken
 * try { … } finally { await lock.release() }
 */
export async function acquireDataDirLock(dir: string, log: StoreLog): Promise<DataDirLock> {
  const path = join(resolve(dir), LOCK_FILE_NAME)
  if (heldHere.has(path)) {
    throw new SwitchboardError(500, 'store_locked', `This process already has the data directory ${resolve(dir)} open.`)
  }
  const me: LockOwner = { pid: process.pid, startedAt: ownStartTime(), hostname: hostname() }
  const text = `${JSON.stringify(me)}\n`
  // Each round either creates the lock, refuses, or removes one stale lock; more rounds mean others are racing.
  for (let round = 0; round < 5; round++) {
    if (await tryCreate(path, text)) {
      heldHere.add(path)
      return { path, release: () => release(path, text) }
    }
    const current = await readOwner(path)
    if (current === 'gone') continue
    if (current !== 'unreadable' && isLive(current)) throw lockedError(dir, current)
    if (await takeOver(path, current)) {
      const from = current === 'unreadable' ? 'an unreadable lock file' : `pid ${current.pid}, which no longer runs`
      log('info', `Took over the data directory ${resolve(dir)} from ${from}.`)
    }
  }
  const message = `Could not lock the data directory ${resolve(dir)}: other processes keep racing for it.`
  throw new SwitchboardError(500, 'store_locked', message)
}

async function tryCreate(path: string, text: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, 'wx', 0o644)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fsyncDirectory(resolve(path, '..'))
  return true
}

/**
 * The lock's owner; 'unreadable' for a file that stays empty or garbled (its writer died between create and
 * write), 'gone' when it disappeared meanwhile. A just-created lock is briefly empty, so retry a little first.
 */
async function readOwner(path: string): Promise<LockOwner | 'unreadable' | 'gone'> {
  for (let attempt = 0; ; attempt++) {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
      throw error
    }
    const owner = parseOwner(text)
    if (owner !== undefined) return owner
    if (attempt === 6) return 'unreadable'
    await sleep(50)
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>
    if (typeof value.pid === 'number' && typeof value.startedAt === 'number' && typeof value.hostname === 'string') {
      return value as LockOwner
    }
  } catch {}
  return undefined
}

function isLive(owner: LockOwner): boolean {
  // Another machine's pids mean nothing here (a shared volume): assume it is alive; the message says what to do.
  if (owner.hostname !== hostname()) return true
  // Our own pid but not held by us: a previous run with the same pid (typical for pid 1 in a container).
  if (owner.pid === process.pid) return false
  if (!isProcessAlive(owner.pid)) return false
  const started = processStartTime(owner.pid)
  // A live pid that started at another time is a different process that reused the number.
  return started === undefined || Math.abs(started - owner.startedAt) < 1000
}

/**
 * Removes a stale lock without ever removing a live one: move it aside under a unique name (atomic), and if
 * what was moved is not the stale lock we judged — another process took over in between — put it back.
 */
async function takeOver(path: string, stale: LockOwner | 'unreadable'): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await rename(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
  const moved = parseOwner(await readFile(aside, 'utf8'))
  const same = stale === 'unreadable' ? moved === undefined : moved?.pid === stale.pid && moved.startedAt === stale.startedAt
  if (!same) await link(aside, path).catch(() => {}) // EEXIST: yet another process holds it now; it wins
  await rm(aside, { force: true })
  return same
}

async function release(path: string, text: string): Promise<void> {
  heldHere.delete(path)
  // Only remove our own lock: if someone wrongly judged it stale and took over, theirs must stay.
  const current = await readFile(path, 'utf8').catch(() => undefined)
  if (current === text) await rm(path, { force: true })
}

function lockedError(dir: string, owner: LockOwner): SwitchboardError {
  const where = resolve(dir)
  const otherHost = owner.hostname !== hostname()
  const message = otherHost
    ? `Another Switchboard process (pid ${owner.pid} on host ${owner.hostname}) is using the data directory ${where}. ` +
      `Stop it or choose another SWITCHBOARD_DATA_DIR. If that process no longer exists (for example its container ` +
      `was replaced), delete ${join(where, LOCK_FILE_NAME)}.`
    : `Another Switchboard process (pid ${owner.pid}) is using the data directory ${where}. ` +
      'Stop it or choose another SWITCHBOARD_DATA_DIR.'
  return new SwitchboardError(500, 'store_locked', message, { details: { pid: owner.pid, dir: where } })
}
