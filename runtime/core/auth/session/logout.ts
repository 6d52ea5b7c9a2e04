import type { CredentialRecord } from '../../../types.ts'
import type { ConnectionDeps, Loaded } from '../../connections/context.ts'
import { credentialId, openCredentials } from '../../connections/credentials.ts'
import { effectiveValues, prepareRequest } from '../../requests/index.ts'
import { EXPIRED_AT } from '../tokens/token-engine.ts'
import { session } from './auth-type.ts'
import { sessionValues } from './held-session.ts'

/**
 * Ends a connection's session on the API before its credentials are dropped (a session method's `logout`):
 * the held session, if it is still current, is sent once to the logout path under the base URL with the
 * method's placements, never following a redirect. Best effort: whatever the API answers, or if it does not,
 * the credentials are dropped all the same; a session that has ended is not logged in just to log out.
 *
 * @example
 * await endSession(deps, loaded, owner) // POST /api/3.22/auth/signout with X-Tableau-Auth
 */
export async function endSession(
  deps: Pick<ConnectionDeps, 'store' | 'keyRing' | 'http' | 'clock'>,
  loaded: Loaded,
  owner: string | undefined,
) {
  const { method, connector, fields } = loaded
  if (method.type !== 'session' || !method.logout) return
  const record = await deps.store.get<CredentialRecord>('credentials', credentialId(loaded.record.id, owner))
  if (!record || record[EXPIRED_AT] !== undefined) return
  const secrets = openCredentials(deps.keyRing, record)
  const held = secrets.session
  if (!held || (held.expiresAt !== undefined && held.expiresAt <= deps.clock().getTime())) return
  const values = effectiveValues(fields, loaded.record.fields, record.fields, secrets.values)
  const prepared = prepareRequest({
    connector,
    fields,
    values: { ...values, session: sessionValues(held.accessToken) } as unknown as typeof values,
    baseUrl: loaded.record.baseUrl,
    spec: {
      method: method.logout.method ?? 'POST',
      path: method.logout.path,
      ...(method.logout.headers ? { headers: method.logout.headers } : {}),
    },
  })
  const material = session.apply(method, {
    values,
    fields,
    token: held.accessToken,
    request: { method: prepared.method, url: prepared.url, headers: prepared.headers, body: undefined },
  })
  for (const [name, value] of material.query) prepared.url.searchParams.set(name, value)
  await deps.http
    .request({
      url: prepared.url,
      method: prepared.method,
      headers: { ...prepared.headers, ...material.headers },
      responseType: 'text',
      redirect: 'manual',
      timeoutMs: 5_000,
    })
    .catch(() => undefined)
}
