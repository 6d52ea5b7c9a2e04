/**
 * Reads the error codes the runtime can produce out of its source: the second argument of every
 * `new SwitchboardError(…)`, the codes handed to the OAuth2 callback's `refuse(…)`, and `code: '…'`
 * properties. Codes computed at run time are not guessed: each such place is listed in {@link COMPUTED}
 * with the codes it can produce and why, and a place missing there is reported.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { HTTP_ERROR_CODES } from '../../runtime/platform/http/index.ts'

const root = join(import.meta.dirname, '../..')

/** The codes an RFC 6749 §5.2 token endpoint answers with, as `PUT …/credentials` passes them on (`token_<code>`). */
const TOKEN_ENDPOINT_CODES = [
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_request',
  'invalid_token_response',
  'provider_error',
]

/** Where a code is computed rather than written out, keyed `<file>: <expression>`. */
export const COMPUTED: Record<string, { codes: (source: (file: string) => string) => string[]; why: string }> = {
  'runtime/inbound/access/route-context.ts: `${what}_not_found`': {
    why: 'idParam(c, name, what) answers `<what>_not_found`: one code per `what` its callers name',
    codes: (source) =>
      runtimeFiles().flatMap((file) =>
        [...strip(source(file)).matchAll(/\bidParam\(\s*\w+,\s*'[^']+',\s*'([a-z_]+)'\s*\)/g)].map((m) => `${m[1]}_not_found`),
      ),
  },
  "runtime/core/auth/oauth2/client-credentials.ts: code === 'provider_unavailable' ? code : `token_${code}`": {
    why: "the token endpoint's own error code, prefixed; RFC 6749 §5.2 names the ones a provider sends",
    codes: () => ['provider_unavailable', ...TOKEN_ENDPOINT_CODES.map((code) => `token_${code}`)],
  },
  'runtime/core/auth/oauth2/callback.ts: code': {
    why:
      "refuse(code, message): its literal codes are read where it is called; the provider's own codes go to the designer's return " +
      'URL, never into an API answer',
    codes: () => [],
  },
  'runtime/core/auth/oauth1/flow.ts: code': {
    why: 'refuse(code, message) in the OAuth 1.0a callback: its literal codes are read where it is called, and go to the designer',
    codes: () => [],
  },
  'runtime/core/use/upstream-failure.ts: error.code': {
    why: 'passes an outbound client error on with its code and a masked message',
    codes: () => [],
  },
  'runtime/platform/crypto/key-ring.ts: cause.code': { why: 'passes a key file error on with its code', codes: () => [] },
}

/**
 * Every code the runtime's source produces, and the computed places not listed in {@link COMPUTED}.
 *
 * @example
 * const { codes, unknown } = scanErrorCodes() // codes: Set { 'app_not_found', … }, unknown: []
 */
export function scanErrorCodes(): { codes: Set<string>; unknown: string[] } {
  const cache = new Map<string, string>()
  const source = (file: string) => {
    let text = cache.get(file)
    if (text === undefined) cache.set(file, (text = readFileSync(join(root, file), 'utf8')))
    return text
  }
  const codes = new Set<string>()
  const unknown: string[] = []
  for (const file of runtimeFiles()) {
    const text = strip(source(file))
    for (const call of text.matchAll(/new SwitchboardError\(/g)) {
      const code = secondArgument(text, call.index + call[0].length)
      const literal = /^'([a-z0-9_]+)'$/.exec(code)
      const constant = /^HTTP_ERROR_CODES\.(\w+)$/.exec(code)
      if (literal) codes.add(literal[1]!)
      else if (constant) codes.add(HTTP_ERROR_CODES[constant[1] as keyof typeof HTTP_ERROR_CODES])
      else if (COMPUTED[`${file}: ${code}`]) for (const c of COMPUTED[`${file}: ${code}`]!.codes(source)) codes.add(c)
      else unknown.push(`${file}: ${code}`)
    }
    for (const m of text.matchAll(/\brefuse\(\s*'([a-z0-9_]+)'/g)) codes.add(m[1]!)
    for (const m of text.matchAll(/\bcode: '([a-z0-9_]+)'/g)) codes.add(m[1]!)
  }
  return { codes, unknown }
}

function runtimeFiles(dir = join(root, 'runtime')): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) return runtimeFiles(path)
      return path.endsWith('.ts') ? [relative(root, path)] : []
    })
}

/** The source without comment lines, so examples in JSDoc are not read as codes. */
function strip(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
    .join('\n')
}

/** The text of a call's second argument, from just after its `(`: strings and nesting are skipped whole. */
function secondArgument(text: string, from: number): string {
  const args: string[] = []
  let depth = 0
  let current = ''
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = stringEnd(text, i)
      current += text.slice(i, end + 1)
      i = end
      continue
    }
    if ('([{'.includes(ch)) depth++
    if (')]}'.includes(ch)) {
      if (depth === 0) break
      depth--
    }
    if (ch === ',' && depth === 0) {
      args.push(current.trim())
      current = ''
      if (args.length === 2) break
      continue
    }
    current += ch
  }
  if (args.length < 2) args.push(current.trim())
  return args[1] ?? ''
}

function stringEnd(text: string, start: number): number {
  const quote = text[start]!
  let nested = 0
  for (let j = start + 1; j < text.length; j++) {
    const ch = text[j]!
    if (ch === '\\') j++
    else if (quote === '`' && ch === '$' && text[j + 1] === '{') nested++, j++
    else if (quote === '`' && ch === '}' && nested > 0) nested--
    else if (ch === quote && nested === 0) return j
  }
  return text.length - 1
}
