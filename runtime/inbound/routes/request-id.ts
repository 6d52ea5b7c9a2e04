import { randomUUID } from 'node:crypto'

/** What an incoming `X-Request-Id` may look like to be kept: a short token, nothing a log or header could trip on. */
const SANE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/

/**
 * The request's id: the caller's `X-Request-Id` when it is a sane token (letters, digits, `._:-`, at most 128),
 * so a request can be followed across a proxy in front; otherwise a fresh UUID.
 *
 * @example
 * requestIdOf('lb-7f3a') // 'lb-7f3a'
 * requestIdOf('a b\n')   // a fresh UUID
 */
export function requestIdOf(header: string | undefined): string {
  return header !== undefined && SANE.test(header) ? header : randomUUID()
}
