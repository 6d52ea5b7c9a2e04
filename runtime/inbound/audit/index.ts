export {
  type AuditDetails,
  type AuditEntry,
  type AuditEvent,
  type AuditLog,
  createAuditLog,
  DEFAULT_AUDIT_LIMIT,
  type NewAuditEntry,
} from './audit-log.ts'
export { connectionEvents, credentialCount, hasCredentials, type RouteEntry } from './connection-events.ts'
export { upgradeAuditTrails } from './upgrade.ts'
