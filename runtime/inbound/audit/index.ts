export { createAuditLog, DEFAULT_AUDIT_LIMIT, type AuditDetails, type AuditEntry, type AuditEvent, type AuditLog, type NewAuditEntry } from './audit-log.ts'
export { auditTrail } from './trail.ts'
