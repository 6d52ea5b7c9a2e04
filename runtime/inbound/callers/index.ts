export { createUser, listTokens, listUsers, requireUser, revokeToken, tokenView, userView } from './accounts.ts'
export { type AuthVariables, authenticateRequest, SESSION_COOKIE } from './authenticate.ts'
export { bootstrapWorkspace, DEFAULT_APP_ID, OWNER_ID } from './bootstrap.ts'
export { findToken, hashToken, issueToken } from './tokens.ts'
