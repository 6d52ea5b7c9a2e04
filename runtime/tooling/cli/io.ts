/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  out(line: string): void
  err(line: string): void
  /** Prints `switchboard: <message>` to stderr and returns the exit code 1 (2 for usage errors). */
  fail(message: string, code?: number): number
  /**
   * Rewrites one status line on stderr in place (`final` ends it with a newline). Only there when stderr is a
   * terminal: in a log file, a line rewritten a thousand times is a thousand lines.
   */
  progress?(line: string, final?: boolean): void
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
  // Carriage return, then erase to the end of the line (ECMA-48 EL), so a shorter line leaves nothing behind.
  ...(process.stderr.isTTY
    ? { progress: (line: string, final = false) => void process.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`) }
    : {}),
}
