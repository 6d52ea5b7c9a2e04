/**
 * JSON pointer helpers (RFC 6901) and the readable form of a pointer used in messages.
 */

/**
 * Builds a pointer from segments.
 *
 * @example
 * pointer('auth', 1, 'placements') // '/auth/1/placements'
 */
export function pointer(...segments: Array<string | number>): string {
  let out = ''
  for (const segment of segments) {
    const text = String(segment)
    // Escaping only what needs it: a pointer is built for every place checked, most have neither `~` nor `/`.
    out += text.includes('~') || text.includes('/') ? `/${text.replace(/~/g, '~0').replace(/\//g, '~1')}` : `/${text}`
  }
  return out
}

/**
 * Splits a pointer into its segments.
 *
 * @example
 * splitPointer('/headers/a~1b') // ['headers', 'a/b']
 */
export function splitPointer(path: string): string[] {
  if (path === '') return []
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/**
 * The pointer as people read it: `/auth/1/placements/0/in` → `auth[1].placements[0].in`.
 *
 * @example
 * readablePath('/headers/X-Api-Key') // 'headers["X-Api-Key"]'
 */
export function readablePath(path: string): string {
  let out = ''
  for (const segment of splitPointer(path)) {
    if (/^(0|[1-9][0-9]*)$/.test(segment)) out += `[${segment}]`
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) out += (out === '' ? '' : '.') + segment
    else out += `[${JSON.stringify(segment)}]`
  }
  return out === '' ? 'the connector' : out
}
