import type { ConnectionRecord } from '../../../../types.ts'

/**
 * The runtime's authorize route for a connection; with `scopes`, it asks for them on top of what the
 * connection has (incremental authorization). Opened in a signed-in browser it goes straight to the provider.
 *
 * @example
 * authorizeLink('http://localhost:8787', { appId: 'default', id: 'c_1' }, ['gist'])
 * // 'http://localhost:8787/api/apps/default/connections/c_1/oauth/authorize?scopes=gist'
 */
export function authorizeLink(publicUrl: string, record: Pick<ConnectionRecord, 'appId' | 'id'>, scopes: readonly string[] = []): string {
  const base = `${publicUrl}/api/apps/${encodeURIComponent(record.appId)}/connections/${encodeURIComponent(record.id)}/oauth/authorize`
  return scopes.length === 0 ? base : `${base}?scopes=${encodeURIComponent(scopes.join(','))}`
}

/**
 * Where the callback sends the person back to: the connection's page in the designer, with the outcome in
 * the hash's query (`oauth=success`, or `oauth=error&code=…&message=…`). Without a connection, the home page.
 *
 * @example
 * designerReturn('http://localhost:8787', { appId: 'default', connectionId: 'c_1' }, { oauth: 'success' })
 * // 'http://localhost:8787/#/apps/default/connections/c_1?oauth=success'
 */
export function designerReturn(
  publicUrl: string,
  target: { appId: string; connectionId: string } | undefined,
  outcome: Record<string, string>,
): string {
  const path = target ? `/apps/${encodeURIComponent(target.appId)}/connections/${encodeURIComponent(target.connectionId)}` : '/'
  return `${publicUrl}/#${path}?${new URLSearchParams(outcome).toString()}`
}
