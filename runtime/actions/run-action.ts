import type { ActionResult, RunAction } from '../../schemas/types/api.ts'
import type { Action } from '../../schemas/types/connector.ts'
import { lookup } from '../../schemas/template/index.ts'
import { inputValidator, splitPointer, toProblems } from '../../schemas/validate/index.ts'
import type { ConnectionService } from '../connections/index.ts'
import { assertWorkflowMay, credentialOwner, credentialsForUse, loadConnection, type Actor, type ConnectionDeps } from '../connections/index.ts'
import { SwitchboardError } from '../errors.ts'
import type { OAuth2Hook } from '../oauth2/index.ts'
import { createMasker, effectiveValues, prepareRequest, toClientRequest } from '../requests/index.ts'
import { sendWithRetries, type RetryPolicy } from './send.ts'

/** Response headers worth passing on; everything else (cookies, hop-by-hop, server internals) is dropped. */
const SAFE_HEADERS = ['content-type', 'content-length', 'etag', 'last-modified', 'link', 'location', 'retry-after', 'x-request-id', 'request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']

/**
 * Runs a connector action through a connection: inputs checked against the action's schema (with
 * defaults filled in), request rendered with the connection's credentials, sent with safe retries,
 * answer returned with the action's output selection. The credentials never leave the runtime.
 *
 * @example
 * const result = await runAction(deps, connections, { appId: 'default', id: 'c_1', actionKey: 'createIssue', body: { inputs }, actor })
 */
export async function runAction(
  deps: ConnectionDeps & { oauth2?: OAuth2Hook },
  connections: ConnectionService,
  call: { appId: string; id: string; actionKey: string; body: RunAction; actor: Actor; retry?: RetryPolicy },
): Promise<ActionResult> {
  const loaded = await loadConnection(deps, call.appId, call.id)
  const { record, connector, method, fields } = loaded
  const action = (connector.actions ?? []).find((a) => a.key === call.actionKey)
  if (!action) {
    const keys = (connector.actions ?? []).map((a) => a.key)
    throw new SwitchboardError(404, 'action_not_found', `Connector "${connector.id}" has no action "${call.actionKey}".${keys.length ? ` Its actions: ${keys.join(', ')}.` : ' It defines no actions.'}`)
  }
  if (call.body.mode === 'workflow') assertWorkflowMay(record)
  const inputs = checkInputs(action, call.body.inputs ?? {})
  const secrets = await credentialsForUse(deps, connections.tests, loaded, call.actor, { then: 'run the action again' })
  const target = { loaded, owner: credentialOwner(record, call.actor.userId) }
  // Least privilege: refused before any token refresh or upstream request.
  deps.oauth2?.assertScopes(target, action.scopes, secrets)
  const attempt = async (accessToken: string | undefined) => {
    const prepared = prepareRequest({
      connector,
      method,
      fields,
      values: effectiveValues(fields, record.fields, secrets?.fields, secrets?.values),
      spec: action,
      inputs,
      ...(record.baseUrl === undefined ? {} : { baseUrl: record.baseUrl }),
      ...(accessToken === undefined ? {} : { accessToken }),
    })
    const masker = createMasker(prepared.auth.secrets)
    try {
      const sent = await sendWithRetries(deps.http, toClientRequest(prepared), call.retry)
      return { prepared, masker, sent }
    } catch (error) {
      throw upstreamFailure(error, masker.text)
    }
  }
  const started = deps.clock().getTime()
  // OAuth2: a fresh access token, refreshed once and retried once when the API answers 401.
  const { prepared, masker, sent } = method.type === 'oauth2' && deps.oauth2
    ? await deps.oauth2.withAccessToken(target, attempt, (r) => r.sent.response.status)
    : await attempt(secrets?.oauth?.accessToken)
  const { response, attempts } = sent
  const headers: Record<string, string> = {}
  for (const name of SAFE_HEADERS) {
    const value = response.headers.get(name)
    if (value !== null) headers[name] = masker.text(value)
  }
  const ok = response.status >= 200 && response.status < 300
  const selected = ok && action.output ? lookup(response.body, splitPointer(action.output)) : response.body
  return {
    ok,
    status: response.status,
    headers,
    body: maskDeep(selected, masker.text),
    durationMs: deps.clock().getTime() - started,
    attempts,
    request: {
      method: prepared.method,
      url: masker.url(prepared.url, prepared.auth.credentialQuery),
      headers: masker.headers(prepared.headers, prepared.auth.credentialHeaders),
      ...(prepared.body === undefined ? {} : { body: masker.text(prepared.body) }),
    },
  }
}

function checkInputs(action: Action, inputs: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(inputs)
  const validate = inputValidator(action.input ?? { type: 'object' })
  if (!validate(copy)) {
    const errors = toProblems(validate.errors ?? []).map((e) => ({ ...e, path: '/inputs' + e.path, message: e.message.replace(/^the connector/, 'inputs').replace(/^(?!inputs)/, 'inputs.') }))
    throw new SwitchboardError(400, 'invalid_inputs', `The inputs of "${action.name}" are not valid: ${errors[0]?.message ?? 'see details'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`, { details: { errors } })
  }
  return copy
}

/** Failures to reach the upstream, in the two codes callers branch on (502 `upstream_error` with `details.reason`, 504 `upstream_timeout`), masked. */
export function upstreamFailure(error: unknown, mask: (text: string) => string): SwitchboardError {
  if (!(error instanceof SwitchboardError)) return new SwitchboardError(502, 'upstream_error', 'The request to the API failed unexpectedly.', { cause: error })
  if (error.status < 500) return error
  if (error.code === 'upstream_timeout') return new SwitchboardError(504, 'upstream_timeout', mask(error.message), { details: error.details })
  return new SwitchboardError(502, 'upstream_error', mask(error.message), { details: { ...(error.details as object), reason: error.code } })
}

/** Upstreams sometimes echo what they received; nothing secret goes back to the caller. */
function maskDeep(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value)
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, mask))
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)]))
  return value
}
