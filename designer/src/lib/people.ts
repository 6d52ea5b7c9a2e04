import type { AppRole, AuditQuery, CreateUser } from '../../../schemas/types/api.ts'
import { call } from './api.ts'

export type { App, AppRole, AuditEntry, IssuedToken, Token, User } from './types.ts'

/**
 * Users, tokens, app members, the audit trail and "what does this app still need", typed from the API
 * contract. Every call throws `ApiError` on failure.
 *
 * @example
 * const users = await people.users()
 */
export const people = {
  users: async () => (await call('GET /api/users')).users,
  invite: (body: CreateUser) => call('POST /api/users', { body }),
  tokens: async (userId: string) => (await call('GET /api/users/:userId/tokens', { params: { userId } })).tokens,
  issueToken: (userId: string, name: string) => call('POST /api/users/:userId/tokens', { params: { userId }, body: { name } }),
  revokeToken: (tokenId: string) => call('DELETE /api/tokens/:tokenId', { params: { tokenId } }),
  createApp: (name: string) => call('POST /api/apps', { body: { name } }),
  app: (appId: string) => call('GET /api/apps/:appId', { params: { appId } }),
  setMember: (appId: string, userId: string, role: AppRole) =>
    call('PUT /api/apps/:appId/members/:userId', { params: { appId, userId }, body: { role } }),
  removeMember: (appId: string, userId: string) => call('DELETE /api/apps/:appId/members/:userId', { params: { appId, userId } }),
  audit: (appId: string, query: AuditQuery = {}) => call('GET /api/apps/:appId/audit', { params: { appId }, query }),
  needs: (appId: string, connectorId: string) =>
    call('GET /api/apps/:appId/needs', { params: { appId }, query: { connector: connectorId } }),
}
