/**
 * A record as one canonical JSON text: object keys sorted (by UTF-16 code unit, as RFC 8785 sorts them), no
 * whitespace, numbers and strings as `JSON.stringify` writes them. Two engines hand back the same record with
 * keys in different orders (PostgreSQL's jsonb keeps its own), so a checksum over this text is equal exactly
 * when the records are. https://www.rfc-editor.org/rfc/rfc8785
 *
 * @example
 * canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] }) // '{"a":[true,{"c":"x","d":null}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
