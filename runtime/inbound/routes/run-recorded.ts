import type { Context } from 'hono'
import type { ActionResult, RunAction, RunMode } from '../../../schemas/types/api.ts'
import { type RunLog, recordAction, runAction } from '../../core/actions/index.ts'
import type { ConnectionUseCore, RetryPolicy } from '../../core/use/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { ConnectionRecord } from '../../types.ts'
import { audited, type RouteEnv } from '../access/index.ts'
import { connectionEvents as events } from '../audit/index.ts'

/** What running an action from a route needs. */
export interface RunDeps {
  use: ConnectionUseCore
  publicUrl: string
  clock: () => Date
  runs: RunLog
  retry?: RetryPolicy | undefined
}

/**
 * Runs an action through a connection for a route, records the run and the audit entry (`action.run`), the
 * failures included: the one way both `…/connections/:id/actions/:actionKey` and `…/run/:connectorId/:actionKey`
 * run an action. `body` is read inside, so a bad body is a failed run too.
 *
 * @example
 * return c.json(await runRecorded(c, deps, record, actionKey, () => readBody<RunAction>(c, 'RunAction')))
 */
export async function runRecorded(
  c: Context<RouteEnv>,
  deps: RunDeps,
  record: Pick<ConnectionRecord, 'id' | 'appId' | 'connectorId' | 'name'>,
  actionKey: string,
  body: () => Promise<RunAction>,
): Promise<ActionResult> {
  const actor = { userId: c.get('user').id }
  let mode: RunMode = 'user'
  try {
    const read = await body()
    mode = read.mode ?? 'user'
    const run = { appId: record.appId, connectionId: record.id, userId: actor.userId, mode, action: actionKey }
    const result = await recordAction(deps.runs, run, () =>
      runAction(deps, { appId: record.appId, id: record.id, actionKey, body: read, actor, retry: deps.retry }),
    )
    await audited(c, events.actionRun(record, actionKey, mode, { status: result.status }))
    return result
  } catch (error) {
    // An action that does not exist ran nothing; every other failure is a run that failed.
    if (!(error instanceof SwitchboardError && error.status === 404)) {
      await audited(
        c,
        events.actionRun(record, actionKey, mode, { code: error instanceof SwitchboardError ? error.code : 'internal_error' }),
      )
    }
    throw error
  }
}
