/**
 * Finding secrets in what someone received, however it was spelled: the text is decoded every way an
 * upstream or an encoder could have spelled a secret (JSON escapes, percent and form encoding, base64 at
 * any alignment in either alphabet, hex), repeatedly for nested encodings, and each decoded view is
 * searched for the secret's bytes — whole, or a run of half its length, which is already a leak.
 * The encoded spellings are also listed, for upstreams that echo them on purpose.
 */
import { randomBytes } from 'node:crypto'

/**
 * A unique marker secret, `cnry-<hex>/+=<hex>`: long enough for every rule, and with characters that
 * percent, form and JSON (`\/`) encodings all change, so each spelling differs from the raw value.
 *
 * @example
 * canary() // 'cnry-4f1c9a0b/+=e83d21c7'
 */
export function canary(): string {
  return `cnry-${randomBytes(4).toString('hex')}/+=${randomBytes(4).toString('hex')}`
}

const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())

/** `\uXXXX` for every UTF-16 unit. */
export function unicodeEscaped(secret: string, upper: boolean): string {
  return [...secret]
    .map((char) => {
      let out = ''
      for (let i = 0; i < char.length; i++) {
        const hex = char.charCodeAt(i).toString(16).padStart(4, '0')
        out += `\\u${upper ? hex.toUpperCase() : hex}`
      }
      return out
    })
    .join('')
}

/** Base64 of the secret inside a longer text at each of the 3 byte alignments, as whole encodings. */
export function embeddedBase64(secret: string, alphabet: 'base64' | 'base64url'): string[] {
  return [0, 1, 2].map((pad) =>
    Buffer.concat([Buffer.from('xyz'.slice(0, pad + 1)), Buffer.from(secret, 'utf8'), Buffer.from('!tail')]).toString(alphabet),
  )
}

/**
 * The spellings of a secret an echo or a leak can take, by name.
 *
 * @example
 * spellings('a/b+c=déf<g')['percent-lower'] // 'a%2fb%2bc%3dd%c3%a9f%3cg'
 */
export function spellings(secret: string): Record<string, string> {
  const json = JSON.stringify(secret).slice(1, -1)
  const utf8 = Buffer.from(secret, 'utf8')
  const forms: Record<string, string> = {
    raw: secret,
    json,
    'json-slash': json.replace(/\//g, '\\/'),
    'json-u-lower': unicodeEscaped(secret, false),
    'json-u-upper': unicodeEscaped(secret, true),
    // Go's encoding/json: HTML-significant characters as \u00XX, lower-case hex; the rest as it is.
    'json-go': json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'),
    base64: utf8.toString('base64'),
    base64url: utf8.toString('base64url'),
    'hex-lower': utf8.toString('hex'),
    'hex-upper': utf8.toString('hex').toUpperCase(),
    'percent-upper': encodeURIComponent(secret),
    'percent-lower': lowerHex(encodeURIComponent(secret)),
    form: new URLSearchParams({ x: secret }).toString().slice(2),
  }
  embeddedBase64(secret, 'base64').forEach((text, i) => (forms[`base64-in-${i}`] = text))
  embeddedBase64(secret, 'base64url').forEach((text, i) => (forms[`base64url-in-${i}`] = text))
  return forms
}

/** One JSON unescaping pass over the `\…` sequences in a text (the text need not be JSON). */
function jsonUnescape(text: string): string {
  const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
  return text.replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_, esc: string) =>
    esc.length === 5 ? String.fromCharCode(parseInt(esc.slice(1), 16)) : simple[esc]!,
  )
}

/** Percent-decoding that never throws: `%XX` runs become their bytes, read as UTF-8. */
function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'))
}

function formDecode(text: string): string {
  return percentDecode(text.replace(/\+/g, ' '))
}

/** The text decoded by the textual decoders, nested up to three deep, without repeats. */
function textViews(text: string): string[] {
  const seen = new Set([text])
  let layer = [text]
  for (let depth = 0; depth < 3; depth++) {
    const next: string[] = []
    for (const view of layer) {
      for (const decode of [jsonUnescape, percentDecode, formDecode]) {
        const out = decode(view)
        if (!seen.has(out)) {
          seen.add(out)
          next.push(out)
        }
      }
    }
    layer = next
  }
  return [...seen]
}

/**
 * The bytes a text stands for, each view as a Latin-1 string (one character per byte): the text as UTF-8
 * and as Latin-1, then every base64 run decoded at each of the four offsets (both alphabets) and every hex
 * run at both offsets, the decoded pieces joined by line breaks (which no secret holds).
 */
function byteViews(text: string): string[] {
  const base64: string[] = []
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{8,}/g)) {
    // Node's base64 decoder reads both alphabets.
    for (let offset = 0; offset < 4; offset++) base64.push(Buffer.from(run.slice(offset), 'base64').toString('latin1'))
  }
  const hex: string[] = []
  for (const [run] of text.matchAll(/[0-9a-fA-F]{8,}/g)) {
    for (const offset of [0, 1])
      hex.push(Buffer.from(run.slice(offset, offset + 2 * Math.floor((run.length - offset) / 2)), 'hex').toString('latin1'))
  }
  return [Buffer.from(text, 'utf8').toString('latin1'), text, base64.join('\n'), hex.join('\n')]
}

/** A secret's runs of half its bytes (at least 6), as Latin-1 strings; the whole secret holds each of them. */
function windowsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8').toString('latin1')
  const size = Math.min(bytes.length, Math.max(6, Math.ceil(bytes.length / 2)))
  const out: string[] = []
  for (let at = 0; at + size <= bytes.length; at++) out.push(bytes.slice(at, at + size))
  return out
}

/**
 * Which of `secrets` can be read back from `text`, decoded every way: empty when none. A run of half a
 * secret's bytes counts, so a mask that leaves part of a secret fails too. With few runs to look for each
 * view is searched for each run; with many (a sweep over every canary), each view is scanned once per run
 * length against a table of all runs, so a long log is swept about as fast as a short answer.
 *
 * @example
 * revealed('Basic ' + Buffer.from('u:' + key).toString('base64'), [key]) // [key]
 */
export function revealed(text: string, secrets: readonly string[]): string[] {
  if (secrets.length === 0 || text === '') return []
  const views = [...new Set(textViews(text).flatMap(byteViews))].filter((view) => view.length >= 6)
  const runs = secrets.map((secret) => ({ secret, windows: windowsOf(secret) }))
  if (runs.reduce((sum, run) => sum + run.windows.length, 0) <= 256) {
    return runs.filter(({ windows }) => views.some((view) => windows.some((w) => view.includes(w)))).map(({ secret }) => secret)
  }
  const tables = new Map<number, Map<string, string>>()
  for (const { secret, windows } of runs) {
    for (const run of windows) {
      const table = tables.get(run.length) ?? new Map<string, string>()
      tables.set(run.length, table)
      table.set(run, secret)
    }
  }
  const found = new Set<string>()
  for (const view of views) {
    for (const [size, table] of tables) {
      for (let at = 0; at + size <= view.length; at++) {
        const secret = table.get(view.slice(at, at + size))
        if (secret !== undefined) found.add(secret)
      }
    }
  }
  return secrets.filter((secret) => found.has(secret))
}
