export {
  createAuditLog,
  DEFAULT_AUDIT_LIMIT,
  type AuditDetails,
  type AuditEntry,
  type AuditEvent,
  type AuditLog,
  type NewAuditEntry,
} from './audit-log.ts'
export { connectionEvents, credentialCount, hasCredentials, type RouteEntry } from './connection-events.ts'
