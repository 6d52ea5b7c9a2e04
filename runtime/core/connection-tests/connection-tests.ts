import type { TestDraft, TestResult } from '../../../schemas/types/api.ts'
import type { Connector } from '../../../schemas/types/connector.ts'
import { validateConnector } from '../../../schemas/validate/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { ConnectionRecord, CredentialRecord, LastTest } from '../../types.ts'
import { type Actor, type ConnectionDeps, loadConnection } from '../connections/context.ts'
import { credentialId } from '../connections/credentials.ts'
import { checkValues } from '../connections/field-values.ts'
import { aboutConnection, type ConnectionEvents } from '../events/index.ts'
import { effectiveValues, fieldDefinitions, pickAuthMethod } from '../requests/index.ts'
import type { ConnectionUse, ConnectionUseCore } from '../use/index.ts'
import { draftSession } from './draft-session.ts'
import { runTest } from './run-test.ts'

/**
 * Connection tests: of a stored connection (the result is recorded on it, or on the member's own
 * credentials for a personal connection) and of an unsaved draft definition with values used once and never
 * stored. Both go through the one connection-use core.
 *
 * @example
 * const tests = createConnectionTests({ ...deps, use })
 * const result = await tests.run('default', 'c_123', actor)
 */
export function createConnectionTests(
  deps: Pick<ConnectionDeps, 'store' | 'catalogue' | 'clock' | 'http'> & { use: ConnectionUseCore; events?: ConnectionEvents },
) {
  const elapsed = () => deps.clock().getTime()

  return {
    async run(appId: string, id: string, actor: Actor): Promise<TestResult> {
      let conn: ConnectionUse
      try {
        conn = await deps.use.open(appId, id, actor, { afterwards: 'test it' })
      } catch (error) {
        if (!(error instanceof SwitchboardError) || error.code !== 'connection_required') throw error
        const { connector } = await loadConnection(deps, appId, id)
        if (!connector.test) throw noTest(connector)
        return {
          ok: false,
          durationMs: 0,
          problem: 'missing_credentials',
          diagnosis: 'The connection has no credentials yet. Connect it first, then test.',
          request: { method: 'GET', url: '', headers: {} },
        }
      }
      const test = conn.connector.test
      if (!test) throw noTest(conn.connector)
      const result = await runTest(conn, test, elapsed)
      await record(id, conn.target?.owner, result)
      return result
    },

    async draft(body: TestDraft): Promise<TestResult> {
      const validation = validateConnector(body.connector)
      if (!validation.valid) {
        throw new SwitchboardError(
          400,
          'invalid_connector',
          `The draft has ${validation.errors.length} error${validation.errors.length === 1 ? '' : 's'}; fix ` +
            `${validation.errors.length === 1 ? 'it' : 'them'} before testing: ${validation.errors[0]!.message}`,
          { details: validation },
        )
      }
      const connector = body.connector as unknown as Connector
      if (!connector.test)
        throw new SwitchboardError(400, 'no_test', 'The draft defines no test request. Add one under "test" (a path or an absolute URL).')
      const method = pickAuthMethod(connector, body.authMethod)
      if (method.type === 'oauth2')
        throw new SwitchboardError(
          400,
          'oauth2_draft',
          'Drafts with OAuth2 cannot be tested with typed values; save the connector and connect through the OAuth2 flow.',
        )
      const fields = fieldDefinitions(connector, method)
      const split = checkValues(fields, body.values ?? {}, { require: 'all' })
      const values = effectiveValues(fields, split.plain, split.secrets)
      // A session method logs in once for the draft; the session is used for this test only.
      let token: string | undefined
      if (method.type === 'session') {
        const login = await draftSession(deps, { connector, method, fields, values, baseUrl: body.baseUrl })
        if ('result' in login) return login.result
        token = login.token
      }
      const draft = deps.use.draft({ connector, method, fields, values, baseUrl: body.baseUrl, token })
      return runTest(draft, connector.test, elapsed, 'draft')
    },
  }

  /**
   * Keeps the result: each member's test of a personal connection speaks of their own account. A shared
   * connection whose status changes with it is told to listeners: `connection.connected` when untested credentials
   * pass their first test (a member's own too), `connection.failed` when a connected or untested one fails,
   * `connection.recovered` when a failing one passes again.
   */
  async function record(id: string, owner: string | undefined, result: TestResult): Promise<void> {
    const lastTest: LastTest = {
      at: deps.clock().toISOString(),
      ok: result.ok,
      diagnosis: result.diagnosis,
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.problem ? { problem: result.problem } : {}),
    }
    if (owner !== undefined) {
      let untested = false as boolean
      const updated = await deps.store.update<CredentialRecord>(
        'credentials',
        credentialId(id, owner),
        (current) => {
          if (!current) return current
          untested = current.untested === true
          const { untested: _checked, ...rest } = current
          const next: CredentialRecord = { ...rest, lastTest }
          if (result.ok && result.label) next.accountLabel = result.label
          return next
        },
        RELAXED,
      )
      // A member's typed credentials passing their first test: their connection is now verified.
      const connection = untested && result.ok && updated && (await deps.store.get<ConnectionRecord>('connections', id))
      if (connection && deps.events) {
        await deps.events.emit({
          type: 'connection.connected',
          at: lastTest.at,
          data: aboutConnection({ ...connection, status: 'connected' }),
        })
      }
      return
    }
    let before: ConnectionRecord['status'] | undefined
    const after = await deps.store.update<ConnectionRecord>(
      'connections',
      id,
      (current) => {
        if (!current) return current
        before = current.status
        const next: ConnectionRecord = { ...current, lastTest }
        if (current.status !== 'expired') next.status = result.ok ? 'connected' : 'error'
        if (result.ok && result.label) next.accountLabel = result.label
        return next
      },
      RELAXED,
    )
    const type =
      (before === 'connected' || before === 'untested') && after?.status === 'error'
        ? 'connection.failed'
        : before === 'error' && after?.status === 'connected'
          ? 'connection.recovered'
          : before === 'untested' && after?.status === 'connected'
            ? 'connection.connected'
            : undefined
    if (!type || !after || !deps.events) return
    const outcome = {
      ...(result.problem ? { problem: result.problem } : {}),
      ...(result.status === undefined ? {} : { httpStatus: result.status }),
    }
    await deps.events.emit({ type, at: lastTest.at, data: { ...aboutConnection(after), ...outcome } })
  }
}

/**
 * A test result is recorded without waiting for it to be durable: the answer is not held hostage to an fsync,
 * and a crash may lose at most the last results, never credentials (written durably elsewhere).
 */
const RELAXED = { durability: 'relaxed' } as const

function noTest(connector: Connector): SwitchboardError {
  return new SwitchboardError(409, 'no_test', `Connector "${connector.id}" defines no test request, so its connections cannot be tested.`)
}

/** The connection tests' type. */
export type ConnectionTests = ReturnType<typeof createConnectionTests>
