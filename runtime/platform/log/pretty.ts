/** ANSI colours per level (SGR codes); none when the output is not a terminal. */
const COLOURS: Record<string, string> = { trace: '90', debug: '36', info: '32', warn: '33', error: '31', fatal: '35' }
/** Fields every entry has, shown in their own places rather than as `key=value`. */
const PLACED = new Set(['level', 'time', 'msg', 'pid', 'hostname'])

/**
 * One JSON log line as a person reads it in a terminal: time, level, message, then the other fields as
 * `key=value` (objects as JSON). A line that is not JSON is passed on as it is.
 *
 * @example
 * prettyLine('{"level":"info","time":0,"msg":"request","status":200}\n', false)
 * // '00:00:00.000 INFO  request status=200\n'
 */
export function prettyLine(line: string, colour: boolean): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line
  }
  const level = String(entry.level ?? 'info')
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '--:--:--.---'
  const label = level.toUpperCase().padEnd(5)
  const fields: string[] = []
  for (const [key, value] of Object.entries(entry)) {
    if (PLACED.has(key) || value === undefined) continue
    fields.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  }
  const code = colour ? COLOURS[level] : undefined
  const shown = code ? `\x1b[${code}m${label}\x1b[0m` : label
  return `${time} ${shown} ${String(entry.msg ?? '')}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}\n`
}
