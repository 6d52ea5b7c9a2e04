/**
 * The designer's client for the runtime API. Same origin, session cookie; every failure is an
 * {@link ApiError} carrying the runtime's stable code, message and details.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }

  /** Validation problems in `details.errors`, when the runtime sent them. */
  get problems(): Array<{ path: string; keyword: string; message: string }> {
    const errors = (this.details as { errors?: unknown } | undefined)?.errors
    return Array.isArray(errors) ? errors : []
  }
}

/**
 * Calls the API: JSON in and out, throws {@link ApiError} for non-2xx answers.
 *
 * @example
 * const { connectors } = await api<{ connectors: ConnectorSummary[] }>('GET', '/api/connectors')
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (response.status === 204) return undefined as T
  const data = await response.json().catch(() => undefined)
  if (!response.ok) {
    const error = (data as { error?: { code: string; message: string; details?: unknown } } | undefined)?.error
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `The runtime answered ${response.status}.`, error?.details)
  }
  return data as T
}
