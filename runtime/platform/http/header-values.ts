/** A header as a record holds it: one value, a list when it came more than once, or nothing. */
export type HeaderValue = string | string[] | undefined

/**
 * The first of a header's values: for headers that are one value by nature (Content-Length, Content-Encoding).
 *
 * @example
 * firstValue(['12', '12']) // '12'
 */
export function firstValue(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/**
 * A header's values joined with ", ", as `Headers.get` gives them.
 *
 * @example
 * joinedValue(['a', 'b']) // 'a, b'
 */
export function joinedValue(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}
