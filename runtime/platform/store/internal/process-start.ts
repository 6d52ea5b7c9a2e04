import { readFileSync } from 'node:fs'

/**
 * When process `pid` started (ms since the epoch), or undefined where that cannot be read. Used to tell a
 * lock holder from an unrelated process that got the same pid later, which is common in containers where
 * every restart is pid 1 or close to it. Linux only (/proc); elsewhere the pid check alone decides.
 *
 * @example
 * processStartTime(process.ppid) // 1735689600000, or undefined off Linux
 */
export function processStartTime(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 2 (the command) is in parentheses and may itself contain spaces or ')'; count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticksSinceBoot = Number(fields[19]) // field 22, "starttime" (proc(5))
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1])
    // USER_HZ is 100 on every Linux architecture Node supports.
    const start = bootSeconds * 1000 + ticksSinceBoot * 10
    return Number.isFinite(start) ? start : undefined
  } catch {
    return undefined
  }
}

/**
 * This process's start time, the same way {@link processStartTime} measures others.
 *
 * @example
 * const me = { pid: process.pid, startedAt: ownStartTime() }
 */
export function ownStartTime(): number {
  return processStartTime(process.pid) ?? Math.round(Date.now() - process.uptime() * 1000)
}

/**
 * Whether a process with this pid exists (EPERM: it exists but belongs to another user).
 *
 * @example
 * isProcessAlive(process.pid) // true
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
