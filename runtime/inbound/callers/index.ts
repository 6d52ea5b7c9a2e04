export { authenticateRequest, SESSION_COOKIE, type AuthVariables } from './authenticate.ts'
export { bootstrapWorkspace, DEFAULT_APP_ID, OWNER_ID } from './bootstrap.ts'
export { findToken, hashToken, issueToken } from './tokens.ts'
export { createUser, listTokens, listUsers, requireUser, revokeToken, tokenView, userView } from './accounts.ts'
