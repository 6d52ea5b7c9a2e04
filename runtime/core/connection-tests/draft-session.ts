import type { TestResult } from '../../../schemas/types/api.ts'
import type { Connector, Field, SessionAuth } from '../../../schemas/types/connector.ts'
import type { HttpClient } from '../../platform/http/index.ts'
import type { FieldValue } from '../../types.ts'
import { logIn } from '../auth/session/index.ts'
import { createMasker } from '../requests/index.ts'
import { errorDiagnosis } from './diagnosis.ts'

/** A draft of a session method, with the values typed for the test. */
export interface SessionDraft {
  connector: Connector
  method: SessionAuth
  fields: ReadonlyMap<string, Field>
  values: Readonly<Record<string, FieldValue>>
  baseUrl?: string | undefined
}

/**
 * Logs a draft in once, so that its test request can carry the session: the session is used for this one test
 * and never stored. A login that fails is the test's result, in the same plain words a stored connection gets.
 *
 * @example
 * const login = await draftSession({ http, clock }, draft)
 * if ('result' in login) return login.result
 */
export async function draftSession(
  deps: { http: HttpClient; clock: () => Date },
  draft: SessionDraft,
): Promise<{ token: string } | { result: TestResult }> {
  const started = deps.clock().getTime()
  const secrets = [...draft.fields].filter(([, field]) => field.type === 'secret').map(([key]) => String(draft.values[key] ?? ''))
  const masker = createMasker(secrets.filter((secret) => secret !== ''))
  const login = draft.method.login
  const request = { method: login.method ?? 'POST', url: login.path ?? login.url ?? '', headers: {} }
  const failed = (problem: TestResult['problem'], diagnosis: string): { result: TestResult } => ({
    result: { ok: false, durationMs: deps.clock().getTime() - started, problem, diagnosis: masker.text(diagnosis), request },
  })
  try {
    const outcome = await logIn({ ...draft, http: deps.http, now: started, timeoutMs: 15_000 })
    if (outcome.ok) return { token: outcome.token.accessToken }
    if (outcome.kind === 'unavailable')
      return failed('upstream_error', `The login did not answer usably (${outcome.reason}). Try again later.`)
    const why = outcome.message ?? 'the login was refused.'
    return failed('credentials_rejected', why.charAt(0).toUpperCase() + why.slice(1))
  } catch (error) {
    const { problem, diagnosis } = errorDiagnosis(error, masker)
    return failed(problem, diagnosis)
  }
}
