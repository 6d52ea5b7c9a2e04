import type { TestResult } from '../../schemas/types/api.ts'
import type { BodyRule, TestRequest } from '../../schemas/types/connector.ts'
import { lookup, renderTemplate } from '../../schemas/template/index.ts'
import { splitPointer } from '../../schemas/validate/index.ts'
import type { HttpClient, HttpResponse } from '../http/index.ts'
import { createMasker, prepareRequest, toClientRequest, type PrepareInput } from '../requests/index.ts'
import { errorDiagnosis, statusDiagnosis } from './diagnosis.ts'

const EXCERPT_BYTES = 2048

/**
 * Runs a connector's test request for a connection (or a draft) and says in plain words what
 * happened. Never throws for upstream failures: they are the result. Secrets are masked everywhere.
 *
 * @example
 * const result = await runTest(http, { connector, method, fields, values, spec: connector.test! })
 * result.ok // true
 */
export async function runTest(http: HttpClient, input: Omit<PrepareInput, 'spec'> & { test: TestRequest }, clock: () => number = Date.now): Promise<TestResult> {
  const started = clock()
  const secrets = Object.entries(input.values).filter(([key]) => input.fields.get(key)?.type === 'secret').map(([, v]) => String(v))
  let masker = createMasker(secrets)
  let prepared
  try {
    prepared = prepareRequest({ ...input, spec: input.test })
  } catch (error) {
    return { ok: false, durationMs: clock() - started, ...errorDiagnosis(error, masker), request: { method: input.test.method ?? 'GET', url: '', headers: {} } }
  }
  masker = createMasker([...secrets, ...prepared.auth.secrets])
  const request = {
    method: prepared.method,
    url: masker.url(prepared.url, prepared.auth.credentialQuery),
    headers: masker.headers(prepared.headers, prepared.auth.credentialHeaders),
  }
  let response: HttpResponse
  try {
    response = await http.request(toClientRequest(prepared))
  } catch (error) {
    return { ok: false, durationMs: clock() - started, ...errorDiagnosis(error, masker), request }
  }
  const durationMs = clock() - started
  const excerpt = masker.text(response.text.slice(0, EXCERPT_BYTES))
  const contentType = response.headers.get('content-type')
  const base = {
    status: response.status,
    durationMs,
    request,
    response: { status: response.status, excerpt, ...(contentType ? { contentType } : {}) },
  }
  // Credentials were dropped at the cross-origin hop, so whatever answered there proves nothing
  // (a login page answers 200): the test fails and says where it was sent.
  const landed = new URL(response.url)
  if (response.redirects > 0 && landed.origin !== prepared.url.origin) {
    return {
      ok: false,
      ...base,
      problem: 'redirected_elsewhere',
      diagnosis: `The API redirected the test to another site (${landed.origin}), where credentials are not sent. Check the base URL: the service may have moved, or the path may need the API's own host.`,
    }
  }
  const expected = input.test.successStatus ?? [200]
  if (!expected.includes(response.status)) {
    return { ok: false, ...base, ...statusDiagnosis(response.status, response.statusText, expected, request.url) }
  }
  for (const rule of input.test.bodyRules ?? []) {
    const failure = checkRule(rule, response)
    if (failure) return { ok: false, ...base, problem: 'body_rule_failed', diagnosis: masker.text(failure) }
  }
  const label = input.test.label ? masker.text(renderLabel(input.test.label, response)) : undefined
  return {
    ok: true,
    ...base,
    ...(label ? { label } : {}),
    diagnosis: label ? `Connected as ${label}.` : `The test request succeeded (${response.status}).`,
  }
}

function renderLabel(template: string, response: HttpResponse): string {
  const headers = Object.fromEntries(response.headers)
  return renderTemplate(template, ([head, ...rest]) => (head === 'body' ? lookup(response.body, rest) : head === 'headers' ? lookup(headers, rest.map((h) => h.toLowerCase())) : undefined)).trim()
}

/** A failed rule, quoted, with what was found instead; undefined when it holds. */
function checkRule(rule: BodyRule, response: HttpResponse): string | undefined {
  const found = lookup(response.body, splitPointer(rule.pointer))
  const quoted = rule.exists !== undefined ? `"${rule.pointer}" ${rule.exists ? 'exists' : 'does not exist'}` : `"${rule.pointer}" equals ${JSON.stringify(rule.equals)}`
  if (typeof response.body !== 'object' || response.body === null) {
    return `The response is not JSON, so the rule ${quoted} cannot hold. The request probably reached the wrong endpoint.`
  }
  const holds = rule.exists !== undefined ? (found !== undefined) === rule.exists : found === rule.equals
  if (holds) return undefined
  const shown = found === undefined ? 'nothing there' : JSON.stringify(found).slice(0, 80)
  const hint = errorHint(response.body)
  return `The response failed the rule ${quoted}: found ${shown}.${hint ? ` The API said: ${hint}.` : ''}`
}

/** Many APIs that answer 200 on failure say why in an `error` property (Slack: `"invalid_auth"`). */
function errorHint(body: unknown): string | undefined {
  const error = lookup(body, ['error']) ?? lookup(body, ['message'])
  return typeof error === 'string' ? JSON.stringify(error.slice(0, 120)) : undefined
}
