import { lookup } from '../../../../schemas/template/index.ts'
import type { SessionAuth, SessionCapture } from '../../../../schemas/types/connector.ts'
import { splitPointer } from '../../../../schemas/validate/index.ts'
import type { HttpResponse } from '../../../platform/http/index.ts'

/** Every captured value by name, or the first required one the answer lacks (in words: `cookie "SID"`). */
export type Captured = { ok: true; values: Record<string, string> } | { ok: false; missing: string }

/**
 * Takes what the method's `capture` names from a login answer: a JSON body value (strings and numbers, as
 * text), a header, or a cookie the answer sets (`Set-Cookie`, RFC 6265 §4.1; a cookie set to be deleted,
 * empty or expired at once, counts as absent).
 *
 * @example
 * captureAll(method, response) // { ok: true, values: { token: 'k3…', siteId: '9a1…' } }
 */
export function captureAll(method: SessionAuth, response: HttpResponse): Captured {
  const values: Record<string, string> = {}
  for (const [name, capture] of Object.entries(method.capture)) {
    if (!capture) continue
    const value = captureOne(capture, response)
    if (value !== undefined && value !== '') values[name] = value
    else if (capture.required !== false) return { ok: false, missing: describe(capture) }
  }
  return { ok: true, values }
}

function captureOne(capture: SessionCapture, response: HttpResponse): string | undefined {
  if (capture.from === 'body') {
    const found = lookup(response.body, splitPointer(capture.pointer ?? ''))
    return typeof found === 'string' || typeof found === 'number' ? String(found) : undefined
  }
  if (capture.from === 'header') return response.headers.get(capture.name ?? '') ?? undefined
  return cookie(response.headers.getSetCookie(), capture.name ?? '')
}

/** The value of the last `Set-Cookie` of that name, unless it deletes the cookie. */
function cookie(setCookies: string[], name: string): string | undefined {
  let value: string | undefined
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';')
    const eq = pair.indexOf('=')
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue
    const deletes = attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a))
    const raw = pair.slice(eq + 1).trim()
    value = deletes ? undefined : raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw
  }
  return value
}

function describe(capture: SessionCapture): string {
  return capture.from === 'body' ? `value at "${capture.pointer}"` : `${capture.from} "${capture.name}"`
}
