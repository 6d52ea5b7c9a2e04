import { lookup, renderTemplate } from '../../../schemas/template/index.ts'
import type { TestResult } from '../../../schemas/types/api.ts'
import type { AnswerDiagnosis, BodyRule, TestRequest } from '../../../schemas/types/connector.ts'
import { splitPointer } from '../../../schemas/validate/index.ts'
import type { HttpResponse } from '../../platform/http/index.ts'
import { describeRule, type Masker, ruleHolds } from '../requests/index.ts'
import type { ConnectionUse, RequestPreview, Sent } from '../use/index.ts'
import { errorDiagnosis, statusDiagnosis } from './diagnosis.ts'

const EXCERPT_BYTES = 2048

/**
 * Runs a connector's test request through a connection use (stored or draft) and says in plain words what
 * happened. Never throws for upstream failures: they are the result. Secrets are masked everywhere.
 *
 * @example
 * const result = await runTest(await use.open(appId, id, actor, { afterwards: 'test it' }), connector.test!)
 * result.ok // true
 */
export async function runTest(
  conn: ConnectionUse,
  test: TestRequest,
  clock: () => number = Date.now,
  /** A draft's test has no connection to connect again: its values are typed in the test panel. */
  of: 'connection' | 'draft' = 'connection',
): Promise<TestResult> {
  const started = clock()
  let request: RequestPreview = { method: test.method ?? 'GET', url: '', headers: {} }
  let sent: Sent
  try {
    sent = await conn.send(test, { retry: false, onPreview: (preview) => (request = preview) })
  } catch (error) {
    return { ok: false, durationMs: clock() - started, ...errorDiagnosis(error, conn.masker()), request }
  }
  const { response, masker } = sent
  const durationMs = clock() - started
  const contentType = response.headers.get('content-type')
  const base = {
    status: response.status,
    durationMs,
    request,
    response: { status: response.status, excerpt: excerpt(response, masker), ...(contentType ? { contentType } : {}) },
  }
  // A redirect to another origin is not followed (credentials go to the connection's origin only), and
  // whatever would answer there proves nothing (a login page answers 200): the test fails and says where.
  const elsewhere = redirectedElsewhere(response, sent.url)
  if (elsewhere) {
    return {
      ok: false,
      ...base,
      problem: 'redirected_elsewhere',
      diagnosis: masker.text(
        `The API redirected the test to another site (${elsewhere}), where credentials are not sent. Check the base URL: the service ` +
          `may have moved, or the path may need the API's own host.`,
      ),
    }
  }
  const known = knownAnswer(test, response)
  if (known) return { ok: false, ...base, problem: known.problem, diagnosis: masker.text(known.message) }
  const expected = test.successStatus ?? [200]
  if (!expected.includes(response.status)) {
    return { ok: false, ...base, ...statusDiagnosis(response.status, response.statusText, expected, request.url, of) }
  }
  for (const rule of test.bodyRules ?? []) {
    const failure = checkRule(rule, response, masker)
    if (failure) return { ok: false, ...base, problem: 'body_rule_failed', diagnosis: masker.text(failure) }
  }
  const label = test.label ? masker.text(renderLabel(test.label, response)) : undefined
  return {
    ok: true,
    ...base,
    ...(label ? { label } : {}),
    diagnosis: label ? `Connected as ${label}.` : `The test request succeeded (${response.status}).`,
  }
}

/** The start of the answer, masked: JSON is masked as values (keys and strings, whatever their escaping). */
function excerpt(response: HttpResponse, masker: Masker): string {
  if (response.body !== null && typeof response.body === 'object')
    return JSON.stringify(masker.value(response.body)).slice(0, EXCERPT_BYTES)
  return masker.text(response.text.slice(0, EXCERPT_BYTES))
}

/** The other origin a 3xx points to, if it does. */
function redirectedElsewhere(response: HttpResponse, sentTo: URL): string | undefined {
  const location = response.headers.get('location')
  if (response.status < 300 || response.status > 399 || !location) return undefined
  try {
    const target = new URL(location, response.url)
    return target.origin === sentTo.origin ? undefined : target.origin
  } catch {
    return undefined
  }
}

function renderLabel(template: string, response: HttpResponse): string {
  const headers = Object.fromEntries(response.headers)
  return renderTemplate(template, ([head, ...rest]) =>
    head === 'body'
      ? lookup(response.body, rest)
      : head === 'headers'
        ? lookup(
            headers,
            rest.map((h) => h.toLowerCase()),
          )
        : undefined,
  ).trim()
}

/** A failed rule, quoted, with what was found instead (masked before it is quoted); undefined when it holds. */
function checkRule(rule: BodyRule, response: HttpResponse, masker: Masker): string | undefined {
  const quoted = describeRule(rule)
  if (typeof response.body !== 'object' || response.body === null) {
    return `The response is not JSON, so the rule ${quoted} cannot hold. The request probably reached the wrong endpoint.`
  }
  if (ruleHolds(rule, response.body)) return undefined
  const found = lookup(response.body, splitPointer(rule.pointer))
  const shown = found === undefined ? 'nothing there' : JSON.stringify(masker.value(found)).slice(0, 80)
  const hint = errorHint(masker.value(response.body))
  return `The response failed the rule ${quoted}: found ${shown}.${hint ? ` The API said: ${hint}.` : ''}`
}

/** The first of the connector's diagnoses whose shape the answer has. */
function knownAnswer(test: TestRequest, response: HttpResponse): AnswerDiagnosis | undefined {
  const type = (response.headers.get('content-type') ?? '').toLowerCase()
  return test.diagnoses?.find(
    (d) =>
      (d.status === undefined || d.status.includes(response.status)) &&
      (d.contentType === undefined || type.startsWith(d.contentType.toLowerCase())) &&
      (d.bodyRules === undefined || d.bodyRules.every((rule) => ruleHolds(rule, response.body))),
  )
}

/** Many APIs that answer 200 on failure say why in an `error` property (Slack: `"invalid_auth"`). */
function errorHint(body: unknown): string | undefined {
  const error = lookup(body, ['error']) ?? lookup(body, ['message'])
  return typeof error === 'string' ? JSON.stringify(error.slice(0, 120)) : undefined
}
