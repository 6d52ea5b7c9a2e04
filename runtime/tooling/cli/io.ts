/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  out(line: string): void
  err(line: string): void
  /** Prints `switchboard: <message>` to stderr and returns the exit code 1 (2 for usage errors). */
  fail(message: string, code?: number): number
}

/**
 * The process's own stdout and stderr.
 *
 * @example
 * const code = await main(process.argv.slice(2), processIo)
 */
export const processIo: Io = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  fail(message, code = 1) {
    process.stderr.write(`switchboard: ${message}\n`)
    return code
  },
}
