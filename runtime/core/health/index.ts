export {
  createHealthChecks,
  type HealthCheckOptions,
  type HealthCheckOutcome,
  type HealthCheckRecord,
  type HealthChecks,
} from './health-checks.ts'
export { type RefreshOutcome, refreshIfDue } from './refresh.ts'
