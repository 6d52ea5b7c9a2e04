import type { Connection, SetupConnection, SetupTool } from '../../../schemas/types/api.ts'
import type { Bound } from './bindings.ts'

/** How the connection in use was picked. */
export type ChosenBy = NonNullable<SetupTool['chosenBy']>

/** Which connection a caller uses for a connector, or why there is none. */
export type Resolution =
  | { state: 'chosen'; connection: Connection; by: ChosenBy }
  | { state: 'none' }
  | { state: 'choose'; candidates: Connection[] }

/**
 * Picks the connection a caller uses for a connector, from the app's connections to it (as the caller sees
 * them) and the bindings: the caller's own binding first (it only ever names a personal connection), then the
 * app's, then the only connection there is. A binding whose connection was deleted (or moved to another
 * connector) counts as none. A workflow (nobody present) ignores personal picks: it uses the app's.
 *
 * @example
 * resolve(views, { app: 'c_1' }, 'user') // { state: 'chosen', connection: …, by: 'app' }
 */
export function resolve(candidates: readonly Connection[], bound: Bound, mode: 'user' | 'workflow'): Resolution {
  const find = (id: string | undefined) => (id === undefined ? undefined : candidates.find((c) => c.id === id))
  const mine = mode === 'user' ? find(bound.mine) : undefined
  if (mine && mine.sharing === 'personal') return { state: 'chosen', connection: mine, by: 'member' }
  const app = find(bound.app)
  if (app) return { state: 'chosen', connection: app, by: 'app' }
  if (candidates.length === 1) return { state: 'chosen', connection: candidates[0]!, by: 'only' }
  if (candidates.length === 0) return { state: 'none' }
  return { state: 'choose', candidates: [...candidates] }
}

/**
 * A connection as the setup page shows it to the caller.
 *
 * @example
 * setupConnection(view) // { id, name, sharing, status }
 */
export function setupConnection(view: Connection): SetupConnection {
  return {
    id: view.id,
    name: view.name,
    sharing: view.sharing,
    status: view.status,
    ...(view.accountLabel === undefined ? {} : { accountLabel: view.accountLabel }),
    ...(view.connectUrl === undefined ? {} : { connectUrl: view.connectUrl }),
  }
}
