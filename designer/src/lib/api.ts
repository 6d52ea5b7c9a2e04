import { createCall } from '../../../client/index.ts'

/**
 * The designer's client for the runtime API: the `switchboard/client` module over the same origin and the
 * session cookie, so the designer calls routes exactly as workflows do. Every failure is an {@link ApiError}
 * carrying the runtime's stable code, message and details.
 */
export { type CallOptions, type ResponseOf, type Route, SwitchboardApiError as ApiError, urlOf } from '../../../client/index.ts'

/**
 * Calls a route: JSON in and out, throws {@link ApiError} for non-2xx answers.
 *
 * @example
 * const { connectors } = await call('GET /api/connectors')
 * const view = await call('PATCH /api/apps/:appId/connections/:id', { params: { appId, id }, body: { name: 'Work' } })
 */
export const call = createCall()
