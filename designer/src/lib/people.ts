import { api } from './api.ts'

/** A person in the workspace, as `GET /api/users` shows them. */
export interface User {
  id: string
  name: string
  email?: string
  owner: boolean
  createdAt: string
}

/** An API token or browser session, as listed: never the token itself. */
export interface Token {
  id: string
  userId: string
  name: string
  kind: 'api' | 'session'
  createdAt: string
  lastUsedAt?: string
  revokedAt?: string
}

/** A token just issued: the only time `token` and `signInUrl` are ever sent. */
export interface IssuedToken extends Token {
  token: string
  signInUrl: string
}

export type AppRole = 'admin' | 'member'

/** An app with its members. */
export interface App {
  id: string
  name: string
  members: Array<{ userId: string; role: AppRole }>
  createdAt: string
}

/** One entry of an app's audit trail. */
export interface AuditEntry {
  seq: number
  at: string
  userId: string
  event: string
  connectionId?: string
  connectorId?: string
  connectionName?: string
  details?: Record<string, string | number | boolean | null | string[]>
}

const enc = encodeURIComponent

/**
 * Users, tokens, app members, the audit trail and "what does this app still need", typed.
 * Every call throws `ApiError` on failure.
 *
 * @example
 * const users = await people.users()
 */
export const people = {
  users: async () => (await api<{ users: User[] }>('GET', '/api/users')).users,
  invite: (body: { name: string; email?: string }) => api<User>('POST', '/api/users', body),
  tokens: async (userId: string) => (await api<{ tokens: Token[] }>('GET', `/api/users/${enc(userId)}/tokens`)).tokens,
  issueToken: (userId: string, name: string) => api<IssuedToken>('POST', `/api/users/${enc(userId)}/tokens`, { name }),
  revokeToken: (tokenId: string) => api<Token>('DELETE', `/api/tokens/${enc(tokenId)}`),
  createApp: (name: string) => api<App>('POST', '/api/apps', { name }),
  app: (appId: string) => api<App>('GET', `/api/apps/${enc(appId)}`),
  setMember: (appId: string, userId: string, role: AppRole) => api<App>('PUT', `/api/apps/${enc(appId)}/members/${enc(userId)}`, { role }),
  removeMember: (appId: string, userId: string) => api<App>('DELETE', `/api/apps/${enc(appId)}/members/${enc(userId)}`),
  audit: (appId: string, query: { connection?: string; limit?: number; before?: number } = {}) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
    const qs = params.size ? `?${params}` : ''
    return api<{ entries: AuditEntry[]; next?: number }>('GET', `/api/apps/${enc(appId)}/audit${qs}`)
  },
  needs: (appId: string, connectorId: string) =>
    api<{ connectorId: string; connected: boolean; connectionId?: string; connectUrl?: string }>('GET', `/api/apps/${enc(appId)}/needs?connector=${enc(connectorId)}`),
}
