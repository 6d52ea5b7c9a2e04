export { accessControl } from './access-control.ts'
export { APP_RULES, OWNER_RULES, matchRule, type AppRule, type OwnerRule } from './policy.ts'
export { appNotFound, forbidden, requireOwner, requireRole, roleIn } from './roles.ts'
