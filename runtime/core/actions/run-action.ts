import { lookup } from '../../../schemas/template/index.ts'
import type { ActionResult, RunAction } from '../../../schemas/types/api.ts'
import type { Action, Connector } from '../../../schemas/types/connector.ts'
import { inputValidator, splitPointer, toProblems } from '../../../schemas/validate/index.ts'
import { SwitchboardError } from '../../errors.ts'
import { joinedValue, type RawHeaders } from '../../platform/http/index.ts'
import { assertScopes } from '../auth/oauth2/index.ts'
import type { Actor } from '../connections/index.ts'
import type { ConnectionUseCore, RetryPolicy } from '../use/index.ts'
import { readPages } from './paginate.ts'

/** Response headers worth passing on; everything else (cookies, hop-by-hop, server internals) is dropped. */
const SAFE_HEADERS = [
  'content-type',
  'content-length',
  'etag',
  'last-modified',
  'link',
  'location',
  'retry-after',
  'x-request-id',
  'request-id',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
]

/**
 * Runs a connector action through a connection: inputs checked against the action's schema (with defaults
 * filled in), scopes checked (least privilege) before anything is sent, the request rendered and sent through
 * the connection-use core with safe retries, the answer returned with the action's output selection and every
 * secret masked (values, object keys, headers). The credentials never leave the runtime.
 *
 * @example
 * const result = await runAction({ use, publicUrl, clock }, { appId: 'default', id: 'c_1', actionKey: 'createIssue', body: { inputs },
 * actor })
 */
export async function runAction(
  deps: { use: ConnectionUseCore; publicUrl: string; clock: () => Date },
  call: { appId: string; id: string; actionKey: string; body: RunAction; actor: Actor; retry?: RetryPolicy | undefined },
): Promise<ActionResult> {
  const checked: { action?: Action; inputs?: Record<string, unknown> } = {}
  const conn = await deps.use.open(call.appId, call.id, call.actor, {
    mode: call.body.mode,
    afterwards: 'run the action again',
    check: ({ connector }) => {
      const action = actionOf(connector, call.actionKey)
      checked.action = action
      checked.inputs = checkInputs(action, call.body.inputs ?? {})
    },
  })
  const action = checked.action!
  const inputs = checked.inputs!
  // Least privilege: refused before any token refresh or upstream request.
  if (conn.target) assertScopes(deps.publicUrl, conn.target, action.scopes, conn.secrets)
  const started = deps.clock().getTime()
  if (action.pagination) {
    // Every page, its items gathered: the answer is the last page's, its body the items (or a failed page's body).
    const pages = await readPages(conn, action, action.pagination, inputs, call.retry)
    const { response, masker } = pages.last
    const ok = response.status >= 200 && response.status < 300
    return {
      ok,
      status: response.status,
      headers: safeHeaders(response.rawHeaders, masker.text),
      body: masker.value(ok ? pages.items : response.body),
      durationMs: deps.clock().getTime() - started,
      attempts: pages.attempts,
      pagination: pages.report,
      request: pages.first.request,
    }
  }
  const { request, response, attempts, masker } = await conn.send(action, { inputs, ...(call.retry ? { retry: call.retry } : {}) })
  const headers = safeHeaders(response.rawHeaders, masker.text)
  const ok = response.status >= 200 && response.status < 300
  const selected = ok && action.output ? lookup(response.body, splitPointer(action.output)) : response.body
  return {
    ok,
    status: response.status,
    headers,
    body: masker.value(selected),
    durationMs: deps.clock().getTime() - started,
    attempts,
    request,
  }
}

/**
 * A connector's action by key; 404 `action_not_found` naming the ones it has.
 *
 * @example
 * const action = actionOf(connector, 'createIssue')
 */
export function actionOf(connector: Connector, actionKey: string): Action {
  const action = (connector.actions ?? []).find((a) => a.key === actionKey)
  if (action) return action
  const keys = (connector.actions ?? []).map((a) => a.key)
  const has = keys.length ? ` Its actions: ${keys.join(', ')}.` : ' It defines no actions.'
  throw new SwitchboardError(404, 'action_not_found', `Connector "${connector.id}" has no action "${actionKey}".${has}`)
}

function safeHeaders(from: RawHeaders, mask: (text: string) => string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const name of SAFE_HEADERS) {
    const value = from[name]
    if (value !== undefined) headers[name] = mask(joinedValue(value)!)
  }
  return headers
}

function checkInputs(action: Action, inputs: Record<string, unknown>): Record<string, unknown> {
  // A copy the validator may fill with defaults, leaving the caller's alone; inputs are JSON (a request body), and a
  // JSON round trip copies a small object several times faster than structuredClone.
  const copy = JSON.parse(JSON.stringify(inputs)) as Record<string, unknown>
  let validate: ReturnType<typeof inputValidator>
  try {
    validate = inputValidator(action.input ?? { type: 'object' })
  } catch (error) {
    // A connector saved before its input schema's rules tightened (a pattern RE2 cannot run): say so, not 500.
    throw new SwitchboardError(
      409,
      'invalid_connector',
      `The input schema of "${action.name}" cannot be used (${(error as Error).message.slice(0, 200)}). Fix the connector's action, ` +
        `then run it again.`,
    )
  }
  if (!validate(copy)) {
    const errors = toProblems(validate.errors ?? []).map((e) => ({
      ...e,
      path: `/inputs${e.path}`,
      message: e.message.replace(/^the connector/, 'inputs').replace(/^(?!inputs)/, 'inputs.'),
    }))
    throw new SwitchboardError(
      400,
      'invalid_inputs',
      `The inputs of "${action.name}" are not valid: ` +
        `${errors[0]?.message ?? 'see details'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`,
      { details: { errors } },
    )
  }
  return copy
}
