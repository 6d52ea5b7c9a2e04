import { createBoundedCache } from '../../../platform/cache/index.ts'
import { secretForms } from './secret-forms.ts'

/** What replaces a secret wherever it would be shown. */
export const MASK = '••••'

/** What replaces a secret in a header value, which only takes visible ASCII (RFC 9110 §5.5). */
export const HEADER_MASK = '****'

/**
 * Every form of every secret (see `secretForms`), longest first so a secret containing another is masked
 * whole.
 *
 * @example
 * secretVariants(['a b'])[0] // 'a%20b'
 */
export function secretVariants(secrets: Iterable<string>): string[] {
  const variants = new Set<string>()
  for (const secret of secrets) for (const form of secretForms(secret)) variants.add(form)
  return [...variants].sort((a, b) => b.length - a.length)
}

/**
 * Hides secrets in what is shown to people and callers (test results, previews, errors, action output): every
 * secret in every form it can be echoed in, in one pass over the text.
 *
 * @example
 * const masker = createMasker(['s3cr3t-value'])
 * masker.text('token=s3cr3t-value') // 'token=••••'
 * masker.value({ 's3cr3t-value': 1 }) // { '••••': 1 }
 */
export function createMasker(secrets: Iterable<string>) {
  const { forms, pattern, exact } = compiled(secrets)
  const replace = (value: string, mask: string): string => (pattern && value !== '' ? value.replace(pattern, mask) : value)
  const text = (value: string): string => replace(value, MASK)

  /** JSON values: strings and object keys masked; a number or boolean that is a secret becomes the mask (a string). */
  const value = (input: unknown, depth = 0): unknown => {
    if (typeof input === 'string') return text(input)
    if ((typeof input === 'number' || typeof input === 'boolean') && exact.has(String(input))) return MASK
    if (input === null || typeof input !== 'object' || depth > 256) return input
    if (Array.isArray(input)) return input.map((item) => value(item, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(input)) out[text(key)] = value(item, depth + 1)
    return out
  }

  return {
    /** Whether there is anything to mask. */
    active: forms.length > 0,
    text,
    value,
    /** For a header value: ASCII mask, so the header stays valid. */
    header: (value: string): string => replace(value, HEADER_MASK),
    /** Credential headers keep their scheme (`Basic ••••`), others are masked where they hold a secret. */
    headers(headers: Readonly<Record<string, string>>, credentialHeaders: readonly string[]): Record<string, string> {
      const credential = new Set(credentialHeaders.map((h) => h.toLowerCase()))
      const out: Record<string, string> = {}
      for (const [name, value] of Object.entries(headers)) {
        if (!credential.has(name.toLowerCase())) out[name] = text(value)
        else out[name] = /^(Basic|Bearer|Token|Digest) /i.test(value) ? `${value.split(' ')[0]} ${MASK}` : MASK
      }
      return out
    },
    /** Credential query parameters are masked by name, the rest by value. */
    url(url: URL, credentialQuery: readonly string[]): string {
      const copy = new URL(url.href)
      const credential = new Set(credentialQuery)
      for (const [name, value] of [...copy.searchParams]) {
        copy.searchParams.set(name, credential.has(name) ? MASK : text(value))
      }
      return text(copy.href.replace(/%E2%80%A2%E2%80%A2%E2%80%A2%E2%80%A2/g, MASK))
    },
  }
}

/**
 * Every form of a set of secrets, the pattern that finds them and the set that names them, worked out once per
 * set for a while: a connection's requests mask the same secrets on every call. In memory only.
 */
const COMPILED = createBoundedCache<{ forms: string[]; pattern: RegExp | undefined; exact: ReadonlySet<string> }>({
  maxEntries: 2_000,
  maxAgeMs: 60_000,
})

function compiled(secrets: Iterable<string>) {
  const list = [...new Set(secrets)].filter((s) => s !== '').sort()
  const key = list.join('\u0000')
  const hit = COMPILED.get(key)
  if (hit) return hit
  const forms = secretVariants(list)
  // Literal alternatives only, longest first: one linear scan, the longest form wins where several start.
  const pattern = forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join('|'), 'g')
  return COMPILED.set(key, { forms, pattern, exact: new Set(forms) })
}

/** The masker's type. */
export type Masker = ReturnType<typeof createMasker>

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
