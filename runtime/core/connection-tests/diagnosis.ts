import { SwitchboardError } from '../../errors.ts'
import type { Masker } from '../requests/index.ts'

/** The kinds of failure a test can have (`TestResult.problem`). */
export type Problem =
  | 'credentials_rejected'
  | 'not_found'
  | 'dns_failure'
  | 'connection_refused'
  | 'tls_error'
  | 'timeout'
  | 'body_rule_failed'
  | 'unexpected_status'
  | 'redirected_elsewhere'
  | 'blocked_address'
  | 'invalid_url'
  | 'missing_credentials'
  | 'upstream_error'

/**
 * Plain words for an HTTP answer that the connector does not count as success.
 *
 * @example
 * statusDiagnosis(401, 'Unauthorized', [200], url)
 * // { problem: 'credentials_rejected', diagnosis: 'The API rejected the credentials (401 Unauthorized). …' }
 */
export function statusDiagnosis(
  status: number,
  statusText: string,
  expected: readonly number[],
  url: string,
  of: 'connection' | 'draft' = 'connection',
): { problem: Problem; diagnosis: string } {
  const answer = `${status}${statusText ? ` ${statusText}` : ''}`
  if (status === 401 || status === 403) {
    return {
      problem: 'credentials_rejected',
      diagnosis:
        `The API rejected the credentials (${answer}). Check that the key or password is right, not expired or revoked, and ` +
        `has access; then ${of === 'draft' ? 'test again' : 'connect again'}.`,
    }
  }
  if (status === 404) {
    return {
      problem: 'not_found',
      diagnosis: `Nothing was found at ${url} (${answer}). Check the base URL (subdomain, data region, instance) and the test path.`,
    }
  }
  return {
    problem: 'unexpected_status',
    diagnosis: `The API answered ${answer}, which this connector does not count as success (expected ${expected.join(' or ')}).`,
  }
}

/**
 * Plain words for a request that got no usable answer (DNS, refused, TLS, timeout, blocked).
 *
 * @example
 * errorDiagnosis(dnsError) // { problem: 'dns_failure', diagnosis: 'The host "api.acme.test" could not be found (DNS). …' }
 */
export function errorDiagnosis(error: unknown, masker: Masker): { problem: Problem; diagnosis: string } {
  if (!(error instanceof SwitchboardError))
    return {
      problem: 'upstream_error',
      diagnosis: 'The request failed for an unexpected reason. Try again; if it keeps failing, check the runtime log.',
    }
  const details = (error.details ?? {}) as { host?: string; phase?: string; timeoutMs?: number; reason?: string }
  const host = details.host ? `"${details.host}"` : 'the host'
  // The use core reports unreachable upstreams as `upstream_error` with the client's code as the reason.
  switch (error.code === 'upstream_error' && details.reason ? details.reason : error.code) {
    case 'dns_failure':
      return {
        problem: 'dns_failure',
        diagnosis: `The host ${host} could not be found (DNS). Check the base URL, subdomain or region for typos.`,
      }
    case 'connection_refused':
      return {
        problem: 'connection_refused',
        diagnosis:
          `${capitalise(host)} refused the connection. Check the base URL's port, and that the service is running and ` +
          `reachable from the runtime.`,
      }
    case 'tls_error':
      // The client's message is already the whole sentence (host, TLS code, likely causes).
      return { problem: 'tls_error', diagnosis: masker.text(error.message) }
    case 'upstream_timeout':
      return {
        problem: 'timeout',
        diagnosis:
          `${capitalise(host)} did not answer in time${details.phase === 'connect' ? ' (could not connect)' : ''}. The ` +
          `service may be down or slow; try again later.`,
      }
    case 'blocked_address':
    case 'local_name':
      return { problem: 'blocked_address', diagnosis: masker.text(error.message) }
    case 'invalid_url':
    case 'invalid_base_url':
    case 'other_origin':
    case 'missing_field':
      return { problem: 'invalid_url', diagnosis: masker.text(error.message) }
    case 'missing_credentials':
      return { problem: 'missing_credentials', diagnosis: masker.text(error.message) }
    case 'token_refresh_failed':
    case 'invalid_private_key':
    case 'token_refresh_backoff':
      return { problem: 'credentials_rejected', diagnosis: masker.text(error.message) }
    default:
      // No usable credentials (no tokens yet, a grant that expired): the test could not be sent. A login the API
      // refused just now is a verdict on the credentials.
      if (error.status === 428) {
        const refused = (error.details as { refused?: boolean } | undefined)?.refused === true
        return { problem: refused ? 'credentials_rejected' : 'missing_credentials', diagnosis: masker.text(error.message) }
      }
      return { problem: 'upstream_error', diagnosis: masker.text(error.message) }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
