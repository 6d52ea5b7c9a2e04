import type { Connector, Field, SessionAuth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import type { HttpClient, HttpResponse } from '../../../platform/http/index.ts'
import type { FieldValue } from '../../../types.ts'
import { originAllowed } from '../../connections/origin.ts'
import { prepareRequest, renderUrlTemplate, ruleHolds } from '../../requests/index.ts'
import { renderCredential } from '../material.ts'
import type { RenewOutcome } from '../types.ts'
import { captureAll } from './capture.ts'
import { expiresAt } from './expiry.ts'
import { encodeSession } from './held-session.ts'

/** What a login needs: the connector, the connection's base URL and values (secrets included), the client, the time. */
export interface LoginContext {
  method: SessionAuth
  connector: Connector
  fields: ReadonlyMap<string, Field>
  /** The connection's own base URL, when it has one (else the connector's, rendered). */
  baseUrl?: string | undefined
  values: Readonly<Record<string, FieldValue>>
  http: HttpClient
  now: number
  timeoutMs: number
}

/**
 * Logs in: sends the connector's login call to the connection's origin (or a host its `allowedHosts` admits),
 * never following a redirect, and takes the captured values from the answer. A refusal (4xx, a body rule that
 * fails, a required value missing) is `rejected` with plain words; 429, 5xx, a redirect or no answer is
 * `unavailable`, which the token engine retries after a pause. Never throws for what the API answers.
 *
 * @example
 * const outcome = await logIn({ method, loaded, values, http, now: Date.now(), timeoutMs: 15_000 })
 * if (outcome.ok) sessionValues(outcome.token.accessToken).token
 */
export async function logIn(context: LoginContext): Promise<RenewOutcome> {
  const { method } = context
  const login = method.login
  const prepared = prepareRequest({
    connector: context.connector,
    fields: context.fields,
    values: context.values,
    baseUrl: context.baseUrl,
    spec: {
      method: login.method ?? 'POST',
      path: login.path ?? '/',
      ...(login.headers ? { headers: login.headers } : {}),
      ...(login.body === undefined ? {} : { body: login.body, bodyType: login.bodyType ?? 'json' }),
    },
  })
  const url = login.url === undefined ? prepared.url : loginUrl(login.url, context, prepared.baseUrl)
  if (login.basic) {
    const input = { values: context.values, fields: context.fields }
    const username = renderCredential(login.basic.username, input) ?? ''
    const password = renderCredential(login.basic.password, input) ?? ''
    prepared.headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
  }
  let response: HttpResponse
  try {
    response = await context.http.request({
      url,
      method: prepared.method,
      headers: prepared.headers,
      ...(prepared.body === undefined ? {} : { body: prepared.body }),
      responseType: 'auto',
      // A login's redirect is never followed: it would carry the password wherever the Location says.
      redirect: 'manual',
      timeoutMs: context.timeoutMs,
    })
  } catch (error) {
    if (error instanceof SwitchboardError && ['blocked_address', 'invalid_url', 'local_name'].includes(error.code)) throw error
    return { ok: false, kind: 'unavailable', reason: error instanceof SwitchboardError ? error.code : 'network_error' }
  }
  return judge(context, response)
}

/** What the login's answer means. */
function judge(context: LoginContext, response: HttpResponse): RenewOutcome {
  const { method } = context
  const status = response.status
  if (status === 429) return { ok: false, kind: 'unavailable', reason: 'the login is rate-limited (429)' }
  if (status >= 500) return { ok: false, kind: 'unavailable', reason: `the login failed on the server (${status})` }
  if (status >= 300 && status < 400) return { ok: false, kind: 'unavailable', reason: `the login answered a redirect (${status})` }
  const refused = (why: string): RenewOutcome => ({
    ok: false,
    kind: 'rejected',
    revoked: true,
    error: 'login_rejected',
    message: `the login was refused (${why}). Check the credentials and connect again.`,
  })
  if (!(method.login.successStatus ?? [200, 201, 204]).includes(status)) return refused(`the API answered ${status}`)
  for (const rule of method.login.bodyRules ?? []) {
    if (!ruleHolds(rule, response.body)) return refused('the answer did not say the login worked')
  }
  const captured = captureAll(method, response)
  if (!captured.ok) return refused(`the answer has no ${captured.missing}`)
  const ends = expiresAt(method.expiry, response, context.now)
  return { ok: true, token: { accessToken: encodeSession(captured.values), ...(ends === undefined ? {} : { expiresAt: ends }) } }
}

/** An absolute login URL goes to the connection's origin, or to one its connector's `allowedHosts` admits. */
function loginUrl(template: string, context: LoginContext, baseUrl: URL): URL {
  const rendered = renderUrlTemplate(template, context.values, 'login URL')
  if (!URL.canParse(rendered))
    throw new SwitchboardError(400, 'invalid_url', 'The login URL is not a valid URL. Check the fields it is made from.')
  const url = new URL(rendered)
  if (url.origin !== baseUrl.origin && !originAllowed(url, context.connector.allowedHosts)) {
    throw new SwitchboardError(
      400,
      'other_origin',
      `The login URL must be on the connection's origin (${baseUrl.origin}) or a host the connector allows: the password is ` +
        'only sent there.',
    )
  }
  return url
}
