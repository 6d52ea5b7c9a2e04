export { authenticate, SESSION_COOKIE, type AuthVariables } from './authenticate.ts'
export { bootstrapWorkspace, DEFAULT_APP_ID, OWNER_ID } from './bootstrap.ts'
export { findToken, hashToken, issueToken, type TokenKind } from './tokens.ts'
export { createUser, listTokens, listUsers, requireUser, revokeToken, tokenView, type TokenView } from './accounts.ts'
