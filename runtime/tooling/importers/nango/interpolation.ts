/**
 * Nango's string interpolation: `${connectionConfig.subdomain}`, `${apiKey}`, `${credentials.username}`,
 * `${accessToken}`, computed values (`${now:…}`, `${base64(…)}`), and `A || B` fallbacks that use B when
 * A names a value the connection lacks.
 */

/** What one `${…}` refers to. */
export type NangoRef =
  | { kind: 'config'; key: string; raw: string }
  | { kind: 'credential'; key: string; raw: string }
  | { kind: 'accessToken'; raw: string }
  | { kind: 'other'; raw: string }

/** Literal text and references, in order. */
export type Segment = string | NangoRef

const CONFIG = /^connectionConfig\.([A-Za-z0-9_-]+)$/
const CREDENTIAL = /^credentials\.([A-Za-z0-9_]+)$/

/**
 * Splits a Nango string into literal text and references; nested `${…}` stay inside their outer one.
 *
 * @example
 * parseInterpolation('Bearer ${apiKey}') // ['Bearer ', { kind: 'credential', key: 'apiKey', raw: '${apiKey}' }]
 */
export function parseInterpolation(text: string): Segment[] {
  const segments: Segment[] = []
  let literal = ''
  let i = 0
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      const end = closingBrace(text, i + 2)
      if (end !== -1) {
        if (literal) segments.push(literal)
        literal = ''
        segments.push(classify(text.slice(i, end + 1)))
        i = end + 1
        continue
      }
    }
    literal += text[i]
    i++
  }
  if (literal) segments.push(literal)
  return segments
}

function closingBrace(text: string, from: number): number {
  let depth = 1
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return i
  }
  return -1
}

function classify(raw: string): NangoRef {
  const inner = raw.slice(2, -1).trim()
  const config = CONFIG.exec(inner)
  if (config) return { kind: 'config', key: config[1]!, raw }
  const credential = CREDENTIAL.exec(inner)
  if (credential) return { kind: 'credential', key: credential[1]!, raw }
  if (inner === 'apiKey' || inner === 'username' || inner === 'password') return { kind: 'credential', key: inner, raw }
  if (inner === 'accessToken') return { kind: 'accessToken', raw }
  return { kind: 'other', raw }
}

/**
 * The alternatives of `A || B` at the top level (a `||` inside `${…}` is not a separator).
 *
 * @example
 * splitAlternatives('https://${connectionConfig.host} || https://api.example.com')
 * // ['https://${connectionConfig.host}', 'https://api.example.com']
 */
export function splitAlternatives(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++
      i++
    } else if (text[i] === '}' && depth > 0) depth--
    else if (depth === 0 && text.startsWith('||', i)) {
      parts.push(text.slice(start, i).trim())
      start = i + 2
      i++
    }
  }
  parts.push(text.slice(start).trim())
  return parts.length > 1 ? parts : [text]
}

/**
 * A short, stable name for a reference the format has no equivalent for, used to group skip reasons:
 * `${now:YYYY}` → `${now:…}`, `${base64(${credentials.x})}` → `${base64(…)}`.
 *
 * @example
 * refName({ kind: 'other', raw: '${base64(${credentials.username})}' }) // '${base64(…)}'
 */
export function refName(ref: NangoRef): string {
  const inner = ref.raw.slice(2, -1).trim()
  const fn = /^([A-Za-z0-9_]+)\(/.exec(inner)
  if (fn) return `\${${fn[1]}(…)}`
  const colon = /^([A-Za-z0-9_+]+):/.exec(inner)
  if (colon) return `\${${colon[1]!.replace(/\+.*/, '')}:…}`
  return ref.raw.replace(/connectionConfig\.[A-Za-z0-9_-]+/, 'connectionConfig.…')
}
