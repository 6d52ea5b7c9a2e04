/**
 * The target of a `Link` header's `rel="next"` (RFC 8288 §3), resolved against the request's URL; `undefined`
 * when there is none or it is not a URL. `rel` may list several relations (`rel="next last"`).
 *
 * @example
 * nextLink('<https://api.example.com/items?page=2>; rel="next", <…?page=9>; rel="last"', base) // URL …?page=2
 */
export function nextLink(header: string | null, base: URL): URL | undefined {
  if (header === null) return undefined
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,<]*)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2]!)
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/)
    if (!relations.includes('next')) continue
    try {
      return new URL(match[1]!.trim(), base)
    } catch {
      return undefined
    }
  }
  return undefined
}
