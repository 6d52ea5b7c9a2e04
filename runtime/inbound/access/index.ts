export { accessControl } from './access-control.ts'
export { APP_ROLE_RULES, APP_RULES, OWNER_RULES, matchRule, type AppRule, type OwnerRule } from './policy.ts'
export { appNotFound, forbidden, requireOwner, requireRole, requireSomeRole, roleIn } from './roles.ts'
