import type { TestDraft, TestResult } from '../../schemas/types/api.ts'
import type { Connector } from '../../schemas/types/connector.ts'
import { validateConnector } from '../../schemas/validate/index.ts'
import { SwitchboardError } from '../errors.ts'
import type { OAuth2Hook } from '../oauth2/index.ts'
import { effectiveValues, fieldDefinitions, pickAuthMethod } from '../requests/index.ts'
import type { ConnectionRecord, CredentialRecord, CredentialSecrets, LastTest } from '../types.ts'
import { loadConnection, needsCredentials, type Actor, type ConnectionDeps, type Loaded } from './context.ts'
import { credentialId, credentialOwner, openCredentials } from './credentials.ts'
import { checkValues } from './field-values.ts'
import { runTest } from './run-test.ts'

/**
 * Connection tests: of a stored connection (the result is recorded on it) and of an unsaved draft
 * definition with values used once and never stored.
 *
 * @example
 * const result = await tests.run('default', 'c_123', actor)
 */
export function createConnectionTests(deps: ConnectionDeps & { oauth2?: OAuth2Hook }) {
  const elapsed = () => deps.clock().getTime()

  /** The actor's usable credentials for a connection, or undefined. */
  async function secretsFor(loaded: Loaded, actor: Actor): Promise<CredentialSecrets | undefined> {
    const owner = credentialOwner(loaded.record, actor.userId)
    const record = await deps.store.get<CredentialRecord>('credentials', credentialId(loaded.record.id, owner))
    if (!record) return undefined
    const secrets = openCredentials(deps.keyRing, record)
    return record.fields ? { ...secrets, fields: record.fields } : secrets
  }

  return {
    secretsFor,

    async run(appId: string, id: string, actor: Actor): Promise<TestResult> {
      const loaded = await loadConnection(deps, appId, id)
      const { record, connector, method, fields } = loaded
      const test = connector.test
      if (!test) throw new SwitchboardError(409, 'no_test', `Connector "${connector.id}" defines no test request, so its connections cannot be tested.`)
      const secrets = await secretsFor(loaded, actor)
      let result: TestResult
      if (needsCredentials(method, fields) && !secrets) {
        result = {
          ok: false,
          durationMs: 0,
          problem: 'missing_credentials',
          diagnosis: 'The connection has no credentials yet. Connect it first, then test.',
          request: { method: test.method ?? 'GET', url: '', headers: {} },
        }
        return result
      }
      const values = effectiveValues(fields, record.fields, secrets?.fields, secrets?.values)
      const attempt = (accessToken: string | undefined) => runTest(deps.http, {
        connector,
        method,
        fields,
        values,
        test,
        ...(record.baseUrl === undefined ? {} : { baseUrl: record.baseUrl }),
        ...(accessToken === undefined ? {} : { accessToken }),
      }, elapsed)
      try {
        // OAuth2: a fresh access token, refreshed once and retried once when the API answers 401.
        result = method.type === 'oauth2' && deps.oauth2
          ? await deps.oauth2.withAccessToken({ loaded, owner: credentialOwner(record, actor.userId) }, attempt, (r) => r.status)
          : await attempt(secrets?.oauth?.accessToken)
      } catch (error) {
        if (!(error instanceof SwitchboardError)) throw error
        result = { ok: false, durationMs: 0, problem: error.status === 428 ? 'missing_credentials' : 'credentials_rejected', diagnosis: error.message, request: { method: test.method ?? 'GET', url: '', headers: {} } }
      }
      const lastTest: LastTest = { at: deps.clock().toISOString(), ok: result.ok, diagnosis: result.diagnosis, ...(result.status === undefined ? {} : { status: result.status }), ...(result.problem ? { problem: result.problem } : {}) }
      if (record.sharing === 'personal') {
        // Each member's test speaks of their own account: kept with their credentials.
        await deps.store.update<CredentialRecord>('credentials', credentialId(id, actor.userId), (current) => {
          if (!current) return current
          const next: CredentialRecord = { ...current, lastTest }
          if (result.ok && result.label) next.accountLabel = result.label
          return next
        })
        return result
      }
      await deps.store.update<ConnectionRecord>('connections', id, (current) => {
        if (!current) return current
        const next: ConnectionRecord = { ...current, lastTest }
        if (current.status !== 'expired') next.status = result.ok ? 'connected' : 'error'
        if (result.ok && result.label) next.accountLabel = result.label
        return next
      })
      return result
    },

    async draft(body: TestDraft): Promise<TestResult> {
      const validation = validateConnector(body.connector)
      if (!validation.valid) {
        throw new SwitchboardError(400, 'invalid_connector', `The draft has ${validation.errors.length} error${validation.errors.length === 1 ? '' : 's'}; fix ${validation.errors.length === 1 ? 'it' : 'them'} before testing: ${validation.errors[0]!.message}`, { details: validation })
      }
      const connector = body.connector as unknown as Connector
      if (!connector.test) throw new SwitchboardError(400, 'no_test', 'The draft defines no test request. Add one under "test" (a path or an absolute URL).')
      const method = pickAuthMethod(connector, body.authMethod)
      if (method.type === 'oauth2') throw new SwitchboardError(400, 'oauth2_draft', 'Drafts with OAuth2 cannot be tested with typed values; save the connector and connect through the OAuth2 flow.')
      const fields = fieldDefinitions(connector, method)
      const split = checkValues(fields, body.values ?? {}, { require: 'all' })
      const values = effectiveValues(fields, split.plain, split.secrets)
      return runTest(deps.http, { connector, method, fields, values, test: connector.test, ...(body.baseUrl === undefined ? {} : { baseUrl: body.baseUrl }) }, elapsed)
    },
  }
}
