import type { ConnectionRequiredDetails, ErrorCode, ScopeMissingDetails, ValidationProblem } from '../schemas/types/api.ts'

/** The `details` the contract names for a code; other codes' details are whatever the runtime sent. */
export interface ErrorDetails {
  connection_required: ConnectionRequiredDetails
  scope_missing: ScopeMissingDetails
}
type DetailsOf<C extends ErrorCode> = C extends keyof ErrorDetails ? ErrorDetails[C] : unknown

/**
 * An error answer of the runtime: its status, its stable `code` (branch on it), its `message` in plain words
 * and its `details`. `connection_required` carries `connectUrl` (where a person connects the connection),
 * `scope_missing` the scopes missing and, where it can, `reauthorizeUrl`.
 *
 * @example
 * try {
 *   await client.runAction('c_1', 'createIssue', { title: 'Found a bug' })
 * } catch (error) {
 *   if (error instanceof SwitchboardApiError && error.is('connection_required')) notify(error.connectUrl)
 * }
 */
export class SwitchboardApiError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'SwitchboardApiError'
  constructor(
    readonly status: number,
    readonly code: C,
    message: string,
    readonly details?: DetailsOf<C>,
  ) {
    super(message)
  }

  /** Whether this is the error of `code`; narrows `details` to what that code carries. */
  is<K extends ErrorCode>(code: K): this is SwitchboardApiError<K> {
    return (this.code as ErrorCode) === code
  }

  /** `connection_required`: the designer's page where a person connects the connection. */
  get connectUrl(): string | undefined {
    return this.is('connection_required') ? this.details?.connectUrl : undefined
  }

  /** `scope_missing`: the link that authorizes again with the missing scopes (sign-in connections only). */
  get reauthorizeUrl(): string | undefined {
    return this.is('scope_missing') ? this.details?.reauthorizeUrl : undefined
  }

  /** Validation problems in `details.errors`, when the runtime sent them. */
  get problems(): ValidationProblem[] {
    const errors = (this.details as { errors?: unknown } | undefined)?.errors
    return Array.isArray(errors) ? errors : []
  }

  /**
   * The error of a non-2xx answer: the runtime's envelope when it sent one, else `[METHOD] "url": status text`.
   *
   * @example
   * if (!response.ok) throw await SwitchboardApiError.from(response, 'GET')
   */
  static async from(response: Response, method: string): Promise<SwitchboardApiError> {
    const data = (await response.json().catch(() => undefined)) as { error?: { code?: ErrorCode; message?: string; details?: unknown } }
    const error = data?.error
    const fallback = `[${method}] "${response.url}": ${response.status} ${response.statusText}`.trim()
    return new SwitchboardApiError(response.status, error?.code ?? 'http_error', error?.message ?? fallback, error?.details)
  }
}
