import { call } from './api.ts'
import type { BindingScope, SetupTool } from './types.ts'

/**
 * An app's setup: the tools it needs with their state for the signed-in person, and which connection each uses.
 * Every call throws `ApiError` on failure.
 *
 * @example
 * const { tools } = await setup.view('default')
 */
export const setup = {
  view: (appId: string) => call('GET /api/apps/:appId/setup', { params: { appId } }),
  bind: (appId: string, connectorId: string, connectionId: string, scope?: BindingScope) =>
    call('PUT /api/apps/:appId/setup/:connectorId', {
      params: { appId, connectorId },
      body: { connectionId, ...(scope ? { scope } : {}) },
    }),
  clear: (appId: string, connectorId: string, scope: BindingScope = 'member') =>
    call('DELETE /api/apps/:appId/setup/:connectorId', { params: { appId, connectorId }, query: { scope } }),
  /** Sets the connectors the app lists itself (app admins); those of its actions are needed anyway. */
  declare: (appId: string, connectors: string[]) => call('PATCH /api/apps/:appId', { params: { appId }, body: { connectors } }),
}

/**
 * The designer's own route in a link the runtime built (`http://host/#/apps/…`): followed in this page, whatever
 * public URL the runtime was given.
 *
 * @example
 * hashOf('http://localhost:8787/#/apps/default/connections/new?connector=github') // '#/apps/default/connections/new?connector=github'
 */
export function hashOf(url: string): string {
  const at = url.indexOf('#')
  return at === -1 ? url : url.slice(at)
}

/** Whether the person still has to connect their own account for a tool (a personal connection in use, not connected). */
export function needsMyAccount(tool: SetupTool): boolean {
  return tool.state === 'missing' && tool.connection?.sharing === 'personal'
}
