/** What replaces a secret wherever it would be shown. */
export const MASK = '••••'

/**
 * Every form a secret can take in what an upstream or a preview shows: as it is, URL-encoded,
 * form-encoded and JSON-escaped — longest first, so a secret containing another is masked whole.
 *
 * @example
 * secretVariants(['a b']) // ['a%20b', 'a+b', 'a b']
 */
export function secretVariants(secrets: Iterable<string>): string[] {
  const variants = new Set<string>()
  for (const secret of secrets) {
    if (secret.length === 0) continue
    variants.add(secret)
    variants.add(encodeURIComponent(secret))
    variants.add(new URLSearchParams({ x: secret }).toString().slice(2))
    variants.add(JSON.stringify(secret).slice(1, -1))
  }
  return [...variants].sort((a, b) => b.length - a.length)
}

/**
 * Hides secrets in text that is shown to people (test results, previews, errors): every secret,
 * also in its URL-encoded and base64 forms.
 *
 * @example
 * const masker = createMasker(['s3cr3t'])
 * masker.text('token=s3cr3t') // 'token=••••'
 */
export function createMasker(secrets: Iterable<string>) {
  const ordered = secretVariants(secrets)
  const text = (value: string): string => {
    let out = value
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(MASK)
    return out
  }
  return {
    text,
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

/** The masker's type. */
export type Masker = ReturnType<typeof createMasker>
